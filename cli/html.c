/* html.c — the HTML report (html.h): the document, its stylesheet, the
 * verdict, the published figures, completeness and outcome bounds, the
 * districts table, and the atomic write. The charts are in html_svg.c,
 * the findings in html_findings.c, escaping and numbers in html_esc.c.
 * Every number is computed with integers, so the same report gives the
 * same bytes on every run. */
#include "html.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "html_int.h"
#include "texts.h"
#include "version.h"

static const char css[] =
    ":root{--ok:#1a7f37;--bad:#b3261e;--info:#0b5cad;--warn:#8a5a00;"
    "--ink:#1b1f24;--mute:#57606a;--line:#d0d7de;--bg2:#f6f8fa}\n"
    "body{font-family:\"DejaVu Sans\",\"Noto Sans\",\"Noto Naskh Arabic\","
    "system-ui,sans-serif;color:var(--ink);margin:0 auto;max-width:1240px;"
    "padding:0 24px 48px;line-height:1.45;font-size:15px}\n"
    "h1{font-size:26px;margin:24px 0 4px}h2{font-size:20px;margin:32px 0 8px;"
    "border-bottom:2px solid var(--line);padding-bottom:4px}"
    "h3{font-size:16px;margin:20px 0 6px}\n"
    ".title{font-size:17px;margin:0 0 12px}\n"
    "dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;"
    "margin:0;font-size:14px}dl.meta dt{color:var(--mute)}dl.meta dd{margin:0;"
    "overflow-wrap:anywhere}\n"
    ".verdict{border-left:10px solid;padding:12px 20px;margin:20px 0;"
    "border-radius:4px}.verdict p{margin:6px 0}\n"
    ".verdict .word{font-size:28px;font-weight:bold;letter-spacing:.04em}\n"
    ".v-reconciled{border-color:var(--ok);background:#e6f4ea}"
    ".v-reconciled .word{color:var(--ok)}\n"
    ".v-verified{border-color:var(--info);background:#e8f0fb}"
    ".v-verified .word{color:var(--info)}\n"
    ".v-discrepancies{border-color:var(--bad);background:#fbeaea}"
    ".v-discrepancies .word{color:var(--bad)}\n"
    "nav{font-size:14px}nav a{margin-right:14px}\n"
    "table{border-collapse:collapse;margin:8px 0;font-size:14px}\n"
    "th,td{border-bottom:1px solid var(--line);padding:3px 10px;"
    "text-align:left;vertical-align:top}th{background:var(--bg2)}\n"
    "td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;"
    "white-space:nowrap}\n"
    ".ok{color:var(--ok);font-weight:bold}.bad{color:var(--bad);"
    "font-weight:bold}.mute{color:var(--mute)}\n"
    "tr.bad td{background:#fdf1f0}\n"
    ".scroll{overflow-x:auto}\n"
    ".esc{font-family:\"DejaVu Sans Mono\",monospace;background:#fff3c4;"
    "color:#6b3d00;border:1px solid #e0c060;border-radius:2px;"
    "padding:0 1px}\n"
    "code,.loc{font-family:\"DejaVu Sans Mono\",monospace;font-size:13px}\n"
    ".loc{color:var(--mute);overflow-wrap:anywhere}\n"
    ".charts{display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start}"
    ".charts figure{max-width:580px}figure{margin:8px 0 20px}figure "
    "h3{margin-top:4px}figcaption{font-size:13px;color:var(--mute);"
    "max-width:760px}\n"
    "svg{max-width:100%;height:auto;font-family:\"DejaVu Sans\",sans-serif}\n"
    "ol.findings{padding-left:0;list-style:none}"
    "ol.findings li{border-left:4px solid var(--line);padding:4px 10px;"
    "margin:6px 0}\n"
    "ol.findings li.error{border-color:var(--bad)}"
    "ol.findings li.warning{border-color:#d4a72c}"
    "ol.findings li.info{border-color:var(--info)}\n"
    "ol.findings p{margin:2px 0;overflow-wrap:anywhere}"
    ".sev{font-weight:bold;text-transform:uppercase;font-size:12px}"
    "li.error .sev{color:var(--bad)}li.warning .sev{color:var(--warn)}\n"
    "footer{margin-top:40px;font-size:13px;color:var(--mute);"
    "border-top:1px solid var(--line);padding-top:8px}\n"
    "@media print{@page{size:A4;margin:14mm}body{font-size:10pt;"
    "max-width:none;padding:0}nav{display:none}a{color:inherit;"
    "text-decoration:none}.verdict{border:3px solid;"
    "-webkit-print-color-adjust:exact;print-color-adjust:exact}"
    "h2{break-after:avoid}figure,tr,li{break-inside:avoid}"
    "thead{display:table-header-group}.scroll{overflow:visible}"
    "svg,.esc,tr.bad td{-webkit-print-color-adjust:exact;"
    "print-color-adjust:exact}}\n";

