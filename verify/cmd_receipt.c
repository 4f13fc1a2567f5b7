/* cmd_receipt.c — `recount-verify receipt --anchor A [--manifest M]
 * [--witness VKEY]... [--quorum K] [--json] FILE` (RECORD.md §5): checks a
 * station's receipt, a c2sp.org/tlog-proof@v1 file, offline. Exit 0 every
 * check passed, 1 one failed (or the file is no receipt), 2 could not run
 * (an unreadable anchor, manifest or file; a bad option). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "keys.h"
#include "read.h"
#include "receipt_check.h"
#include "report.h"
#include "witness_opts.h"

#define PROG "recount-verify receipt"

static const char *receipt_usage =
    "usage: recount-verify receipt --anchor FILE [--manifest MANIFEST.note]\n"
    "                              [--origin ORIGIN]\n"
    "                              [--witness VKEY]... [--quorum K] "
    "[--json]\n"
    "                              [--crypto both|libsodium|openssl] "
    "RECEIPT\n";

static const char *receipt_help =
    "Checks a station's receipt (STATION.tlog-proof, c2sp.org/tlog-proof@v1,\n"
    "written by `recount-sign prove`) offline, without the record: that the\n"
    "checkpoint is signed by the commission's key (--anchor) and that the\n"
    "sheet the receipt carries is in the release log it signs. With\n"
    "--manifest (the record's manifest.note) it also checks that the\n"
    "station's registered key signed the sheet and that the sheet follows\n"
    "the rules; without it, it says that this was not checked. --origin\n"
    "is the log the receipt must be of (the manifest pins it too). --witness\n"
    "(repeatable) reports each witness's cosignature; --quorum K (default:\n"
    "every witness given) is how many must be valid. --json prints one\n"
    "JSON object (recount-receipt/v1). Exit: 0 verified, 1 not, 2 could\n"
    "not run.\n";

/* Exit 2 with the reason (a JSON error object with --json). */
static int cannot(int json, const char *what, const char *why) {
  char msg[1024];
  snprintf(msg, sizeof msg, "%s%s%s", what, why[0] ? ": " : "", why);
  if (json) rc_report_json_error(stdout, msg);
  else fprintf(stderr, PROG ": %s\n", rc_esc(msg));
  return 2;
}

int rc_receipt_main(int argc, char **argv) {
  const char *anchor_path = NULL, *file = NULL, *manifest_path = NULL;
  int json = 0, status = 2;
  static struct witness_opts wo;
  memset(&wo, 0, sizeof wo);
  wo.quorum = -1;
  struct rc_receipt_opts o = {.mode = RC_CRYPTO_BOTH};
  uint8_t *buf = NULL, *mbuf = NULL;
  struct rc_receipt_result *res = NULL;
  for (int i = 0; i < argc; i++)
    if (!strcmp(argv[i], "--json")) json = 1;
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
      fputs(receipt_usage, stdout);
      fputs(receipt_help, stdout);
      return 0;
    }
    int w = witness_opt(argc, argv, &i, &wo);
    if (w < 0) return 2;
    if (w > 0) continue;
    if (!strcmp(a, "--anchor") && i + 1 < argc) anchor_path = argv[++i];
    else if (!strcmp(a, "--manifest") && i + 1 < argc)
      manifest_path = argv[++i];
    else if (!strcmp(a, "--origin") && i + 1 < argc) o.origin = argv[++i];
    else if (!strcmp(a, "--json")) json = 1;
    else if (!strcmp(a, "--crypto") && i + 1 < argc) {
      if (rc_parse_crypto_mode(argv[++i], &o.mode) != 0)
        return cannot(json, "--crypto takes both, libsodium or openssl", "");
    } else if (a[0] == '-' && a[1]) {
      if (!json) fputs(receipt_usage, stderr);
      return cannot(json, "unknown option or missing value", a);
    } else if (!file) file = a;
    else return cannot(json, "one RECEIPT only", a);
  }
  if (!anchor_path || !file) {
    if (!json) fputs(receipt_usage, stderr);
    return cannot(json, "--anchor FILE and a RECEIPT are required", "");
  }
  size_t quorum = 0;
  if (witness_opts_finish(&wo, &quorum, &o.now) != 0) return 2;
  struct rc_vkey anchor;
  char namebuf[RC_KEYNAME_MAX + 1];
  struct rc_error err;
  if (rc_vkey_read_file(anchor_path, &anchor, namebuf, &err) != RC_OK)
    return cannot(json, "anchor", err.msg);
  size_t len = 0, mlen = 0;
  int rd = rc_read_file(file, RC_TLOG_PROOF_MAX, &buf, &len, &err);
  if (rd == RC_ERR_LIMIT) {
    /* a file this large is no receipt: a failed check, not a failed run */
    res = calloc(1, sizeof *res);
    if (!res) goto out;
    res->steps[0].step = RC_RS_FORMAT;
    snprintf(res->steps[0].detail, sizeof res->steps[0].detail,
             "larger than %u bytes: not a receipt", RC_TLOG_PROOF_MAX);
    res->nsteps = 1;
    goto report;
  }
  if (rd != RC_OK) {
    status = cannot(json, "receipt", err.msg);
    goto out;
  }
  if (manifest_path && rc_read_file(manifest_path, RC_MANIFEST_MAX, &mbuf,
                                    &mlen, &err) != RC_OK) {
    status = cannot(json, "manifest", err.msg);
    goto out;
  }
  o.anchor = &anchor;
  o.manifest = mbuf;
  o.manifest_len = mlen;
  o.witnesses = wo.keys;
  o.nwitnesses = wo.n;
  o.quorum = quorum;
  res = malloc(sizeof *res);
  int rc = res ? rc_receipt_check(buf, len, &o, res) : RC_ERR_NOMEM;
  if (rc != RC_OK) {
    status = cannot(json, "cannot check the receipt",
                    rc == RC_ERR_NOMEM ? "out of memory" : "bad options");
    goto out;
  }
report:
  if (json) rc_report_receipt_json(stdout, res, file);
  else rc_report_receipt(stdout, res, file);
  status = res->verified ? 0 : 1;
  if (fflush(stdout) != 0) status = 2;
out:
  free(res);
  free(buf);
  free(mbuf);
  return status;
}
