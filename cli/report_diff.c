/* report_diff.c — `recount-verify diff`'s output (report_diff.h): the
 * JSON object "recount-diff/v1" (docs/diff.schema.json) and the human
 * report. OLD's and NEW's findings, the stations newly counted, the
 * manifest's station lines added, removed or changed, every district's
 * counted sheets and ballots and every published figure before -> after.
 * Every byte from a record is escaped (rc_json_str, rc_report_finding). */
#include <stdio.h>
#include <string.h>

#include "report.h"
#include "report_diff.h"
#include "text.h"

static long old_district(const struct rc_diff_report *df, const char *id) {
  if (!df->old.have_manifest || !df->old.districts) return -1;
  return rc_manifest_district(&df->old.manifest, id, strlen(id));
}

/* A published figure's value as text: "1234" as published.note writes it
 * (JSON) or "1,234" (group, the human report), "72.16" either way. */
static void fig_value(const struct rc_figure *f, int group, char *out,
                      size_t n) {
  if (f->kind == RC_FIG_SHARE || f->kind == RC_FIG_TURNOUT) {
    struct rc_buf b = {0};
    rc_percent_encode(&f->pct, &b);
    snprintf(out, n, "%.*s", b.oom ? 1 : (int)b.len,
             b.oom ? "?" : (const char *)b.p);
    rc_buf_free(&b);
  } else if (group) {
    char g[32];
    snprintf(out, n, "%s", rc_fmt_count(g, f->count));
  } else {
    snprintf(out, n, "%llu", (unsigned long long)f->count);
  }
}

static void fig_label(const struct rc_figure *f, char *out, size_t n) {
  snprintf(out, n, "%s%s%s%s%s", f->district[0] ? "district " : "", f->district,
           f->district[0] ? " " : "", rc_fig_str(f->kind),
           f->choice[0] ? " " : "");
  size_t l = strlen(out);
  if (f->choice[0] && l < n) snprintf(out + l, n - l, "%s", f->choice);
}

static int same_fig(const struct rc_figure *a, const struct rc_figure *b) {
  return a->kind == b->kind && !strcmp(a->district, b->district) &&
         !strcmp(a->choice, b->choice);
}

/* Calls emit for every published figure of NEW (with OLD's value or
 * NULL), then every figure of OLD that NEW no longer publishes. */
static void each_figure(const struct rc_diff_report *df, int group,
                        void (*emit)(void *, const char *, const char *,
                                     const char *, size_t),
                        void *ctx) {
  char label[200], a[40], b[40];
  size_t k = 0;
  for (size_t i = 0; i < df->nw.nfigs; i++) {
    const struct rc_figure *f = &df->nw.figs[i].fig;
    const char *before = NULL;
    for (size_t j = 0; j < df->old.nfigs; j++)
      if (same_fig(&df->old.figs[j].fig, f)) {
        fig_value(&df->old.figs[j].fig, group, a, sizeof a);
        before = a;
      }
    fig_label(f, label, sizeof label);
    fig_value(f, group, b, sizeof b);
    emit(ctx, label, before, b, k++);
  }
  for (size_t j = 0; j < df->old.nfigs; j++) {
    const struct rc_figure *f = &df->old.figs[j].fig;
    int kept = 0;
    for (size_t i = 0; i < df->nw.nfigs && !kept; i++)
      kept = same_fig(&df->nw.figs[i].fig, f);
    if (kept) continue;
    fig_label(f, label, sizeof label);
    fig_value(f, group, a, sizeof a);
    emit(ctx, label, a, NULL, k++);
  }
}

/* ---- JSON ---- */
static void json_findings(FILE *out, const struct rc_record_report *rep) {
  fputc('[', out);
  for (size_t i = 0; i < rep->nfindings; i++) {
    const struct rc_finding *f = &rep->findings[i];
    fprintf(out, "%s{\"code\":\"%s\",\"severity\":\"%s\"", i ? "," : "",
            rc_code_str(f->code), rc_severity_str(rc_code_severity(f->code)));
    const char *keys[3] = {"district", "station", "file"};
    const char *vals[3] = {f->district, f->station, f->file};
    for (int k = 0; k < 3; k++)
      if (vals[k]) {
        fprintf(out, ",\"%s\":", keys[k]);
        rc_json_str(out, vals[k]);
      }
    if (f->line) fprintf(out, ",\"line\":%zu", f->line);
    fputs(",\"message\":", out);
    rc_json_str(out, f->message);
    fputc('}', out);
  }
  fputc(']', out);
}

static void json_side(FILE *out, const struct rc_record_report *rep) {
  fprintf(out, "{\"verdict\":\"%s\"",
          rep->nerrors ? "discrepancies" : "verified");
  rc_report_json_log(out, rep);
  fputs(",\"findings\":", out);
  json_findings(out, rep);
  fputc('}', out);
}

static void json_ids(FILE *out, const struct rc_manifest *m, const size_t *idx,
                     size_t n) {
  fputc('[', out);
  for (size_t i = 0; i < n; i++) {
    if (i) fputc(',', out);
    rc_json_str(out, m->stations[idx[i]].id);
  }
  fputc(']', out);
}

static void json_fig(void *ctx, const char *label, const char *before,
                     const char *after, size_t k) {
  FILE *out = ctx;
  fprintf(out, "%s{\"figure\":", k ? "," : "");
  rc_json_str(out, label);
  fputs(",\"before\":", out);
  if (before) rc_json_str(out, before);
  else fputs("null", out);
  fputs(",\"after\":", out);
  if (after) rc_json_str(out, after);
  else fputs("null", out);
  fputc('}', out);
}

