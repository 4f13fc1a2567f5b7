/* report_human.c — the human report of a record check: what was checked,
 * what the counted sheets cover and whether the rest could change who
 * leads, the published figures against the recount (with what the
 * stations not counted claim alongside), a table per district, the
 * findings and the verdict in plain words. One rounding rule everywhere:
 * half up, at the decimals of the published percents (2 when none);
 * thousands separators everywhere; every byte from the record escaped. */
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "report_observed.h"
#include "report_witness.h"
#include "text.h"

/* Stations not counted listed by name; the rest are in the CSV. */
#define LIST_UNCOUNTED 20

/* 4581255 -> "4,581,255" (the one grouping rule, formats/text.h) */
static const char *grp(uint64_t v, char buf[32]) {
  return rc_fmt_count(buf, v);
}

/* num/den as "72.16 %" (half up at dec decimals), "—" when den is 0 (a
 * published 0 still reconciles with 0 / 0: that is the published table's
 * business, this is only how a recomputed ratio is shown). */
static const char *pct(uint64_t num, uint64_t den, uint8_t dec, char buf[40]) {
  struct rc_percent p;
  if (den == 0 || rc_percent_from_ratio(num, den, dec, &p) != 0) {
    snprintf(buf, 40, "—");
    return buf;
  }
  struct rc_buf b = {0};
  rc_percent_encode(&p, &b);
  snprintf(buf, 40, "%.*s %%", b.oom ? 1 : (int)b.len,
           b.oom ? "?" : (const char *)b.p);
  rc_buf_free(&b);
  return buf;
}

/* The decimals of the first published percent, else 2. */
static uint8_t decimals(const struct rc_record_report *rep) {
  for (size_t i = 0; i < rep->nfigs; i++)
    if (rep->figs[i].fig.kind == RC_FIG_SHARE ||
        rep->figs[i].fig.kind == RC_FIG_TURNOUT)
      return rep->figs[i].fig.pct.decimals;
  return 2;
}

static void add_totals(struct rc_totals *a, const struct rc_totals *b,
                       size_t nc) {
  uint64_t *x[] = {&a->registered, &a->ballots,  &a->invalid,
                   &a->blank,      &a->excluded, &a->valid};
  const uint64_t y[] = {b->registered, b->ballots,  b->invalid,
                        b->blank,      b->excluded, b->valid};
  for (size_t i = 0; i < 6; i++)
    if (rc_add_u64(x[i], y[i])) *x[i] = UINT64_MAX;
  for (size_t c = 0; c < nc; c++)
    if (rc_add_u64(&a->votes[c], b->votes[c])) a->votes[c] = UINT64_MAX;
}

/* The value of figure f over totals t (num / den; den 1 for counts). */
static int fig_value(const struct rc_totals *t, const struct rc_manifest *m,
                     const struct rc_figure *f, uint64_t *num, uint64_t *den) {
  long ci = -1;
  for (size_t c = 0; c < m->nchoices; c++)
    if (!strcmp(m->choices[c].id, f->choice)) ci = (long)c;
  *den = 1;
  switch (f->kind) {
  case RC_FIG_REGISTERED: *num = t->registered; break;
  case RC_FIG_BALLOTS: *num = t->ballots; break;
  case RC_FIG_INVALID: *num = t->invalid; break;
  case RC_FIG_BLANK: *num = t->blank; break;
  case RC_FIG_EXCLUDED: *num = t->excluded; break;
  case RC_FIG_VALID: *num = t->valid; break;
  case RC_FIG_VOTE:
    if (ci < 0) return -1;
    *num = t->votes[ci];
    break;
  case RC_FIG_SHARE:
    if (ci < 0) return -1;
    *num = t->votes[ci];
    *den = t->valid;
    break;
  case RC_FIG_TURNOUT:
    *num = t->ballots;
    *den = t->registered;
    break;
  default: return -1;
  }
  return 0;
}

static int is_pct(const struct rc_figure *f) {
  return f->kind == RC_FIG_SHARE || f->kind == RC_FIG_TURNOUT;
}

static uint64_t manifest_registered(const struct rc_manifest *m) {
  uint64_t s = 0;
  for (size_t i = 0; i < m->nstations; i++)
    if (rc_add_u64(&s, m->stations[i].registered)) return UINT64_MAX;
  return s;
}

