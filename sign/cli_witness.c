/* cli_witness.c — `recount-sign witness` on the command line (cli.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "cmd_witness.h"
#include "cosig.h"
#include "report.h"
#include "text.h"

#define PROG "recount-sign witness"

const char rc_cli_witness_usage[] =
    "witness --key W --anchor COMMISSION_VKEY [--state FILE] "
    "[--passphrase-file F] [--now T] RECORD";
const char rc_cli_witness_help[] =
    "Verifies RECORD fully, checks that its checkpoint extends the last one\n"
    "this witness cosigned for the same origin (kept in the state file,\n"
    "default W without .key plus .state), then appends a tlog-cosignature/v1\n"
    "line to RECORD/checkpoint.note (atomic rewrite). Refuses (exit 1) a\n"
    "record with an error finding or a checkpoint that does not extend the\n"
    "earlier one. --now T: the cosignature time (default: this clock).";

static int usage(const char *msg) {
  if (msg) fprintf(stderr, PROG ": %s\n", msg);
  fprintf(stderr, "usage: recount-sign %s\n", rc_cli_witness_usage);
  return 2;
}

int rc_cli_witness(int argc, char **argv) {
  const char *keyp = NULL, *anchorp = NULL, *statep = NULL, *passfile = NULL;
  const char *record = NULL;
  uint64_t now = (uint64_t)time(NULL);
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    int has = i + 1 < argc;
    if (!strcmp(a, "--key") && has) keyp = argv[++i];
    else if (!strcmp(a, "--anchor") && has) anchorp = argv[++i];
    else if (!strcmp(a, "--state") && has) statep = argv[++i];
    else if (!strcmp(a, "--passphrase-file") && has) passfile = argv[++i];
    else if (!strcmp(a, "--now") && has) {
      const char *v = argv[++i];
      if (rc_parse_u64(v, strlen(v), 19, &now) != 0)
        return usage("--now takes seconds since the epoch");
    } else if (a[0] == '-' && a[1]) {
      fprintf(stderr, PROG ": unknown option %s\n", a);
      return usage(NULL);
    } else if (!record) record = a;
    else return usage("one RECORD only");
  }
  if (!keyp || !anchorp || !record)
    return usage("--key, --anchor and RECORD are required");
  char state[4200];
  if (statep) snprintf(state, sizeof state, "%s", statep);
  else {
    size_t n = strlen(keyp);
    if (n > 4 && !strcmp(keyp + n - 4, ".key")) n -= 4;
    snprintf(state, sizeof state, "%.*s.state", (int)n, keyp);
  }
  struct rc_vkey anchor;
  char nb[RC_KEYNAME_MAX + 1];
  struct rc_error err;
  if (rc_vkey_read_file(anchorp, &anchor, nb, &err) != RC_OK) {
    fprintf(stderr, PROG ": anchor %s: %s\n", anchorp, err.msg);
    return 2;
  }
  int status;
  struct rc_skey *k = rc_cli_load_signer("witness", keyp, passfile, 1, &status);
  if (!k) return status;
  struct rc_witness_outcome *res = malloc(sizeof *res);
  if (!res) {
    rc_skey_free(k);
    fprintf(stderr, PROG ": out of memory\n");
    return 2;
  }
  enum rc_outcome o = rc_witness_cosign(record, &anchor, k, state, now, 0, res);
  rc_skey_free(k);
  if (res->list_findings) rc_report_findings(stderr, &res->rep);
  if (o != RC_DONE) {
    fprintf(stderr, PROG ": %s\n", res->why);
  } else if (res->already) {
    fprintf(stderr,
            PROG ": %s size %llu: already cosigned by this witness (time "
                 "%llu); nothing written\n",
            res->origin, (unsigned long long)res->size,
            (unsigned long long)res->time);
  } else {
    char prev[64] = "the first checkpoint of this origin for this witness";
    if (!res->first)
      snprintf(prev, sizeof prev, "extends the one of size %llu",
               (unsigned long long)res->prev_size);
    fprintf(stderr,
            PROG ": cosigned %s size %llu at time %llu (%s); "
                 "state %s\n",
            res->origin, (unsigned long long)res->size,
            (unsigned long long)res->time, prev, state);
  }
  rc_witness_outcome_free(res);
  free(res);
  return o == RC_DONE ? 0 : o == RC_REFUSED ? 1 : 2;
}
