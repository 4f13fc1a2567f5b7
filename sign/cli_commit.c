/* cli_commit.c — what `recount-sign commit` and `prove` show (cli.h). */
#include "cli.h"

#include <stdio.h>
#include <string.h>

#include "b64.h"
#include "fileio.h"
#include "report.h"

int rc_cli_commit_outcome(const char *cmd, enum rc_outcome out,
                          struct rc_commit_result *res) {
  if (res->list_findings) rc_report_findings(stderr, &res->rep);
  if (out != RC_DONE && res->why[0])
    fprintf(stderr, "recount-sign %s: %s\n", cmd, res->why);
  if (out == RC_DONE && !strcmp(cmd, "commit")) {
    char root[48], lroot[48];
    rc_b64_encode(res->root, 32, root);
    rc_b64_encode(res->log_root, 32, lroot);
    fprintf(stderr,
            "committed %zu districts, %llu counted sheets%s; election root "
            "%s; release log of %llu sheets, root %s\n",
            res->districts, (unsigned long long)res->counted,
            res->warnings ? " (with warnings above)" : "", root,
            (unsigned long long)res->log_size, lroot);
  }
  rc_commit_result_free(res);
  return out == RC_DONE ? 0 : out == RC_REFUSED ? 1 : 2;
}