static void human_header(FILE *out, const struct rc_record_report *rep,
                         const char *record_path,
                         const struct rc_vkey *anchor) {
  const struct rc_manifest *m = rep->have_manifest ? &rep->manifest : NULL;
  char key[RC_KEYNAME_MAX + 16];
  rc_key_label(anchor, key, sizeof key);
  fprintf(out, "recount-verify: election record %s\n", rc_esc(record_path));
  if (m) {
    fprintf(out, "  election   %s — %s\n", rc_esc(m->election),
            rc_esc(m->title));
    fprintf(out, "  origin     %s\n", rc_esc(m->origin));
  }
  fprintf(out, "  anchor     %s\n", rc_esc(key));
  fprintf(
      out, "  signatures %s\n",
      rep->mode == RC_CRYPTO_BOTH
          ? "valid only if libsodium AND OpenSSL both accept (--crypto both)"
      : rep->mode == RC_CRYPTO_SODIUM
          ? "libsodium alone decides (--crypto libsodium; not the "
            "auditable rule of RECORD.md)"
          : "OpenSSL alone decides (--crypto openssl; not the auditable "
            "rule of RECORD.md)");
}

static void human_checked(FILE *out, const struct rc_record_report *rep) {
  const struct rc_manifest *m = rep->have_manifest ? &rep->manifest : NULL;
  char a[32], b[32], c[32];
  fputs("\nWhat was checked\n", out);
  if (!m) {
    fputs("  manifest        unusable: nothing else can be checked against "
          "it\n",
          out);
    return;
  }
  fprintf(out,
          "  manifest        %zu choices, %zu districts, %s stations, "
          "%zu witness key%s\n",
          m->nchoices, m->ndistricts, grp(m->nstations, a), m->nwitnesses,
          m->nwitnesses == 1 ? "" : "s");
  fprintf(out, "  sheet files     %s files, %s signed notes\n",
          grp(rep->files_read, a), grp(rep->notes_framed, b));
  fprintf(out,
          "  sheets          %s read, %s counted, %s stations "
          "without a sheet\n",
          grp(rep->sheets_parsed, a), grp(rep->totals.sheets_counted, b),
          grp(rep->stations_missing, c));
  fprintf(out, "  signatures      %s sheet signatures checked\n",
          grp(rep->signatures_checked, a));
  fprintf(out,
          "  district trees  %zu recomputed and compared with "
          "districts.txt\n",
          m->ndistricts);
  fputs("  checkpoint      election tree, origin, size and manifest hash\n",
        out);
  rc_report_human_log(out, rep); /* cli/report_log.c */
}

/* R, the margin and whether the stations not counted could change who
 * leads (RECORD.md v1.1 §6). */
static void human_completeness(FILE *out, const struct rc_record_report *rep) {
  const struct rc_manifest *m = &rep->manifest;
  const struct rc_completeness *c = &rep->completeness;
  char a[32], b[32], d[32];
  if (!rep->station_status) return;
  fputs("\nWhat the counted sheets cover\n", out);
  fprintf(out, "  recomputed from %s of %s stations", grp(c->counted, a),
          grp(c->stations, b));
  if (c->counted == c->stations) {
    fputs(": every registered station is counted\n", out);
  } else {
    fprintf(out,
            "\n  not counted     %s without a sheet, %s with only "
            "rejected sheets: %s registered voters\n",
            grp(c->without_sheet, a), grp(c->rejected, b),
            grp(c->registered_uncounted, d));
  }
  if (c->leader < 0) return;
  fprintf(out, "  leading         %s with %s votes",
          rc_esc(m->choices[c->leader].id),
          grp(rep->totals.votes[c->leader], a));
  if (c->runner_up >= 0)
    fprintf(out, ", %s ahead of %s", grp(c->margin, b),
            rc_esc(m->choices[c->runner_up].id));
  fputc('\n', out);
  if (!c->registered_uncounted)
    fputs("  outcome         nothing is left out: the counted sheets decide "
          "who leads\n",
          out);
  else if (!c->outcome_can_change)
    fprintf(out,
            "  outcome         the %s voters not counted cannot change "
            "who leads (the margin is %s)\n",
            grp(c->registered_uncounted, a), grp(c->margin, b));
  else
    fprintf(out,
            "  outcome         NOT DETERMINED: the %s voters not counted "
            "are at least the margin of %s, so they could change who "
            "leads\n",
            grp(c->registered_uncounted, a), grp(c->margin, b));
}