static const char *mode_str(enum rc_crypto_mode m) {
  return m == RC_CRYPTO_SODIUM    ? "libsodium alone (--crypto libsodium)"
         : m == RC_CRYPTO_OPENSSL ? "OpenSSL alone (--crypto openssl)"
                                  : "valid only if libsodium and OpenSSL "
                                    "both accept";
}

static void key_str(FILE *f, const struct rc_vkey *k) {
  char name[RC_KEYNAME_MAX + 1];
  size_t n = k->namelen < RC_KEYNAME_MAX ? k->namelen : RC_KEYNAME_MAX;
  memcpy(name, k->name, n);
  name[n] = 0;
  h_esc(f, name);
  fprintf(f, "+%02x%02x%02x%02x", k->id[0], k->id[1], k->id[2], k->id[3]);
}

static void head(FILE *f, const struct rc_record_report *rep) {
  const struct rc_manifest *m = rep->have_manifest ? &rep->manifest : NULL;
  fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">"
        "\n<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
        "'none'; style-src 'unsafe-inline'\">\n<meta name=\"viewport\" "
        "content=\"width=device-width, initial-scale=1\">\n<title>",
        f);
  fputs("Election record ", f);
  h_esc_plain(f, m ? m->election : "(no usable manifest)");
  fprintf(f, ": %s — recount</title>\n<style>\n%s</style>\n</head>\n<body>\n",
          rc_verdict_str(rc_record_verdict(rep)), css);
}

static void header(FILE *f, const struct rc_record_report *rep,
                   const struct rc_vkey *anchor) {
  const struct rc_manifest *m = rep->have_manifest ? &rep->manifest : NULL;
  fputs("<header>\n<h1>Election record ", f);
  if (m) h_bdi(f, m->election);
  else fputs("without a usable manifest", f);
  fputs("</h1>\n", f);
  if (m) {
    fputs("<p class=\"title\" dir=\"auto\">", f);
    h_esc(f, m->title);
    fputs("</p>\n", f);
  }
  fputs("<dl class=\"meta\">\n", f);
  if (m) {
    fputs("<dt>origin</dt><dd><bdi>", f);
    h_esc(f, m->origin);
    fputs("</bdi></dd>\n", f);
  }
  fputs("<dt>anchor</dt><dd><bdi>", f);
  key_str(f, anchor);
  fprintf(f,
          "</bdi> (the commission's key the record was checked against)"
          "</dd>\n<dt>signatures</dt><dd>%s</dd>\n<dt>checked by</dt>"
          "<dd>%s</dd>\n</dl>\n</header>\n",
          mode_str(rep->mode), RC_TOOL);
}

static const char *plural(uint64_t n, const char *one, const char *many) {
  return n == 1 ? one : many;
}

static void verdict(FILE *f, const struct rc_record_report *rep) {
  enum rc_verdict v = rc_record_verdict(rep);
  const struct rc_completeness *c = &rep->completeness;
  char a[32], b[32];
  fprintf(f, "<section class=\"verdict v-%s\" id=\"verdict\">\n",
          rc_verdict_str(v));
  if (v == RC_VERDICT_RECONCILED)
    fputs("<p class=\"word\">RECONCILED</p>\n<p>The published result "
          "follows from the evidence: every signature, district tree and "
          "total checks out, and every figure the commission published "
          "(published.note) equals the recount of the signed count "
          "sheets.</p>\n",
          f);
  else if (v == RC_VERDICT_VERIFIED)
    fputs("<p class=\"word\">VERIFIED</p>\n<p>Every signature, district "
          "tree and total checks out, but the record holds no published "
          "result (published.note), so there is nothing to compare the "
          "recount with. The figures below are the recount of the signed "
          "count sheets.</p>\n",
          f);
  else
    fprintf(f,
            "<p class=\"word\">DISCREPANCIES</p>\n<p>The record does "
            "not check out: %s error finding%s, listed below by "
            "district. The totals shown are recomputed only from the "
            "count sheets that passed every check.</p>\n",
            h_grp(rep->nerrors, a), plural(rep->nerrors, "", "s"));
  if (rep->nwarnings)
    fprintf(f, "<p>%s warning%s (below) %s not change the verdict.</p>\n",
            h_grp(rep->nwarnings, a), plural(rep->nwarnings, "", "s"),
            plural(rep->nwarnings, "does", "do"));
  if (rep->have_manifest && rep->station_status) {
    fprintf(f, "<p>Recomputed from %s of %s stations", h_grp(c->counted, a),
            h_grp(c->stations, b));
    if (c->counted == c->stations)
      fputs(": every registered station has a counted sheet.", f);
    else
      fprintf(f,
              "; the %s registered voters of the others are not in the "
              "totals, and %s.",
              h_grp(c->registered_uncounted, a),
              c->outcome_can_change
                  ? "<strong>they could change who leads</strong>"
                  : "they could not change who leads");
    fputs("</p>\n", f);
  }
  fputs("</section>\n", f);
}

