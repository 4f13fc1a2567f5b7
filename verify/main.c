/* recount-verify — the observer's side. Reads records, never writes inside
 * them, never reads a secret key.
 *   recount-verify record --anchor FILE [--json] [--csv DIR] [--threads N]
 *                         [--crypto both|libsodium|openssl]
 *                         [--previous CHECKPOINT]... [--quiet] [--progress]
 *                         RECORD
 *   recount-verify diff --anchor FILE [--json] OLD_RECORD NEW_RECORD
 *   recount-verify station --anchor FILE [--json] [--extract FILE]
 *                          RECORD STATION
 *   recount-verify receipt --anchor FILE RECEIPT
 *   recount-verify evidence --anchor FILE DIR
 *   recount-verify note --key VKEY [--key VKEY ...] FILE
 *   recount-verify --version
 * Every option also takes the form --opt=value (cli/args.c).
 * Exit: 0 all checks passed, 1 findings / bad signature, 2 could not run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "args.h"
#include "cmd.h"
#include "ed25519.h"
#include "hash.h"
#include "html.h"
#include "keys.h"
#include "note.h"
#include "read.h"
#include "record.h"
#include "report.h"
#include "witness_opts.h"

static const char *usage_text =
    "usage:\n"
    "  recount-verify record --anchor FILE [--json] [--csv DIR] [--html FILE]\n"
    "                        [--threads N]\n"
    "                        [--crypto both|libsodium|openssl]\n"
    "                        [--previous CHECKPOINT]... [--witness VKEY]...\n"
    "                        [--quorum K] [--now T] [--quiet] [--progress]\n"
    "                        [--observed DIR]... [--evidence DIR] RECORD\n"
    "  recount-verify diff --anchor FILE [--json] OLD_RECORD NEW_RECORD\n"
    "  recount-verify station --anchor FILE [--json] [--extract FILE]\n"
    "                         [--crypto both|libsodium|openssl] RECORD "
    "STATION\n"
    "  recount-verify receipt --anchor FILE RECEIPT\n"
    "  recount-verify evidence --anchor FILE DIR/<station-id>\n"
    "  recount-verify note --key VKEY [--key VKEY ...]\n"
    "                      [--crypto both|libsodium|openssl] FILE\n"
    "  recount-verify --version\n"
    "Options also take the form --opt=value. --quiet: no report and no\n"
    "progress line, only the exit status; --progress: the progress line\n"
    "on stderr even when it is not a terminal.\n"
    "\n"
    "Exit status: 0 every check passed (and every published figure\n"
    "reconciles); 1 verification ran and found an error; 2 could not run.\n";

static int usage(const char *msg) {
  if (msg) fprintf(stderr, "recount-verify: %s\n", msg);
  fputs(usage_text, stderr);
  return 2;
}

int rc_parse_crypto_mode(const char *s, enum rc_crypto_mode *m) {
  if (!strcmp(s, "both")) *m = RC_CRYPTO_BOTH;
  else if (!strcmp(s, "libsodium")) *m = RC_CRYPTO_SODIUM;
  else if (!strcmp(s, "openssl")) *m = RC_CRYPTO_OPENSSL;
  else return -1;
  return 0;
}

static int parse_uint(const char *s, unsigned max, unsigned *out) {
  unsigned v = 0;
  if (!*s || (s[0] == '0' && s[1])) return -1;
  for (; *s; s++) {
    if (*s < '0' || *s > '9') return -1;
    v = v * 10 + (unsigned)(*s - '0');
    if (v > max) return -1;
  }
  *out = v;
  return 0;
}

static int load_anchor(const char *path, struct rc_vkey *k, char *namebuf,
                       int json) {
  struct rc_error err;
  if (rc_vkey_read_file(path, k, namebuf, &err) != RC_OK) {
    char why[1024];
    snprintf(why, sizeof why, "anchor %s: %s", path, err.msg);
    fprintf(stderr, "recount-verify: %s\n", why);
    if (json) rc_report_json_error(stdout, why);
    return -1;
  }
  return 0;
}

/* A `record` run that cannot run: exit 2, with --json the one JSON
 * object of RECORD.md v1.1 §6 ("verdict":"error" and the reason). */
static int record_usage(int json, const char *msg) {
  if (json) rc_report_json_error(stdout, msg);
  return usage(msg);
}