/* The first stations not counted, with what their sheets claim. */
static void human_uncounted(FILE *out, const struct rc_record_report *rep) {
  const struct rc_manifest *m = &rep->manifest;
  const struct rc_completeness *c = &rep->completeness;
  if (!rep->station_status || c->counted == c->stations) return;
  uint64_t left = c->stations - c->counted;
  char a[32], b[32];
  fprintf(out, "\nStations not counted (%s)\n", grp(left, a));
  fprintf(out, "  %-24s %-16s %-16s %10s  %s\n", "station", "district", "why",
          "registered", "what its sheet claims");
  size_t shown = 0;
  for (size_t i = 0; i < m->nstations && shown < LIST_UNCOUNTED; i++) {
    uint8_t s = rep->station_status[i];
    if (s == RC_STATION_COUNTED) continue;
    const struct rc_station *st = &m->stations[i];
    fprintf(out, "  %-24s %-16s %-16s %10s", rc_esc(st->id),
            rc_esc(m->districts[st->district].id),
            s == RC_STATION_MISSING ? "no sheet" : "sheet rejected",
            grp(st->registered, b));
    for (size_t k = 0; k < rep->nclaims; k++) {
      if (rep->claim_station[k] != i) continue;
      const uint64_t *f = rep->claim_figs[k];
      fprintf(out, "  ballots %s", grp(f[1], b));
      for (size_t q = 0; q < m->nchoices; q++)
        fprintf(out, ", %s %s", rc_esc(m->choices[q].id), grp(f[5 + q], b));
    }
    fputc('\n', out);
    shown++;
  }
  if (left > shown)
    fprintf(out, "  … and %s more (--csv DIR lists every station)\n",
            grp(left - shown, a));
  const struct rc_totals *u = &rep->uncounted;
  if (!u->sheets_counted) return;
  fprintf(out, "  the rejected sheets of %s station%s claim: ballots %s",
          grp(u->sheets_counted, a), u->sheets_counted == 1 ? "" : "s",
          grp(u->ballots, b));
  for (size_t k = 0; k < m->nchoices; k++)
    fprintf(out, ", %s %s", rc_esc(m->choices[k].id), grp(u->votes[k], b));
  fputs(" (not counted: see the findings for why)\n", out);
}

/* One published figure: published, recomputed, what the stations not
 * counted claim (with uc) and whether it reconciles. */
static void human_figure(FILE *out, const struct rc_record_report *rep,
                         const struct rc_fig_result *r, int uc) {
  const struct rc_manifest *m = &rep->manifest;
  const struct rc_figure *f = &r->fig;
  char fname[160], pv[40], cv[96], uv[48] = "", tmp[40];
  snprintf(fname, sizeof fname, "%s%s%s%s%s", f->district,
           f->district[0] ? ": " : "", rc_fig_str(f->kind),
           f->choice[0] ? " " : "", f->choice);
  const struct rc_totals *ut = &rep->uncounted;
  if (f->district[0]) {
    long d = rc_manifest_district(m, f->district, strlen(f->district));
    ut = d >= 0 && rep->district_uncounted ? &rep->district_uncounted[d] : NULL;
  }
  int explained = 0;
  if (is_pct(f)) {
    struct rc_buf b = {0};
    rc_percent_encode(&f->pct, &b);
    snprintf(pv, sizeof pv, "%.*s %%", b.oom ? 1 : (int)b.len,
             b.oom ? "?" : (const char *)b.p);
    rc_buf_free(&b);
    pct(r->num, r->den, f->pct.decimals, cv);
    if (!r->den) /* no ballots or no valid votes: the ratio itself */
      snprintf(cv, sizeof cv, "%s / 0", grp(r->num, tmp));
  } else {
    grp(f->count, pv);
    grp(r->num, cv);
  }
  uint64_t un, ud;
  if (uc && ut && fig_value(ut, m, f, &un, &ud) == 0) {
    if (is_pct(f)) {
      struct rc_totals all = {0};
      const struct rc_totals *t = &rep->totals;
      if (f->district[0]) {
        long d = rc_manifest_district(m, f->district, strlen(f->district));
        if (d >= 0) t = &rep->districts[d].totals;
      }
      add_totals(&all, t, m->nchoices);
      add_totals(&all, ut, m->nchoices);
      uint64_t an, ad;
      if (fig_value(&all, m, f, &an, &ad) == 0) {
        snprintf(uv, sizeof uv, "all %s", pct(an, ad, f->pct.decimals, tmp));
        explained = !r->ok && rc_percent_matches(&f->pct, an, ad);
      }
    } else {
      grp(un, uv);
      uint64_t sum = r->num;
      explained = !r->ok && rc_add_u64(&sum, un) == 0 && sum == f->count;
    }
  }
  fprintf(out, "  %-28s %16s %16s", rc_esc(fname), pv, cv);
  if (uc) fprintf(out, " %16s", uv);
  fprintf(out, "  %s%s\n", r->ok ? "✓" : "✗",
          explained ? " = recomputed + not counted" : "");
}

