/* report.c — the report module: every result of the library that a
 * program shows goes through here (the record check as human text or
 * JSON, findings, the receipt check). */
#include "report.h"

#include <stdlib.h>
#include <string.h>

#include "b64.h"
#include "report_observed.h"

static size_t utf8_len(const unsigned char *s) {
  /* length of a valid UTF-8 sequence at s (1..4), or 0 if invalid */
  unsigned char c = s[0];
  if (c < 0x80) return 1;
  size_t n;
  uint32_t cp;
  if ((c & 0xE0) == 0xC0) n = 2, cp = c & 0x1Fu;
  else if ((c & 0xF0) == 0xE0) n = 3, cp = c & 0x0Fu;
  else if ((c & 0xF8) == 0xF0) n = 4, cp = c & 0x07u;
  else return 0;
  for (size_t i = 1; i < n; i++) {
    if ((s[i] & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (s[i] & 0x3Fu);
  }
  if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) ||
      (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
      (cp >= 0xD800 && cp <= 0xDFFF))
    return 0;
  return n;
}

void rc_json_str(FILE *out, const char *str) {
  const unsigned char *s = (const unsigned char *)str;
  fputc('"', out);
  while (*s) {
    unsigned char c = *s;
    if (c == '"' || c == '\\') {
      fputc('\\', out);
      fputc(c, out);
      s++;
    } else if (c == '\n') {
      fputs("\\n", out);
      s++;
    } else if (c < 0x20 || c == 0x7f) {
      fprintf(out, "\\u%04x", c);
      s++;
    } else {
      size_t n = utf8_len(s);
      if (n == 0) {
        fputs("\\ufffd", out);
        s++;
      } else {
        fwrite(s, 1, n, out);
        s += n;
      }
    }
  }
  fputc('"', out);
}

static void json_totals(FILE *out, const struct rc_totals *t,
                        const struct rc_manifest *m) {
  fprintf(out,
          "{\"registered\":%llu,\"ballots\":%llu,\"invalid\":%llu,"
          "\"blank\":%llu,\"excluded\":%llu,\"valid\":%llu,\"votes\":{",
          (unsigned long long)t->registered, (unsigned long long)t->ballots,
          (unsigned long long)t->invalid, (unsigned long long)t->blank,
          (unsigned long long)t->excluded, (unsigned long long)t->valid);
  for (size_t c = 0; m && c < m->nchoices; c++) {
    if (c) fputc(',', out);
    rc_json_str(out, m->choices[c].id);
    fprintf(out, ":%llu", (unsigned long long)t->votes[c]);
  }
  fputs("}}", out);
}

void rc_report_json(FILE *out, const struct rc_record_report *rep) {
  const struct rc_manifest *m = rep->have_manifest ? &rep->manifest : NULL;
  fputs("{\"format\":\"recount-report/v1\",\"election\":", out);
  rc_json_str(out, m ? m->election : "");
  fprintf(out, ",\"verdict\":\"%s\",\"totals\":",
          rep->nerrors ? "discrepancies" : "reconciled");
  json_totals(out, &rep->totals, m);
  fputs(",\"districts\":[", out);
  for (size_t d = 0; m && rep->districts && d < m->ndistricts; d++) {
    const struct rc_district_result *dr = &rep->districts[d];
    char root[48];
    rc_b64_encode(dr->root, 32, root);
    if (d) fputc(',', out);
    fputs("{\"id\":", out);
    rc_json_str(out, m->districts[d].id);
    fprintf(out, ",\"stations\":%llu,\"sheets\":%llu,\"root\":\"%s\",\"totals\":",
            (unsigned long long)dr->stations, (unsigned long long)dr->sheets,
            root);
    json_totals(out, &dr->totals, m);
    fputc('}', out);
  }
  fputc(']', out);
  rc_report_observed_json(out, rep);
  fputs(",\"findings\":[", out);
  for (size_t i = 0; i < rep->nfindings; i++) {
    const struct rc_finding *f = &rep->findings[i];
    if (i) fputc(',', out);
    fprintf(out, "{\"code\":\"%s\",\"severity\":\"%s\"", rc_code_str(f->code),
            rc_severity_str(rc_code_severity(f->code)));
    if (f->district) {
      fputs(",\"district\":", out);
      rc_json_str(out, f->district);
    }
    if (f->station) {
      fputs(",\"station\":", out);
      rc_json_str(out, f->station);
    }
    if (f->file) {
      fputs(",\"file\":", out);
      rc_json_str(out, f->file);
    }
    fputs(",\"message\":", out);
    if (f->line) {
      char buf[1024];
      snprintf(buf, sizeof buf, "line %zu: %s", f->line, f->message);
      rc_json_str(out, buf);
    } else {
      rc_json_str(out, f->message);
    }
    fputc('}', out);
  }
  fputs("]}\n", out);
}

/* 4581255 -> "4,581,255" */
static const char *grp(uint64_t v, char buf[32]) {
  char tmp[32];
  int n = snprintf(tmp, sizeof tmp, "%llu", (unsigned long long)v);
  int o = 0;
  for (int i = 0; i < n; i++) {
    if (i && (n - i) % 3 == 0) buf[o++] = ',';
    buf[o++] = tmp[i];
  }
  buf[o] = 0;
  return buf;
}

static void fig_name(const struct rc_figure *f, char *out, size_t n) {
  snprintf(out, n, "%s%s%s", rc_fig_str(f->kind), f->choice[0] ? " " : "",
           f->choice);
}

static void pct_str(const struct rc_percent *p, char *out, size_t n) {
  struct rc_buf b = {0};
  rc_percent_encode(p, &b);
  snprintf(out, n, "%.*s %%", b.oom ? 1 : (int)b.len,
           b.oom ? "?" : (const char *)b.p);
  rc_buf_free(&b);
}

static void human_header(FILE *out, const struct rc_record_report *rep,
                         const char *record_path,
                         const struct rc_vkey *anchor) {
  const struct rc_manifest *m = rep->have_manifest ? &rep->manifest : NULL;
  fprintf(out, "recount-verify: election record %s\n", record_path);
  if (m) {
    fprintf(out, "  election   %s — %s\n", m->election, m->title);
    fprintf(out, "  origin     %s\n", m->origin);
  }
  fprintf(out, "  anchor     %.*s\n", (int)anchor->namelen, anchor->name);
  fprintf(out, "  signatures %s\n",
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
  fprintf(out, "  manifest        %zu choices, %zu districts, %s stations, "
               "%zu witness key%s\n",
          m->nchoices, m->ndistricts, grp(m->nstations, a), m->nwitnesses,
          m->nwitnesses == 1 ? "" : "s");
  fprintf(out, "  sheet files     %s files, %s signed notes\n",
          grp(rep->files_read, a), grp(rep->notes_framed, b));
  fprintf(out, "  sheets          %s parsed, %s counted, %s stations "
               "without a sheet\n",
          grp(rep->sheets_parsed, a), grp(rep->totals.sheets_counted, b),
          grp(rep->stations_missing, c));
  fprintf(out, "  signatures      %s sheet signatures checked\n",
          grp(rep->signatures_checked, a));
  fprintf(out, "  district trees  %zu recomputed and compared with "
               "districts.txt\n",
          m->ndistricts);
  fputs("  checkpoint      election tree, origin, size and manifest hash\n",
        out);
}

static void human_figure(FILE *out, const struct rc_fig_result *r) {
  char fname[96], name[176], pv[40], cv[40];
  fig_name(&r->fig, fname, sizeof fname);
  snprintf(name, sizeof name, "%s%s%s", r->fig.district,
           r->fig.district[0] ? ": " : "", fname);
  if (r->fig.kind == RC_FIG_SHARE || r->fig.kind == RC_FIG_TURNOUT) {
    pct_str(&r->fig.pct, pv, sizeof pv);
    struct rc_percent got;
    uint8_t dec = r->fig.pct.decimals ? r->fig.pct.decimals : 2;
    if (rc_percent_from_ratio(r->num, r->den, dec, &got) == 0)
      pct_str(&got, cv, sizeof cv);
    else
      snprintf(cv, sizeof cv, "undefined");
  } else {
    grp(r->fig.count, pv);
    grp(r->num, cv);
  }
  fprintf(out, "  %-28s %16s %16s  %s\n", name, pv, cv, r->ok ? "✓" : "✗");
}

/* The published figures against the recount, or the recomputed totals. */
static void human_figures(FILE *out, const struct rc_record_report *rep) {
  const struct rc_manifest *m = &rep->manifest;
  const struct rc_totals *t = &rep->totals;
  char a[32];
  if (rep->have_published && rep->nfigs) {
    fputs("\nPublished figures (published.note) against the recount\n", out);
    fprintf(out, "  %-28s %16s %16s\n", "figure", "published", "recomputed");
    for (size_t i = 0; i < rep->nfigs; i++) human_figure(out, &rep->figs[i]);
    return;
  }
  fputs(rep->have_published
            ? "\nRecomputed totals (published.note could not be read: see "
              "the findings)\n"
            : "\nRecomputed totals (no published.note to reconcile)\n",
        out);
  fprintf(out, "  %-12s %16s\n", "registered", grp(t->registered, a));
  fprintf(out, "  %-12s %16s\n", "ballots", grp(t->ballots, a));
  fprintf(out, "  %-12s %16s\n", "invalid", grp(t->invalid, a));
  fprintf(out, "  %-12s %16s\n", "blank", grp(t->blank, a));
  fprintf(out, "  %-12s %16s\n", "excluded", grp(t->excluded, a));
  fprintf(out, "  %-12s %16s\n", "valid", grp(t->valid, a));
  for (size_t c = 0; c < m->nchoices; c++)
    fprintf(out, "  vote %-7s %16s\n", m->choices[c].id, grp(t->votes[c], a));
}

/* Districts with something off, in manifest order (findings counted per
 * district through the manifest's index: linear in the findings). */
static void human_districts(FILE *out, const struct rc_record_report *rep) {
  const struct rc_manifest *m = &rep->manifest;
  if (!rep->districts || !m->ndistricts) return;
  size_t *nf = calloc(m->ndistricts, sizeof *nf);
  if (!nf) return;
  for (size_t i = 0; i < rep->nfindings; i++) {
    const char *d = rep->findings[i].district;
    long di = d ? rc_manifest_district(m, d, strlen(d)) : -1;
    if (di >= 0) nf[di]++;
  }
  int header = 0;
  char a[32], b[32], c[32];
  for (size_t d = 0; d < m->ndistricts; d++) {
    if (!nf[d]) continue;
    if (!header) {
      fputs("\nDistricts with findings\n", out);
      header = 1;
    }
    const struct rc_district_result *dr = &rep->districts[d];
    fprintf(out, "  %-24s %zu finding%s; %s of %s stations counted, "
                 "ballots %s\n",
            m->districts[d].id, nf[d], nf[d] == 1 ? "" : "s",
            grp(dr->totals.sheets_counted, a), grp(dr->stations, b),
            grp(dr->totals.ballots, c));
  }
  free(nf);
}

void rc_report_human(FILE *out, const struct rc_record_report *rep,
                     const char *record_path, const struct rc_vkey *anchor) {
  human_header(out, rep, record_path, anchor);
  human_checked(out, rep);
  if (rep->have_manifest) {
    human_figures(out, rep);
    human_districts(out, rep);
    rc_report_observed_human(out, rep);
  }
  if (rep->nfindings) {
    fprintf(out, "\nFindings: %zu error%s, %zu warning%s\n", rep->nerrors,
            rep->nerrors == 1 ? "" : "s", rep->nwarnings,
            rep->nwarnings == 1 ? "" : "s");
    for (size_t i = 0; i < rep->nfindings; i++)
      rc_report_finding(out, &rep->findings[i], RC_FINDING_INDENTED);
  }
  fputc('\n', out);
  if (!rep->nerrors)
    fputs("Verdict: RECONCILED — every signature, tree and total checks out"
          " and every published figure reconciles.\n",
          out);
  else
    fprintf(out, "Verdict: DISCREPANCIES — %zu error finding%s (see above).\n",
            rep->nerrors, rep->nerrors == 1 ? "" : "s");
}

void rc_report_finding(FILE *out, const struct rc_finding *f,
                       enum rc_finding_layout layout) {
  const char *sev = rc_severity_str(rc_code_severity(f->code));
  if (layout == RC_FINDING_INDENTED)
    fprintf(out, "  %-7s %s", sev, rc_code_str(f->code));
  else
    fprintf(out, "%s %s", sev, rc_code_str(f->code));
  if (f->district) fprintf(out, " district=%s", f->district);
  if (f->station) fprintf(out, " station=%s", f->station);
  if (f->file) {
    fprintf(out, " %s", f->file);
    if (f->line) fprintf(out, ":%zu", f->line);
  }
  if (layout == RC_FINDING_INDENTED)
    fprintf(out, "\n          %s\n", f->message);
  else
    fprintf(out, ": %s\n", f->message);
}

void rc_report_findings(FILE *out, const struct rc_record_report *rep) {
  for (size_t i = 0; i < rep->nfindings; i++)
    rc_report_finding(out, &rep->findings[i], RC_FINDING_LINE);
}

void rc_report_receipt(FILE *out, const struct rc_receipt_result *res) {
  if (res->parsed)
    fprintf(out, "receipt for station %s (district %s)\n", res->station,
            res->district);
  for (size_t i = 0; i < res->nsteps; i++) {
    const struct rc_receipt_check_step *st = &res->steps[i];
    fprintf(out, "  %s %s%s%s\n", st->ok ? "✓" : "✗",
            rc_receipt_step_str(st->step), st->detail[0] ? ": " : "",
            st->detail);
  }
  if (res->have_sheet) {
    const struct rc_sheet *s = &res->sheet;
    fprintf(out,
            "station %s figures: registered %llu, ballots %llu, invalid "
            "%llu, blank %llu, excluded %llu",
            s->station, (unsigned long long)s->registered,
            (unsigned long long)s->ballots, (unsigned long long)s->invalid,
            (unsigned long long)s->blank, (unsigned long long)s->excluded);
    for (size_t c = 0; c < s->nvotes; c++)
      fprintf(out, ", %s %llu", s->votes[c].choice,
              (unsigned long long)s->votes[c].count);
    fputc('\n', out);
  }
  fprintf(out, "%s\n",
          res->verified ? "RECEIPT VERIFIED" : "RECEIPT NOT VERIFIED");
}
