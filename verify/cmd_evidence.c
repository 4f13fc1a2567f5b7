/* cmd_evidence.c — `recount-verify evidence --anchor FILE DIR`: does the
 * evidence directory DIR (written by `record --evidence`, or handed over
 * by anyone) prove on its own that the key the anchor-signed manifest
 * registers for station DIR's name signed two different count sheets?
 * The check is engine/evidence_check.c. Exit 0 proven, 1 not (saying
 * why), 2 could not run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "keys.h"
#include "observed.h"

static const char *usage_line =
    "usage: recount-verify evidence --anchor FILE DIR/<station-id>\n";

int rc_evidence_main(int argc, char **argv) {
  const char *anchor_path = NULL, *dir = NULL;
  for (int i = 0; i < argc; i++) {
    if (!strcmp(argv[i], "--anchor") && i + 1 < argc) anchor_path = argv[++i];
    else if (argv[i][0] == '-' && argv[i][1]) {
      fprintf(stderr, "recount-verify evidence: unknown option %s\n%s", argv[i],
              usage_line);
      return 2;
    } else if (!dir) dir = argv[i];
    else {
      fprintf(stderr, "recount-verify evidence: one DIR only\n%s", usage_line);
      return 2;
    }
  }
  if (!anchor_path || !dir) {
    fputs(usage_line, stderr);
    return 2;
  }
  struct rc_vkey anchor;
  char namebuf[RC_KEYNAME_MAX + 1];
  struct rc_error err;
  if (rc_vkey_read_file(anchor_path, &anchor, namebuf, &err) != RC_OK) {
    fprintf(stderr, "recount-verify: anchor %s: %s\n", anchor_path, err.msg);
    return 2;
  }
  /* the station is the directory's last component */
  char base[RC_ID_MAX + 2] = "";
  size_t n = strlen(dir);
  while (n > 1 && dir[n - 1] == '/') n--;
  size_t b = n;
  while (b > 0 && dir[b - 1] != '/') b--;
  if (n - b <= RC_ID_MAX) {
    memcpy(base, dir + b, n - b);
    base[n - b] = 0;
  } else {
    snprintf(base, sizeof base, "(a name of %zu bytes)", n - b);
  }
  struct rc_evidence_result *res = malloc(sizeof *res);
  if (!res) {
    fprintf(stderr, "recount-verify: out of memory\n");
    return 2;
  }
  int rc = rc_evidence_check(dir, &anchor, base, res);
  if (rc != RC_OK) {
    fprintf(stderr, "recount-verify: %s\n",
            rc == RC_ERR_NOMEM ? "out of memory" : res->why);
    free(res);
    return 2;
  }
  printf("recount-verify: evidence %s\n", dir);
  int status = res->proved ? 0 : 1;
  if (res->proved) {
    printf("  manifest.note   signed by the anchor key %.*s\n",
           (int)anchor.namelen, anchor.name);
    printf("  station         %s (district %s), registered key %s\n",
           res->station, res->district, res->key);
    printf("  a.note, b.note  two count sheets of station %s, both validly "
           "signed by that key (libsodium and OpenSSL); they first differ "
           "at line %zu\n",
           res->station, res->differ_line);
    printf("PROVEN: the key the anchor-signed manifest registers for station "
           "%s signed two different count sheets.\n",
           res->station);
  } else {
    printf("NOT PROVEN: %s\n", res->why);
  }
  free(res);
  if (fflush(stdout) != 0) return 2;
  return status;
}
