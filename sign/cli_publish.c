/* cli_publish.c — `recount-sign publish`: the published figures text
 * recomputed from the counted sheets of a record, to be signed with
 * `recount-sign sign` and placed in the record as published.note.
 *
 * The record is checked fully by the verifier's engine (rc_record_check)
 * and the figures are its totals, so the published note reconciles with
 * the verifier exactly. It is refused (exit 1) when the check finds any
 * error other than about published.note itself (an earlier published.note
 * that no longer fits is what publish replaces). Choices made where the
 * brief was silent:
 *   - `registered` is the sum over the counted sheets (what the verifier
 *     reconciles), not the manifest's sum over every station;
 *   - a percent of a zero denominator (an empty district's turnout) is
 *     written as 0 at the chosen decimals, which reconciles (RECORD.md
 *     v1.1 §3);
 *   - warnings do not refuse; they are listed on stderr;
 *   - the text goes to standard output or --out (never overwritten). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "keys.h"
#include "publish.h"
#include "record.h"
#include "report.h"

#define CMD "publish"

const char rc_cli_publish_usage[] =
    "publish RECORD --anchor COMMISSION_VKEY [--decimals N] [--districts] "
    "[--out FILE]";
const char rc_cli_publish_help[] =
    "Checks RECORD and writes the published figures recomputed from its\n"
    "counted sheets: every whole-election figure, a share per choice and\n"
    "the turnout at N decimals (default 2, rounded half up), and with\n"
    "--districts the same for every district. Refuses a record with error\n"
    "findings (other than about published.note). Sign the text with\n"
    "`recount-sign sign` and place it in RECORD as published.note.";

static int about_published(const struct rc_finding *f) {
  return f->file && !strcmp(f->file, "published.note");
}

int rc_cli_publish(int argc, char **argv) {
  const char *record = NULL, *anchor = NULL, *out = NULL;
  int districts = 0;
  unsigned decimals = 2;
  for (int i = 0; i < argc; i++) {
    if (!strcmp(argv[i], "--anchor") && i + 1 < argc) anchor = argv[++i];
    else if (!strcmp(argv[i], "--out") && i + 1 < argc) out = argv[++i];
    else if (!strcmp(argv[i], "--districts")) districts = 1;
    else if (!strcmp(argv[i], "--decimals") && i + 1 < argc) {
      const char *d = argv[++i];
      if (strlen(d) != 1 || d[0] < '0' || d[0] > '0' + RC_PERCENT_DECIMALS_MAX)
        return rc_cli_usage(CMD, rc_cli_publish_usage,
                            "--decimals: a number from 0 to 4");
      decimals = (unsigned)(d[0] - '0');
    } else if (argv[i][0] != '-' && !record) record = argv[i];
    else return rc_cli_usage(CMD, rc_cli_publish_usage, argv[i]);
  }
  if (!record || !anchor)
    return rc_cli_usage(CMD, rc_cli_publish_usage,
                        "RECORD and --anchor are required");
  struct rc_vkey a;
  char nb[RC_KEYNAME_MAX + 1];
  struct rc_error err;
  if (rc_vkey_read_file(anchor, &a, nb, &err) != RC_OK)
    return rc_cli_fail(CMD, "--anchor: %s", err.msg);
  struct rc_record_opts o = {0};
  o.anchor = &a;
  o.mode = RC_CRYPTO_BOTH;
  struct rc_record_report rep;
  int status = 2;
  struct rc_buf b = {0};
  char name[512];
  rc_cli_name(record, name, sizeof name);
  if (rc_record_check(record, &o, &rep) != RC_OK || rep.fatal) {
    status = rc_cli_fail(CMD, "%s",
                         rep.fatal_msg[0] ? rep.fatal_msg
                                          : "could not check the "
                                            "record");
    goto out;
  }
  size_t blocking = 0;
  for (size_t i = 0; i < rep.nfindings; i++) {
    const struct rc_finding *f = &rep.findings[i];
    if (about_published(f)) continue;
    if (rc_code_severity(f->code) == RC_SEV_ERROR) blocking++;
    rc_report_finding(stderr, f, RC_FINDING_LINE);
  }
  if (blocking) {
    status = rc_cli_refuse(CMD,
                           "%s has %zu error finding%s (listed above): "
                           "figures are published only from a record "
                           "that verifies",
                           name, blocking, blocking == 1 ? "" : "s");
    goto out;
  }
  int rc = rc_publish_text(&rep, decimals, districts, &b, &err);
  if (rc != RC_OK) {
    status = rc == RC_ERR_NOMEM ? rc_cli_fail(CMD, "out of memory")
                                : rc_cli_refuse(CMD,
                                                "%s: the recomputed "
                                                "figures cannot be "
                                                "published: line %zu: "
                                                "%s",
                                                name, err.line, err.msg);
    goto out;
  }
  status = rc_cli_emit(CMD, out, &b, 0);
out:
  rc_buf_free(&b);
  rc_record_report_free(&rep);
  return status;
}
