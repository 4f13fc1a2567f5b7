/* cmd_receipt.c — `recount-verify receipt --anchor FILE RECEIPT`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "keys.h"
#include "read.h"
#include "receipt_check.h"
#include "report.h"

int rc_receipt_main(int argc, char **argv) {
  const char *anchor_path = NULL, *file = NULL;
  for (int i = 0; i < argc; i++) {
    if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
      fputs("usage: recount-verify receipt --anchor FILE RECEIPT\n"
            "Checks a station's receipt offline: its signed sheet, the\n"
            "district record, both inclusion paths, the manifest and the\n"
            "signed checkpoint, against the commission's anchor key.\n",
            stdout);
      return 0;
    }
    if (!strcmp(argv[i], "--anchor") && i + 1 < argc) anchor_path = argv[++i];
    else if (argv[i][0] == '-' && argv[i][1]) {
      fprintf(stderr, "recount-verify receipt: unknown option %s\n", argv[i]);
      return 2;
    } else if (!file) file = argv[i];
    else {
      fprintf(stderr, "recount-verify receipt: one RECEIPT only\n");
      return 2;
    }
  }
  if (!anchor_path || !file) {
    fprintf(stderr, "usage: recount-verify receipt --anchor FILE RECEIPT\n");
    return 2;
  }
  struct rc_vkey anchor;
  char namebuf[RC_KEYNAME_MAX + 1];
  struct rc_error err;
  if (rc_vkey_read_file(anchor_path, &anchor, namebuf, &err) != RC_OK) {
    fprintf(stderr, "recount-verify: anchor %s: %s\n", anchor_path, err.msg);
    return 2;
  }
  uint8_t *buf = NULL;
  size_t len = 0;
  if (rc_read_file(file, RC_RECEIPT_MAX, &buf, &len, &err) != RC_OK) {
    fprintf(stderr, "recount-verify: %s\n", err.msg);
    return 2;
  }
  struct rc_receipt_result *res = malloc(sizeof *res);
  int rc = res ? rc_receipt_check(buf, len, &anchor, RC_CRYPTO_BOTH, res)
               : RC_ERR_NOMEM;
  free(buf);
  if (rc != RC_OK) {
    fprintf(stdout, "out of memory\nRECEIPT NOT VERIFIED\n");
    free(res);
    return 1;
  }
  rc_report_receipt(stdout, res);
  int status = res->verified ? 0 : 1;
  free(res);
  if (fflush(stdout) != 0) return 2;
  return status;
}