static int cmd_record(int argc, char **argv) {
  const char *anchor_path = NULL, *record = NULL, *csv_dir = NULL;
  const char *evidence = NULL;
  const char *html = NULL;
  int json = 0, status = 2, quiet = 0, progress = 0;
  struct rc_record_opts o = {0};
  static const char *observed[64];
  o.observed = observed;
  static struct witness_opts wo;
  wo.quorum = -1;
  struct rc_previous_list prev = {0};
  char err[1024];
  for (int i = 0; i < argc; i++)
    if (!strcmp(argv[i], "--json")) json = 1;
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    int w = witness_opt(argc, argv, &i, &wo);
    if (w < 0) goto out;
    if (w > 0) continue;
    if (!strcmp(a, "--anchor") && i + 1 < argc) anchor_path = argv[++i];
    else if (!strcmp(a, "--previous") && i + 1 < argc) {
      if (rc_previous_add(&prev, argv[++i], "previous:") != 0) goto out;
    } else if (!strcmp(a, "--json")) json = 1;
    else if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) quiet = 1;
    else if (!strcmp(a, "--progress")) progress = 1;
    else if (!strcmp(a, "--csv") && i + 1 < argc) csv_dir = argv[++i];
    else if (!strcmp(a, "--html") && i + 1 < argc) html = argv[++i];
    else if (!strcmp(a, "--observed") && i + 1 < argc) {
      if (o.nobserved == 64) {
        status = record_usage(json, "at most 64 --observed DIR");
        goto out;
      }
      if (rc_observed_dir_usable(argv[i + 1]) != 0) goto out;
      observed[o.nobserved++] = argv[++i];
    } else if (!strcmp(a, "--evidence") && i + 1 < argc) evidence = argv[++i];
    else if (!strcmp(a, "--threads") && i + 1 < argc) {
      if (parse_uint(argv[++i], 64, &o.threads) != 0 || o.threads == 0) {
        status = record_usage(json, "--threads takes a number from 1 to 64");
        goto out;
      }
    } else if (!strcmp(a, "--crypto") && i + 1 < argc) {
      if (rc_parse_crypto_mode(argv[++i], &o.mode) != 0) {
        status =
            record_usage(json, "--crypto takes both, libsodium or openssl");
        goto out;
      }
    } else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
      fputs(usage_text, stdout);
      status = 0;
      goto out;
    } else if (a[0] == '-' && a[1]) {
      char msg[256];
      snprintf(msg, sizeof msg, "unknown option %.200s", a);
      status = record_usage(json, msg);
      goto out;
    } else if (!record) record = a;
    else {
      status = record_usage(json, "more than one RECORD given");
      goto out;
    }
  }
  if (!anchor_path || !record) {
    status =
        record_usage(json, !anchor_path ? "record: --anchor FILE is required"
                                        : "record: the RECORD directory is "
                                          "required");
    goto out;
  }
  if (witness_opts_finish(&wo, &o.quorum, &o.now) != 0) goto out;
  o.witnesses = wo.keys;
  o.nwitnesses = wo.n;
  o.keep_evidence = evidence != NULL;
  struct rc_vkey anchor;
  char namebuf[RC_KEYNAME_MAX + 1];
  if (load_anchor(anchor_path, &anchor, namebuf, json) != 0) goto out;
  o.anchor = &anchor;
  o.previous = prev.v;
  o.nprevious = prev.n;
  struct rc_progress_line pl;
  if (!quiet && rc_progress_init(&pl, progress)) {
    o.progress = rc_progress_cb;
    o.progress_ctx = &pl;
    fprintf(stderr,
            "recount-verify: checking the record with anchor %s+"
            "%02x%02x%02x%02x\n",
            namebuf, anchor.id[0], anchor.id[1], anchor.id[2], anchor.id[3]);
  }
  o.keep_station_figures = csv_dir != NULL || html != NULL;
  if (csv_dir &&
      rc_report_csv_precheck(csv_dir, record, err, sizeof err) != 0) {
    fprintf(stderr, "recount-verify: --csv %s\n", err);
    if (json) rc_report_json_error(stdout, err);
    goto out;
  }
  struct stat hsb;
  if (html && lstat(html, &hsb) == 0) {
    snprintf(err, sizeof err,
             "--html %.900s already exists; refusing to "
             "overwrite it",
             html);
    fprintf(stderr, "recount-verify: %s\n", err);
    if (json) rc_report_json_error(stdout, err);
    goto out;
  }
  struct rc_record_report rep;
  int rc = rc_record_check(record, &o, &rep);
  if (o.progress) rc_progress_done(&pl, &rep);
  if (rc != RC_OK || rep.fatal) {
    fprintf(stderr, "recount-verify: %s\n", rep.fatal_msg);
    if (json) rc_report_json_error(stdout, rep.fatal_msg);
    rc_record_report_free(&rep);
    goto out;
  }
  if (json) rc_report_json(stdout, &rep, &anchor);
  else if (!quiet) rc_report_human(stdout, &rep, record, &anchor);
  status = rep.nerrors ? 1 : 0;
  if (csv_dir && rc_report_csv(csv_dir, &rep, err, sizeof err) != 0) {
    fprintf(stderr, "recount-verify: --csv %s\n", err);
    status = 2;
  }
  struct rc_error herr;
  if (html && rc_report_html_write(html, &rep, &anchor, &herr) != RC_OK) {
    fprintf(stderr, "recount-verify: --html: %s\n", herr.msg);
    status = 2;
  }
  if (evidence && rc_evidence_write(evidence, record, &rep) != 0) status = 2;
  rc_record_report_free(&rep);
  if (fflush(stdout) != 0) status = 2;