static void nav(FILE *f, const struct rc_record_report *rep) {
  fputs("<nav><a href=\"#verdict\">Verdict</a>", f);
  if (rep->have_manifest)
    fputs("<a href=\"#figures\">Figures</a><a href=\"#completeness\">"
          "Completeness</a><a href=\"#charts\">Charts</a><a "
          "href=\"#districts\">Districts</a>",
          f);
  fputs("<a href=\"#findings\">Findings</a></nav>\n", f);
}

/* ---- published figures ---- */

/* The value of figure kind k (choice index ci) in t: num and den. */
static void fig_of(const struct rc_totals *t, enum rc_fig k, long ci,
                   uint64_t *num, uint64_t *den) {
  *den = 1;
  switch (k) {
  case RC_FIG_REGISTERED: *num = t->registered; break;
  case RC_FIG_BALLOTS: *num = t->ballots; break;
  case RC_FIG_INVALID: *num = t->invalid; break;
  case RC_FIG_BLANK: *num = t->blank; break;
  case RC_FIG_EXCLUDED: *num = t->excluded; break;
  case RC_FIG_VALID: *num = t->valid; break;
  case RC_FIG_VOTE: *num = ci >= 0 ? t->votes[ci] : 0; break;
  case RC_FIG_SHARE:
    *num = ci >= 0 ? t->votes[ci] : 0;
    *den = t->valid;
    break;
  default: *num = t->ballots; *den = t->registered;
  }
}

static long choice_index(const struct rc_manifest *m, const char *id) {
  for (size_t c = 0; c < m->nchoices; c++)
    if (!strcmp(m->choices[c].id, id)) return (long)c;
  return -1;
}

static int is_pct(enum rc_fig k) {
  return k == RC_FIG_SHARE || k == RC_FIG_TURNOUT;
}

static void fig_cell(FILE *f, enum rc_fig k, uint64_t num, uint64_t den,
                     uint8_t dec) {
  char a[32];
  fputs("<td class=\"n\">", f);
  if (is_pct(k)) h_pct(f, num, den, dec);
  else fputs(h_grp(num, a), f);
  fputs("</td>", f);
}