/* The published figures against the recount, or the recomputed totals. */
static void human_figures(FILE *out, const struct rc_record_report *rep) {
  const struct rc_manifest *m = &rep->manifest;
  const struct rc_totals *t = &rep->totals;
  char a[32], b[40];
  uint8_t dec = decimals(rep);
  int uc = rep->uncounted.sheets_counted > 0;
  if (rep->have_published && rep->nfigs) {
    int has_reg = 0;
    fputs("\nPublished figures (published.note) against the recount\n", out);
    fprintf(out, "  %-28s %16s %16s", "figure", "published", "recomputed");
    if (uc) fprintf(out, " %16s", "not counted¹");
    fputc('\n', out);
    for (size_t i = 0; i < rep->nfigs; i++) {
      human_figure(out, rep, &rep->figs[i], uc);
      if (rep->figs[i].fig.kind == RC_FIG_REGISTERED) has_reg = 1;
    }
    if (uc)
      fputs("  ¹ what the rejected sheets of stations not counted claim; "
            "for a percent, its value\n    over the counted and the "
            "not-counted sheets together\n",
            out);
    if (has_reg && manifest_registered(m) != t->registered)
      fprintf(out,
              "  registered is recomputed over the counted sheets (%s); "
              "the manifest registers %s\n  voters at all its "
              "stations\n",
              grp(t->registered, a), grp(manifest_registered(m), b));
    return;
  }
  fputs(rep->have_published
            ? "\nRecomputed totals (published.note could not be read: see "
              "the findings)\n"
            : "\nRecomputed totals (there is no published.note: no announced "
              "figure to compare)\n",
        out);
  fprintf(out, "  %-12s %16s  (over the counted sheets; the manifest: %s)\n",
          "registered", grp(t->registered, a), grp(manifest_registered(m), b));
  fprintf(out, "  %-12s %16s\n", "ballots", grp(t->ballots, a));
  fprintf(out, "  %-12s %16s\n", "invalid", grp(t->invalid, a));
  fprintf(out, "  %-12s %16s\n", "blank", grp(t->blank, a));
  fprintf(out, "  %-12s %16s\n", "excluded", grp(t->excluded, a));
  fprintf(out, "  %-12s %16s\n", "valid", grp(t->valid, a));
  for (size_t c = 0; c < m->nchoices; c++)
    fprintf(out, "  vote %-7s %16s  %s of valid\n", rc_esc(m->choices[c].id),
            grp(t->votes[c], a), pct(t->votes[c], t->valid, dec, b));
  fprintf(out, "  %-12s %16s\n", "turnout",
          pct(t->ballots, t->registered, dec, b));
}

/* Per district: stations counted, turnout, shares and whether the
 * published district figures reconcile. */
