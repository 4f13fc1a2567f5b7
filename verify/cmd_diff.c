/* cmd_diff.c — (v1.1) `recount-verify diff --anchor A [--json] OLD NEW`
 * (RECORD.md §6): both records checked fully, OLD's checkpoint as
 * --previous of NEW (RELEASE_REWRITTEN), OLD's manifest station lines
 * against NEW's (RELEASE_MANIFEST_CHANGED), then what changed: stations
 * newly counted, every district and every published figure before ->
 * after. Exit 0 when NEW has no error finding and extends OLD (OLD's own
 * findings are listed but do not set the status), 1 otherwise, 2 when it
 * could not run. One signature cache serves both checks, so a sheet note
 * byte-identical in both releases is verified once. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "b64.h"
#include "cmd.h"
#include "keys.h"
#include "report.h"

struct diff {
  struct rc_record_report old, nw;
  struct rc_manifest_diff md;
  char **counted; /* stations with a sheet in NEW's trees, not OLD's */
  size_t ncounted;
};

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The stations with a sheet in rep's district trees, sorted, unique
 * (pointers into rep). */
static char **tree_stations(const struct rc_record_report *rep, size_t *n) {
  size_t total = 0, k = 0;
  *n = 0;
  if (!rep->have_manifest || !rep->districts) return calloc(1, 1);
  for (size_t d = 0; d < rep->manifest.ndistricts; d++)
    total += rep->districts[d].sheets;
  char **v = malloc((total ? total : 1) * sizeof *v);
  if (!v) return NULL;
  for (size_t d = 0; d < rep->manifest.ndistricts; d++)
    for (size_t i = 0; i < rep->districts[d].sheets; i++)
      v[k++] = rep->districts[d].leaf_station[i];
  qsort(v, total, sizeof *v, cmp_str);
  size_t u = 0;
  for (size_t i = 0; i < total; i++)
    if (!u || strcmp(v[u - 1], v[i])) v[u++] = v[i];
  *n = u;
  return v;
}

static int newly_counted(struct diff *df) {
  size_t no = 0, nn = 0, i = 0;
  char **o = tree_stations(&df->old, &no), **n = tree_stations(&df->nw, &nn);
  int rc = -1;
  if (!o || !n) goto out;
  df->counted = malloc((nn ? nn : 1) * sizeof *df->counted);
  if (!df->counted) goto out;
  for (size_t j = 0; j < nn; j++) {
    while (i < no && strcmp(o[i], n[j]) < 0) i++;
    if (i == no || strcmp(o[i], n[j]) != 0) df->counted[df->ncounted++] = n[j];
  }
  rc = 0;
out:
  free(o);
  free(n);
  return rc;
}

static long old_district(const struct diff *df, const char *id) {
  if (!df->old.have_manifest || !df->old.districts) return -1;
  return rc_manifest_district(&df->old.manifest, id, strlen(id));
}