static void figure_row(FILE *f, const struct rc_record_report *rep,
                       const struct rc_fig_result *r, int claims) {
  const struct rc_manifest *m = &rep->manifest;
  const struct rc_figure *fg = &r->fig;
  char a[32];
  fprintf(f, "<tr%s><td>", r->ok ? "" : " class=\"bad\"");
  if (fg->district[0]) {
    fputs("district <a href=\"#district-", f);
    h_esc(f, fg->district);
    fputs("\">", f);
    h_esc(f, fg->district);
    fputs("</a>: ", f);
  }
  fputs(rc_fig_str(fg->kind), f);
  if (fg->choice[0]) {
    fputc(' ', f);
    h_esc(f, fg->choice);
  }
  fputs("</td><td class=\"n\">", f);
  if (is_pct(fg->kind)) {
    struct rc_buf b = {0};
    rc_percent_encode(&fg->pct, &b);
    fprintf(f, "%.*s %%", b.oom ? 1 : (int)b.len,
            b.oom ? "?" : (const char *)b.p);
    rc_buf_free(&b);
  } else {
    fputs(h_grp(fg->count, a), f);
  }
  fputs("</td>", f);
  const struct rc_totals *t = &rep->totals;
  long di = fg->district[0]
                ? rc_manifest_district(m, fg->district, strlen(fg->district))
                : -1;
  if (di >= 0 && rep->districts) t = &rep->districts[di].totals;
  if (t->overflow || t->changed)
    fprintf(f, "<td class=\"n\">%s</td>",
            t->overflow ? "beyond 64 bits" : "a file changed");
  else fig_cell(f, fg->kind, r->num, r->den, fg->pct.decimals);
  if (r->ok) {
    fputs("<td class=\"ok\">✓</td>", f);
  } else if (!is_pct(fg->kind) && !t->overflow && !t->changed) {
    uint64_t d = fg->count > r->num ? fg->count - r->num : r->num - fg->count;
    fprintf(f, "<td class=\"bad\">✗ %s%s</td>", fg->count > r->num ? "+" : "−",
            h_grp(d, a));
  } else {
    fputs("<td class=\"bad\">✗</td>", f);
  }
  if (claims) {
    if (fg->district[0] || t->overflow || rep->uncounted.overflow) {
      fputs("<td></td>", f);
    } else {
      uint64_t un, ud, n, d;
      long ci = choice_index(m, fg->choice);
      fig_of(&rep->uncounted, fg->kind, ci, &un, &ud);
      fig_of(&rep->totals, fg->kind, ci, &n, &d);
      fig_cell(f, fg->kind, h_sat_add(n, un),
               is_pct(fg->kind) ? h_sat_add(d, ud) : 1, fg->pct.decimals);
    }
  }
  fputs("</tr>\n", f);
}

/* Recomputed totals as rows (no published figures to compare). */
static void totals_rows(FILE *f, const struct rc_record_report *rep) {
  const struct rc_manifest *m = &rep->manifest;
  const struct rc_totals *t = &rep->totals;
  for (int k = RC_FIG_REGISTERED; k < RC_FIG__COUNT; k++) {
    size_t n = (k == RC_FIG_VOTE || k == RC_FIG_SHARE) ? m->nchoices : 1;
    for (size_t c = 0; c < n; c++) {
      uint64_t num, den;
      long ci = (k == RC_FIG_VOTE || k == RC_FIG_SHARE) ? (long)c : -1;
      fig_of(t, (enum rc_fig)k, ci, &num, &den);
      fprintf(f, "<tr><td>%s", rc_fig_str((enum rc_fig)k));
      if (ci >= 0) {
        fputc(' ', f);
        h_esc(f, m->choices[c].id);
      }
      fputs("</td>", f);
      fig_cell(f, (enum rc_fig)k, num, den, 2);
      fputs("</tr>\n", f);
    }
  }
}

/* Where a published "registered" usually comes from: the manifest. */
static void registered_note(FILE *f, const struct rc_record_report *rep) {
  const struct rc_manifest *m = &rep->manifest;
  uint64_t all = 0;
  char a[32], b[32], c[32];
  for (size_t i = 0; i < m->nstations; i++)
    all = h_sat_add(all, m->stations[i].registered);
  fprintf(f,
          "<p>Registered is recomputed over the counted sheets (%s); "
          "the manifest registers %s voters in all, %s of them at "
          "stations not counted.</p>\n",
          h_grp(rep->totals.registered, a), h_grp(all, b),
          h_grp(rep->completeness.registered_uncounted, c));
}

static void figures(FILE *f, const struct rc_record_report *rep) {
  fputs("<section id=\"figures\">\n", f);
  if (!(rep->have_published && rep->nfigs)) {
    fprintf(f, "<h2>Recomputed totals</h2>\n<p>%s</p>\n",
            rep->have_published
                ? "published.note could not be read (see the findings): "
                  "these are the totals of the counted sheets, with nothing "
                  "to compare them with."
                : "The record has no published.note: these are the totals "
                  "of the counted sheets, with nothing to compare them "
                  "with.");
    fputs("<table><thead><tr><th>Figure</th><th class=\"n\">Recomputed"
          "</th></tr></thead>\n<tbody>\n",
          f);
    totals_rows(f, rep);
    fputs("</tbody></table>\n</section>\n", f);
    return;
  }
  int claims = rep->completeness.rejected > 0;
  size_t bad = 0;
  for (size_t i = 0; i < rep->nfigs; i++) bad += !rep->figs[i].ok;
  char a[32], b[32];
  fprintf(f,
          "<h2>Published figures against the recount</h2>\n<p>%s of %s "
          "published figures reconcile with the recount of the counted "
          "sheets.%s%s</p>\n<div class=\"scroll\"><table><thead><tr>"
          "<th>Figure</th><th class=\"n\">Published</th><th "
          "class=\"n\">Recomputed</th><th></th>%s</tr></thead>\n"
          "<tbody>\n",
          h_grp(rep->nfigs - bad, a), h_grp(rep->nfigs, b),
          bad ? " ✗ +N: the published figure is N more than the recount "
                "(−N: N less)."
              : "",
          claims ? " The last column adds what the sheets that were not "
                   "counted claim: it shows where a difference comes from, "
                   "it is not evidence."
                 : "",
          claims ? "<th class=\"n\">With the claims of the sheets not "
                   "counted</th>"
                 : "");
  int reg_bad = 0;
  for (size_t i = 0; i < rep->nfigs; i++) {
    figure_row(f, rep, &rep->figs[i], claims);
    reg_bad |= rep->figs[i].fig.kind == RC_FIG_REGISTERED &&
               !rep->figs[i].fig.district[0] && !rep->figs[i].ok;
  }
  fputs("</tbody></table></div>\n", f);
  if (reg_bad) registered_note(f, rep);
  fputs("</section>\n", f);
}