static void human_districts(FILE *out, const struct rc_record_report *rep) {
  const struct rc_manifest *m = &rep->manifest;
  if (!rep->districts || !m->ndistricts) return;
  uint8_t dec = decimals(rep);
  /* per district: 0 nothing published, 1 all reconcile, 2 some do not */
  uint8_t *pub = calloc(m->ndistricts, 1);
  if (!pub) return;
  for (size_t i = 0; i < rep->nfigs; i++) {
    const struct rc_figure *f = &rep->figs[i].fig;
    if (!f->district[0]) continue;
    long d = rc_manifest_district(m, f->district, strlen(f->district));
    if (d < 0) continue;
    if (!rep->figs[i].ok) pub[d] = 2;
    else if (!pub[d]) pub[d] = 1;
  }
  fputs("\nDistricts (turnout = ballots / registered, shares of valid "
        "votes, over the counted sheets)\n",
        out);
  fprintf(out, "  %-20s %15s %10s", "district", "stations", "turnout");
  for (size_t c = 0; c < m->nchoices; c++)
    fprintf(out, " %10s", rc_esc(m->choices[c].id));
  fputs("  published\n", out);
  char a[32], b[32], p[40], cnt[80];
  for (size_t d = 0; d < m->ndistricts; d++) {
    const struct rc_district_result *dr = &rep->districts[d];
    const struct rc_totals *t = &dr->totals;
    snprintf(cnt, sizeof cnt, "%s of %s", grp(t->sheets_counted, a),
             grp(dr->stations, b));
    fprintf(out, "  %-20s %15s %10s", rc_esc(m->districts[d].id), cnt,
            pct(t->ballots, t->registered, dec, p));
    for (size_t c = 0; c < m->nchoices; c++)
      fprintf(out, " %10s", pct(t->votes[c], t->valid, dec, p));
    fprintf(out, "  %s\n", pub[d] == 0 ? "—" : pub[d] == 1 ? "✓" : "✗");
  }
  fputs("  published: ✓ the district's published figures reconcile, ✗ one "
        "does not, — none published\n",
        out);
  free(pub);
}

static void human_verdict(FILE *out, const struct rc_record_report *rep) {
  const struct rc_completeness *c = &rep->completeness;
  char a[32], b[32];
  fputc('\n', out);
  switch (rc_record_verdict(rep)) {
  case RC_VERDICT_RECONCILED:
    fputs("Verdict: RECONCILED — every signature, tree and total checks out,"
          " and every figure in\npublished.note matches the recount of the "
          "signed sheets.\n",
          out);
    break;
  case RC_VERDICT_VERIFIED:
    fputs("Verdict: VERIFIED — every signature, tree and total checks out,"
          " but the record has no\npublished.note: no announced figure was "
          "compared with the recount.\n",
          out);
    break;
  default:
    fprintf(out,
            "Verdict: DISCREPANCIES — %zu error finding%s: the record "
            "does not fully support its\nfigures (each finding above "
            "says where and why).\n",
            rep->nerrors, rep->nerrors == 1 ? "" : "s");
  }
  if (!rep->station_status || !c->registered_uncounted) return;
  fprintf(out, "%s of %s stations are counted; ", grp(c->counted, a),
          grp(c->stations, b));
  fprintf(out, "the %s voters registered at the others %s change who leads.\n",
          grp(c->registered_uncounted, a),
          c->outcome_can_change ? "could" : "cannot");
}

void rc_report_human(FILE *out, const struct rc_record_report *rep,
                     const char *record_path, const struct rc_vkey *anchor) {
  human_header(out, rep, record_path, anchor);
  human_checked(out, rep);
  if (rep->have_manifest) {
    human_completeness(out, rep);
    human_uncounted(out, rep);
    human_figures(out, rep);
    human_districts(out, rep);
  }
  rc_report_witnesses_human(out, rep); /* cli/report_witness.c */
  rc_report_observed_human(out, rep);  /* cli/report_observed.c */
  if (rep->nfindings) {
    fprintf(out, "\nFindings: %zu error%s, %zu warning%s\n", rep->nerrors,
            rep->nerrors == 1 ? "" : "s", rep->nwarnings,
            rep->nwarnings == 1 ? "" : "s");
    for (size_t i = 0; i < rep->nfindings; i++)
      rc_report_finding(out, &rep->findings[i], RC_FINDING_INDENTED);
  }
  human_verdict(out, rep);
}