static void json_district_side(FILE *out, const struct rc_district_result *r,
                               size_t nchoices) {
  if (!r) {
    fputs("null", out);
    return;
  }
  fprintf(out,
          "{\"sheets\":%llu,\"counted\":%llu,\"ballots\":%llu,"
          "\"votes\":[",
          (unsigned long long)r->sheets,
          (unsigned long long)r->totals.sheets_counted,
          (unsigned long long)r->totals.ballots);
  for (size_t c = 0; c < nchoices; c++)
    fprintf(out, "%s%llu", c ? "," : "",
            (unsigned long long)r->totals.votes[c]);
  fputs("]}", out);
}

void rc_report_diff_json(FILE *out, const struct rc_diff_report *df,
                         int status) {
  const struct rc_manifest *m = &df->nw.manifest;
  fputs("{\"format\":\"recount-diff/v1\",\"election\":", out);
  rc_json_str(out, m->election);
  fprintf(out, ",\"status\":\"%s\",\"old\":",
          status == 0 ? "extends" : "discrepancies");
  json_side(out, &df->old);
  fputs(",\"new\":", out);
  json_side(out, &df->nw);
  fputs(",\"newly_counted\":[", out);
  for (size_t i = 0; i < df->ncounted; i++) {
    if (i) fputc(',', out);
    rc_json_str(out, df->counted[i]);
  }
  fputs("],\"manifest\":{\"added\":", out);
  json_ids(out, m, df->md.added, df->md.nadded);
  fputs(",\"removed\":", out);
  json_ids(out, &df->old.manifest, df->md.removed, df->md.nremoved);
  fputs(",\"changed\":", out);
  json_ids(out, &df->old.manifest, df->md.changed, df->md.nchanged);
  fputs("},\"districts\":[", out);
  for (size_t d = 0; d < m->ndistricts; d++) {
    long od = old_district(df, m->districts[d].id);
    fputs(d ? ",{\"id\":" : "{\"id\":", out);
    rc_json_str(out, m->districts[d].id);
    fputs(",\"before\":", out);
    json_district_side(out, od >= 0 ? &df->old.districts[od] : NULL,
                       m->nchoices);
    fputs(",\"after\":", out);
    json_district_side(out, &df->nw.districts[d], m->nchoices);
    fputc('}', out);
  }
  fputs("],\"published\":[", out);
  each_figure(df, 0, json_fig, out);
  fputs("]}\n", out);
}

/* ---- human ---- */
static void human_fig(void *ctx, const char *label, const char *before,
                      const char *after, size_t k) {
  (void)k;
  fprintf(ctx, "  %-32s %14s -> %s\n", label, before ? before : "-",
          after ? after : "(no longer published)");
}

static void human_side(FILE *out, const char *what,
                       const struct rc_record_report *rep) {
  char a[32], b[32];
  fprintf(out, "%s: %s error%s, %s warning%s", what,
          rc_fmt_count(a, rep->nerrors), rep->nerrors == 1 ? "" : "s",
          rc_fmt_count(b, rep->nwarnings), rep->nwarnings == 1 ? "" : "s");
  if (rep->have_log)
    fprintf(out, "; release log of %s sheets", rc_fmt_count(a, rep->log_size));
  fputc('\n', out);
  for (size_t i = 0; i < rep->nfindings; i++)
    rc_report_finding(out, &rep->findings[i], RC_FINDING_INDENTED);
}

void rc_report_diff_human(FILE *out, const struct rc_diff_report *df,
                          int status) {
  const struct rc_manifest *m = &df->nw.manifest;
  fprintf(out, "recount diff — election %s\n\n", m->election);
  human_side(out, "OLD (its findings do not set the status)", &df->old);
  human_side(out, "NEW", &df->nw);
  char g[4][32];
  fprintf(out, "\nStations newly counted: %s\n",
          rc_fmt_count(g[0], df->ncounted));
  for (size_t i = 0; i < df->ncounted; i++)
    fprintf(out, "  %s\n", df->counted[i]);
  fprintf(out,
          "\nManifest station lines: %s added, %s removed, %s "
          "changed\n",
          rc_fmt_count(g[0], df->md.nadded),
          rc_fmt_count(g[1], df->md.nremoved),
          rc_fmt_count(g[2], df->md.nchanged));
  fputs("\nDistricts (counted sheets, ballots) before -> after\n", out);
  for (size_t d = 0; d < m->ndistricts; d++) {
    long od = old_district(df, m->districts[d].id);
    const struct rc_district_result *a =
                                        od >= 0 ? &df->old.districts[od] : NULL,
                                    *b = &df->nw.districts[d];
    fprintf(out, "  %-24s %6s %10s -> %6s %10s\n", m->districts[d].id,
            rc_fmt_count(g[0], a ? a->totals.sheets_counted : 0),
            rc_fmt_count(g[1], a ? a->totals.ballots : 0),
            rc_fmt_count(g[2], b->totals.sheets_counted),
            rc_fmt_count(g[3], b->totals.ballots));
  }
  fputs("\nPublished figures before -> after\n", out);
  each_figure(df, 1, human_fig, out);
  fprintf(out, "\nStatus: %s\n",
          status == 0 ? "NEW EXTENDS OLD — no error finding in NEW, every "
                        "sheet OLD published is still there, in place."
                      : "DISCREPANCIES — see NEW's findings above.");
}