out:
  rc_previous_free(&prev);
  return status;
}

static int cmd_note(int argc, char **argv) {
  struct rc_vkey keys[RC_NOTE_MAX_SIGS];
  char names[RC_NOTE_MAX_SIGS][RC_KEYNAME_MAX + 1];
  size_t nkeys = 0;
  const char *file = NULL;
  enum rc_crypto_mode mode = RC_CRYPTO_BOTH;
  for (int i = 0; i < argc; i++) {
    if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
      fputs(usage_text, stdout);
      return 0;
    }
    if (!strcmp(argv[i], "--key") && i + 1 < argc) {
      if (nkeys == RC_NOTE_MAX_SIGS) return usage("too many --key options");
      struct rc_error err;
      if (rc_vkey_read_file(argv[++i], &keys[nkeys], names[nkeys], &err)) {
        fprintf(stderr, "recount-verify: key %s: %s\n", argv[i], err.msg);
        return 2;
      }
      nkeys++;
    } else if (!strcmp(argv[i], "--crypto") && i + 1 < argc) {
      if (rc_parse_crypto_mode(argv[++i], &mode) != 0)
        return usage("--crypto takes both, libsodium or openssl");
    } else if (argv[i][0] == '-' && argv[i][1]) {
      fprintf(stderr, "recount-verify: unknown option %s\n", argv[i]);
      return usage(NULL);
    } else if (!file) file = argv[i];
    else return usage("note: one FILE only");
  }
  if (!nkeys || !file) return usage("note: --key VKEY and FILE are required");
  uint8_t *buf = NULL;
  size_t len = 0;
  struct rc_error err;
  if (rc_read_file(file, RC_MANIFEST_MAX, &buf, &len, &err) != RC_OK) {
    fprintf(stderr, "recount-verify: %s\n", err.msg);
    return 2;
  }
  struct rc_note n;
  int status = 1;
  if (rc_note_parse(buf, len, &n, &err) != RC_OK) {
    printf("%s: not a signed note: line %zu: %s\n", file, err.line, err.msg);
    goto out;
  }
  struct rc_note_check res;
  int ks[RC_NOTE_MAX_SIGS] = {0};
  int r = rc_note_verify(&n, keys, nkeys, mode, &res, ks);
  for (size_t k = 0; k < nkeys; k++) {
    const char *what = ks[k] == 1    ? "valid signature"
                       : ks[k] == -2 ? "INVALID: libsodium and OpenSSL disagree"
                       : ks[k] == -1 ? "INVALID signature"
                                     : "no signature line";
    printf("%s: %.*s: %s\n", file, (int)keys[k].namelen, keys[k].name, what);
  }
  if (r == RC_OK) status = 0;
  printf("%s: %s\n", file, status == 0 ? "OK" : "NOT VERIFIED");
out:
  free(buf);
  return status;
}

int main(int argc, char **argv) {
  if (rc_args_split(&argc, &argv) != 0) return 2;
  if (rc_args_version(argc, argv, "recount-verify")) return 0;
  if (argc < 2) return usage(NULL);
  if (rc_crypto_init() != 0) {
    fprintf(stderr, "recount-verify: cannot initialise libsodium\n");
    return 2;
  }
  if (rc_hash_init() != RC_OK) {
    fprintf(stderr, "recount-verify: cannot use SHA-256 from OpenSSL\n");
    return 2;
  }
  const char *cmd = argv[1];
  if (!strcmp(cmd, "record")) return cmd_record(argc - 2, argv + 2);
  if (!strcmp(cmd, "note")) return cmd_note(argc - 2, argv + 2);
  if (!strcmp(cmd, "station")) return rc_station_main(argc - 2, argv + 2);
  if (!strcmp(cmd, "receipt")) return rc_receipt_main(argc - 2, argv + 2);
  if (!strcmp(cmd, "diff")) return rc_diff_main(argc - 2, argv + 2);
  if (!strcmp(cmd, "evidence")) return rc_evidence_main(argc - 2, argv + 2);
  if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
    fputs(usage_text, stdout);
    return 0;
  }
  return usage("unknown command");
}