/* A published figure's value as text ("1234", "72.16"). */
static void fig_value(const struct rc_figure *f, char *out, size_t n) {
  if (f->kind == RC_FIG_SHARE || f->kind == RC_FIG_TURNOUT) {
    struct rc_buf b = {0};
    rc_percent_encode(&f->pct, &b);
    snprintf(out, n, "%.*s", b.oom ? 1 : (int)b.len,
             b.oom ? "?" : (const char *)b.p);
    rc_buf_free(&b);
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
static void each_figure(const struct diff *df,
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
        fig_value(&df->old.figs[j].fig, a, sizeof a);
        before = a;
      }
    fig_label(f, label, sizeof label);
    fig_value(f, b, sizeof b);
    emit(ctx, label, before, b, k++);
  }
  for (size_t j = 0; j < df->old.nfigs; j++) {
    const struct rc_figure *f = &df->old.figs[j].fig;
    int kept = 0;
    for (size_t i = 0; i < df->nw.nfigs && !kept; i++)
      kept = same_fig(&df->nw.figs[i].fig, f);
    if (kept) continue;
    fig_label(f, label, sizeof label);
    fig_value(f, a, sizeof a);
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

static void json_diff(FILE *out, const struct diff *df, int status) {
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
  each_figure(df, json_fig, out);
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
  fprintf(out, "%s: %zu error%s, %zu warning%s", what, rep->nerrors,
          rep->nerrors == 1 ? "" : "s", rep->nwarnings,
          rep->nwarnings == 1 ? "" : "s");
  if (rep->have_log)
    fprintf(out, "; release log of %llu sheets",
            (unsigned long long)rep->log_size);
  fputc('\n', out);
  for (size_t i = 0; i < rep->nfindings; i++)
    rc_report_finding(out, &rep->findings[i], RC_FINDING_INDENTED);
}

static void human_diff(FILE *out, const struct diff *df, int status) {
  const struct rc_manifest *m = &df->nw.manifest;
  fprintf(out, "recount diff — election %s\n\n", m->election);
  human_side(out, "OLD (its findings do not set the status)", &df->old);
  human_side(out, "NEW", &df->nw);
  fprintf(out, "\nStations newly counted: %zu\n", df->ncounted);
  for (size_t i = 0; i < df->ncounted; i++)
    fprintf(out, "  %s\n", df->counted[i]);
  fprintf(out,
          "\nManifest station lines: %zu added, %zu removed, %zu "
          "changed\n",
          df->md.nadded, df->md.nremoved, df->md.nchanged);
  fputs("\nDistricts (counted sheets, ballots) before -> after\n", out);
  for (size_t d = 0; d < m->ndistricts; d++) {
    long od = old_district(df, m->districts[d].id);
    const struct rc_district_result *a =
                                        od >= 0 ? &df->old.districts[od] : NULL,
                                    *b = &df->nw.districts[d];
    fprintf(out, "  %-24s %6llu %10llu -> %6llu %10llu\n", m->districts[d].id,
            a ? (unsigned long long)a->totals.sheets_counted : 0ull,
            a ? (unsigned long long)a->totals.ballots : 0ull,
            (unsigned long long)b->totals.sheets_counted,
            (unsigned long long)b->totals.ballots);
  }
  fputs("\nPublished figures before -> after\n", out);
  each_figure(df, human_fig, out);
  fprintf(out, "\nStatus: %s\n",
          status == 0 ? "NEW EXTENDS OLD — no error finding in NEW, every "
                        "sheet OLD published is still there, in place."
                      : "DISCREPANCIES — see NEW's findings above.");
}

static int check(const char *path, const struct rc_record_opts *o,
                 struct rc_record_report *rep) {
  if (rc_record_check(path, o, rep) != RC_OK || rep->fatal) {
    fprintf(stderr, "recount-verify: %s\n", rep->fatal_msg);
    return -1;
  }
  return 0;
}

int rc_diff_main(int argc, char **argv) {
  const char *anchor_path = NULL, *paths[2] = {NULL, NULL};
  int json = 0, status = 2, np = 0;
  struct rc_record_opts o = {.keep_leaves = 1};
  struct rc_previous_list prev = {0};
  struct diff df;
  memset(&df, 0, sizeof df);
  static const char usage[] =
      "usage: recount-verify diff --anchor FILE [--json] OLD_RECORD "
      "NEW_RECORD\n"
      "Checks both records fully, then OLD's checkpoint as --previous of\n"
      "NEW, and lists what changed between the two releases.\n";
  for (int i = 0; i < argc; i++) {
    if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
      fputs(usage, stdout);
      return 0;
    }
    if (!strcmp(argv[i], "--anchor") && i + 1 < argc) anchor_path = argv[++i];
    else if (!strcmp(argv[i], "--json")) json = 1;
    else if (argv[i][0] != '-' && np < 2) paths[np++] = argv[i];
    else {
      fprintf(stderr, "recount-verify: diff: unexpected %s\n", argv[i]);
      np = -1;
      break;
    }
  }
  if (!anchor_path || np != 2) {
    fputs("usage: recount-verify diff --anchor FILE [--json] OLD_RECORD "
          "NEW_RECORD\n",
          stderr);
    return 2;
  }
  struct rc_vkey anchor;
  char namebuf[RC_KEYNAME_MAX + 1];
  struct rc_error err;
  if (rc_vkey_read_file(anchor_path, &anchor, namebuf, &err) != RC_OK) {
    fprintf(stderr, "recount-verify: anchor %s: %s\n", anchor_path, err.msg);
    return 2;
  }
  o.anchor = &anchor;
  o.sigcache = rc_sigcache_new();
  if (!o.sigcache || check(paths[0], &o, &df.old) != 0) goto out;
  /* OLD's checkpoint as --previous of NEW; an unreadable one is a
   * RELEASE_REWRITTEN of NEW (nothing to extend), not a failure to run */
  char cp[4096];
  snprintf(cp, sizeof cp, "%s/checkpoint.note", paths[0]);
  static const uint8_t none[1];
  struct rc_previous missing = {"old:checkpoint.note", none, 0};
  if (rc_previous_add(&prev, cp, "old:") == 0) {
    o.previous = prev.v;
    o.nprevious = prev.n;
  } else {
    o.previous = &missing;
    o.nprevious = 1;
  }
  if (check(paths[1], &o, &df.nw) != 0) goto out;
  if (!df.old.have_manifest || !df.nw.have_manifest) {
    fprintf(stderr, "recount-verify: diff: %s has no usable manifest\n",
            df.old.have_manifest ? paths[1] : paths[0]);
    goto out;
  }
  if (rc_release_manifest_diff(&df.old.manifest, &df.nw, &df.md) != RC_OK ||
      newly_counted(&df) != 0) {
    fputs("recount-verify: out of memory\n", stderr);
    goto out;
  }
  status = df.nw.nerrors ? 1 : 0;
  if (json) json_diff(stdout, &df, status);
  else human_diff(stdout, &df, status);
  if (fflush(stdout) != 0) status = 2;
out:
  rc_manifest_diff_free(&df.md);
  free(df.counted);
  rc_record_report_free(&df.old);
  rc_record_report_free(&df.nw);
  rc_previous_free(&prev);
  rc_sigcache_free(o.sigcache);
  return status;
}
