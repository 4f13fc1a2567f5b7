/* report_diff.h — the output of `recount-verify diff` (RECORD.md v1.1
 * §6): two checked releases of one election and what changed between
 * them, as the human report or the JSON object "recount-diff/v1"
 * (docs/diff.schema.json). verify/cmd_diff.c runs the checks and fills
 * the struct; this module only writes it. */
#ifndef RC_REPORT_DIFF_H
#define RC_REPORT_DIFF_H
#include <stdio.h>

#include "record.h"

struct rc_diff_report {
  struct rc_record_report old, nw; /* OLD, then NEW with OLD's checkpoint
                                      as --previous */
  struct rc_manifest_diff md;      /* OLD's station lines against NEW's */
  char **counted; /* stations with a sheet in NEW's trees and not in OLD's,
                     sorted (pointers into nw) */
  size_t ncounted;
};

/* status: 0 when NEW extends OLD (no error finding in NEW), else 1. */
/* One line, then '\n'. */
void rc_report_diff_json(FILE *out, const struct rc_diff_report *df,
                         int status);
void rc_report_diff_human(FILE *out, const struct rc_diff_report *df,
                          int status);
#endif
