/* cmd_diff.c — (v1.1) `recount-verify diff --anchor A [--json] OLD NEW`
 * (RECORD.md §6): both records checked fully, OLD's checkpoint as
 * --previous of NEW (RELEASE_REWRITTEN), OLD's manifest station lines
 * against NEW's (RELEASE_MANIFEST_CHANGED), then what changed: stations
 * newly counted, every district and every published figure before ->
 * after. Exit 0 when NEW has no error finding and extends OLD (OLD's own
 * findings are listed but do not set the status), 1 otherwise, 2 when it
 * could not run. One signature cache serves both checks, so a sheet note
 * byte-identical in both releases is verified once. This file runs the
 * checks and fills struct rc_diff_report; cli/report_diff.c writes it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "keys.h"
#include "report_diff.h"

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

static int newly_counted(struct rc_diff_report *df) {
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
  struct rc_diff_report df;
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
  if (json) rc_report_diff_json(stdout, &df, status);
  else rc_report_diff_human(stdout, &df, status);
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