/* ---- districts ---- */

struct dstat {
  uint64_t counted;        /* stations counted */
  size_t errors, warnings; /* findings naming the district */
  size_t figs, figs_bad;   /* published district figures */
};

static struct dstat *district_stats(const struct rc_record_report *rep) {
  const struct rc_manifest *m = &rep->manifest;
  struct dstat *ds = calloc(m->ndistricts, sizeof *ds);
  if (!ds) return NULL;
  for (size_t i = 0; rep->station_status && i < m->nstations; i++)
    if (rep->station_status[i] == RC_STATION_COUNTED)
      ds[m->stations[i].district].counted++;
  for (size_t i = 0; i < rep->nfindings; i++) {
    size_t g = html_finding_group(rep, &rep->findings[i]);
    if (g >= m->ndistricts) continue;
    if (rc_code_severity(rep->findings[i].code) == RC_SEV_ERROR) ds[g].errors++;
    else ds[g].warnings++;
  }
  for (size_t i = 0; i < rep->nfigs; i++) {
    const char *d = rep->figs[i].fig.district;
    long di = d[0] ? rc_manifest_district(m, d, strlen(d)) : -1;
    if (di < 0) continue;
    ds[di].figs++;
    ds[di].figs_bad += !rep->figs[i].ok;
  }
  return ds;
}

static void district_row(FILE *f, const struct rc_record_report *rep, size_t d,
                         const struct dstat *s) {
  const struct rc_manifest *m = &rep->manifest;
  const struct rc_totals *t = &rep->districts[d].totals;
  char a[32], b[32], c[32], e[32];
  fputs("<tr id=\"district-", f);
  h_esc_plain(f, m->districts[d].id);
  fprintf(f, "\"%s><td><code>",
          s->errors || s->figs_bad ? " class=\"bad\"" : "");
  h_esc(f, m->districts[d].id);
  fputs("</code> ", f);
  h_bdi(f, m->districts[d].name);
  fprintf(f,
          "</td><td class=\"n\">%s / %s</td><td class=\"n\">%s</td>"
          "<td class=\"n\">%s</td><td class=\"n\">",
          h_grp(s->counted, a), h_grp(rep->districts[d].stations, b),
          h_grp(t->registered, c), h_grp(t->ballots, e));
  h_pct(f, t->ballots, t->registered, 2);
  fputs("</td>", f);
  for (size_t k = 0; k < m->nchoices; k++) {
    fputs("<td class=\"n\">", f);
    h_pct(f, t->votes[k], t->valid, 2);
    fputs("</td>", f);
  }
  if (!s->figs) fputs("<td class=\"mute\">–</td>", f);
  else if (s->figs_bad)
    fprintf(f, "<td class=\"bad\">✗ %zu of %zu</td>", s->figs_bad, s->figs);
  else fprintf(f, "<td class=\"ok\">✓ %zu</td>", s->figs);
  if (s->errors || s->warnings) {
    fputs("<td><a href=\"#d-", f);
    h_esc_plain(f, m->districts[d].id);
    fprintf(f, "\">%zu error%s, %zu warning%s</a></td>", s->errors,
            s->errors == 1 ? "" : "s", s->warnings,
            s->warnings == 1 ? "" : "s");
  } else fputs("<td class=\"mute\">none</td>", f);
  fputs("</tr>\n", f);
}

static void districts(FILE *f, const struct rc_record_report *rep) {
  const struct rc_manifest *m = &rep->manifest;
  if (!rep->districts) return;
  struct dstat *ds = district_stats(rep);
  fputs("<section id=\"districts\">\n<h2>Districts</h2>\n", f);
  if (!ds) {
    fputs("<p>Out of memory: the district table is left out.</p>\n"
          "</section>\n",
          f);
    return;
  }
  fputs("<p>Figures recomputed from the counted sheets (registered: over "
        "the counted stations). Published: the district's figures in "
        "published.note.</p>\n<div class=\"scroll\"><table><thead><tr><th>"
        "District</th><th class=\"n\">Stations counted</th><th class=\"n\">"
        "Registered</th><th class=\"n\">Ballots</th><th class=\"n\">"
        "Turnout</th>",
        f);
  for (size_t k = 0; k < m->nchoices; k++) {
    fputs("<th class=\"n\">", f);
    h_esc(f, m->choices[k].id);
    fputs("</th>", f);
  }
  fputs("<th>Published</th><th>Findings</th></tr></thead>\n<tbody>\n", f);
  for (size_t d = 0; d < m->ndistricts; d++) district_row(f, rep, d, &ds[d]);
  fputs("</tbody></table></div>\n</section>\n", f);
  free(ds);
}

void rc_report_html(FILE *f, const struct rc_record_report *rep,
                    const struct rc_vkey *anchor) {
  head(f, rep);
  header(f, rep, anchor);
  verdict(f, rep);
  nav(f, rep);
  if (rep->have_manifest) {
    figures(f, rep);
    html_completeness(f, rep);
    html_charts(f, rep);
    districts(f, rep);
  }
  html_findings(f, rep);
  fprintf(f,
          "<footer>Written by %s from the record alone. This file "
          "contains no script and loads nothing; the JSON report "
          "(--json) holds the same check for programs.</footer>\n"
          "</body>\n</html>\n",
          RC_TOOL);
}

/* ---- the atomic write ---- */

/* Moves tmp to path unless path exists: renameat2(RENAME_NOREPLACE), or
 * where the file system has no such rename, link(2), which also refuses
 * an existing target. */
static int publish(const char *tmp, const char *path) {
  if (renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_NOREPLACE) == 0) return 0;
  if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP) return -1;
  if (link(tmp, path) != 0) return -1;
  unlink(tmp);
  return 0;
}

int rc_report_html_write(const char *path, const struct rc_record_report *rep,
                         const struct rc_vkey *anchor, struct rc_error *err) {
  struct stat sb;
  if (lstat(path, &sb) == 0)
    return rc_fail(err, RC_ERR_EXISTS, 0, "html",
                   "%s already exists; refusing to overwrite it", path);
  size_t plen = strlen(path);
  char *tmp = malloc(plen + 40);
  if (!tmp) return rc_fail(err, RC_ERR_NOMEM, 0, "html", "out of memory");
  int fd = -1, rc = RC_OK;
  for (int i = 0; i < 100 && fd < 0; i++) {
    snprintf(tmp, plen + 40, "%s.tmp-%ld-%d", path, (long)getpid(), i);
    fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd < 0 && errno != EEXIST) break;
  }
  if (fd < 0) {
    rc = rc_fail(err, RC_ERR_IO, 0, "html", "%s: cannot create: %s", path,
                 strerror(errno));
    free(tmp);
    return rc;
  }
  FILE *f = fdopen(fd, "w");
  if (!f) {
    close(fd);
    rc = rc_fail(err, RC_ERR_NOMEM, 0, "html", "out of memory");
    goto fail;
  }
  rc_report_html(f, rep, anchor);
  int werr = fflush(f) != 0 || ferror(f);
  int e = errno;
  if (!werr && fsync(fileno(f)) != 0) werr = 1, e = errno;
  if (fclose(f) != 0 && !werr) werr = 1, e = errno;
  if (werr) {
    rc = rc_fail(err, RC_ERR_IO, 0, "html", "%s: write failed: %s", path,
                 strerror(e));
    goto fail;
  }
  if (publish(tmp, path) != 0) {
    rc = errno == EEXIST
             ? rc_fail(err, RC_ERR_EXISTS, 0, "html",
                       "%s already exists; refusing to overwrite it", path)
             : rc_fail(err, RC_ERR_IO, 0, "html", "%s: %s", path,
                       strerror(errno));
    goto fail;
  }
  free(tmp);
  return RC_OK;
fail:
  unlink(tmp);
  free(tmp);
  return rc;
}
