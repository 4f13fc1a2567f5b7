/* recount-sign — the station and commission side.
 * Exit: 0 success, 1 refused (validation failed), 2 usage or I/O error. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "args.h"
#include "cli.h"
#include "cosig.h"
#include "commit.h"
#include "ed25519.h"
#include "hash.h"
#include "fileio.h"
#include "keys.h"
#include "note.h"
#include "read.h"
#include "record.h"
#include "signing.h"
#include "skey.h"
#include "texts.h"

#define PROG "recount-sign"

struct cmd {
  const char *name, *usage, *help;
  int (*fn)(int, char **);
};

static int cmd_usage(const struct cmd *c, const char *msg);
static const struct cmd *current;

static int fail2(const char *fmt, const char *a, const char *b) {
  fprintf(stderr, PROG " %s: ", current ? current->name : "");
  fprintf(stderr, fmt, a, b);
  fputc('\n', stderr);
  return 2;
}

/* Loads a signer key (cli_util.c); load_status is the exit status when
 * it fails. */
static int load_status = 2;
static struct rc_skey *load_key(const char *path, const char *passfile) {
  return rc_cli_load_signer(current->name, path, passfile, 0, &load_status);
}

static int emit(const char *path, const struct rc_buf *b, int force) {
  return rc_cli_emit(current->name, path, b, force);
}

/* ---- keygen ---- */
static int do_keygen(int argc, char **argv) {
  const char *name = NULL, *out = NULL, *passfile = NULL;
  int encrypt = 0, cosign = 0;
  for (int i = 0; i < argc; i++) {
    if (!strcmp(argv[i], "--name") && i + 1 < argc) name = argv[++i];
    else if (!strcmp(argv[i], "--cosign")) cosign = 1;
    else if (!strcmp(argv[i], "--out") && i + 1 < argc) out = argv[++i];
    else if (!strcmp(argv[i], "--encrypt")) encrypt = 1;
    else if (!strcmp(argv[i], "--passphrase-file") && i + 1 < argc)
      passfile = argv[++i];
    else return cmd_usage(current, argv[i]);
  }
  if (!name) return cmd_usage(current, "--name is required");
  if (!rc_keyname_valid(name, strlen(name)))
    return fail2("invalid key name '%s'%s (non-empty, no whitespace, no '+')",
                 name, "");
  char base[4096];
  if (out) snprintf(base, sizeof base, "%s", out);
  else {
    snprintf(base, sizeof base, "%s", name);
    for (char *c = base; *c; c++)
      if (*c == '/') *c = '_';
  }
  char kpath[4200], vpath[4200];
  snprintf(kpath, sizeof kpath, "%s.key", base);
  snprintf(vpath, sizeof vpath, "%s.vkey", base);
  struct stat st;
  if (lstat(kpath, &st) == 0 || lstat(vpath, &st) == 0) {
    fail2("refused: %s exists; a key is never overwritten%s",
          lstat(kpath, &st) == 0 ? kpath : vpath, "");
    return 1;
  }
  struct rc_skey *k = rc_skey_new();
  struct rc_error err;
  char *pass = NULL;
  int status = 2;
  if (!k) return fail2("out of memory%s%s", "", "");
  k->type = cosign ? RC_COSIG_TYPE : 0;
  if (rc_skey_generate(k, name, &err) != RC_OK) {
    fail2("%s%s", err.msg, "");
    goto out;
  }
  if (encrypt) {
    pass = rc_pass_read(passfile, "New passphrase: ", 1, &err);
    if (!pass) {
      fail2("%s%s", err.msg, "");
      goto out;
    }
  }
  if (rc_skey_save(kpath, k, pass, pass ? strlen(pass) : 0, 0, 0, &err) !=
      RC_OK) {
    fail2("%s%s", err.msg, "");
    goto out;
  }
  struct rc_vkey v;
  rc_skey_vkey(k, &v);
  struct rc_buf b = {0};
  (cosign ? rc_cosig_vkey_encode : rc_vkey_encode)(&v, &b);
  rc_buf_putc(&b, '\n');
  if (b.oom || rc_write_atomic(vpath, b.p, b.len, 0644, 0, &err) != RC_OK) {
    fail2("%s%s", b.oom ? "out of memory" : err.msg, "");
    rc_buf_free(&b);
    goto out;
  }
  printf("signer key   %s%s\nverifier key %s: %.*skey id       "
         "%02x%02x%02x%02x\n",
         kpath, encrypt ? " (passphrase-protected)" : "", vpath, (int)b.len,
         b.p, v.id[0], v.id[1], v.id[2], v.id[3]);
  rc_buf_free(&b);
  status = 0;
out:
  rc_pass_free(pass);
  rc_skey_free(k);
  return status;
}

/* ---- commit ---- */
static int do_commit(int argc, char **argv) {
  const char *keyp = NULL, *record = NULL, *passfile = NULL, *prev = NULL;
  int force = 0;
  for (int i = 0; i < argc; i++) {
    if (!strcmp(argv[i], "--key") && i + 1 < argc) keyp = argv[++i];
    else if (!strcmp(argv[i], "--passphrase-file") && i + 1 < argc)
      passfile = argv[++i];
    else if (!strcmp(argv[i], "--previous") && i + 1 < argc && !prev)
      prev = argv[++i];
    else if (!strcmp(argv[i], "--force")) force = 1;
    else if (argv[i][0] != '-' && !record) record = argv[i];
    else return cmd_usage(current, argv[i]);
  }
  if (!keyp || !record)
    return cmd_usage(current, "--key and RECORD are required");
  struct rc_skey *k = load_key(keyp, passfile);
  if (!k) return load_status;
  struct rc_commit_result res;
  enum rc_outcome out = rc_commit_previous(record, k, prev, force, 0, &res);
  rc_skey_free(k);
  return rc_cli_commit_outcome("commit", out, &res);
}

/* ---- export-pem ---- */
static int do_export_pem(int argc, char **argv) {
  const char *vk = NULL, *out = NULL;
  int force = 0;
  for (int i = 0; i < argc; i++) {
    if (!strcmp(argv[i], "--out") && i + 1 < argc) out = argv[++i];
    else if (!strcmp(argv[i], "--force")) force = 1;
    else if (argv[i][0] != '-' && !vk) vk = argv[i];
    else return cmd_usage(current, argv[i]);
  }
  if (!vk) return cmd_usage(current, "VKEY is required");
  struct rc_vkey v;
  char nb[RC_KEYNAME_MAX + 1];
  struct rc_error err;
  if (rc_vkey_read_file(vk, &v, nb, &err) != RC_OK)
    return fail2("%s%s", err.msg, "");
  if (rc_pubkey_check(v.pk) != RC_KEY_GOOD) {
    fprintf(stderr, PROG " export-pem: refused: %s is a weak key (%s)\n", vk,
            rc_key_class_str(rc_pubkey_check(v.pk)));
    return 1;
  }
  struct rc_buf b = {0};
  if (rc_pubkey_to_pem(v.pk, &b, &err) != RC_OK) {
    rc_buf_free(&b);
    return fail2("%s%s", err.msg, "");
  }
  int rc = emit(out, &b, force);
  rc_buf_free(&b);
  return rc;
}

static const struct cmd cmds[] = {
    {"keygen",
     "keygen --name NAME [--out BASE] [--encrypt] "
     "[--passphrase-file F] [--cosign]",
     "Creates BASE.key (signer key, mode 0600) and BASE.vkey (verifier key).\n"
     "BASE defaults to NAME with '/' replaced by '_'. Never overwrites.\n"
     "--encrypt protects the signer key with a passphrase (Argon2id).\n"
     "--cosign makes a witness's cosignature key (tlog-cosignature/v1, type\n"
     "0x04) for `witness`; it signs no note.",
     do_keygen},
    {"witness", rc_cli_witness_usage, rc_cli_witness_help, rc_cli_witness},
    {"sheet", rc_cli_sheet_usage, rc_cli_sheet_help, rc_cli_sheet},
    {"manifest", rc_cmd_manifest_usage, rc_cmd_manifest_help, rc_cmd_manifest},
    {"sign", rc_cli_sign_usage, rc_cli_sign_help, rc_cli_sign},
    {"cosign", rc_cli_cosign_usage, rc_cli_cosign_help, rc_cli_cosign},
    {"commit",
     "commit --key COMMISSION_KEY [--previous OLD_RECORD] [--force] RECORD",
     "Checks every sheet of RECORD and writes districts.txt, log.txt and\n"
     "checkpoint.note atomically; refuses a record with any error finding.\n"
     "With --previous, OLD_RECORD's release log is kept in place and the\n"
     "new sheets appended; refuses when a sheet of OLD is gone or changed.",
     do_commit},
    {"publish", rc_cli_publish_usage, rc_cli_publish_help, rc_cli_publish},
    {"prove", rc_cli_prove_usage, rc_cli_prove_help, rc_cli_prove},
    {"export-pem", "export-pem VKEY [--out FILE]",
     "Writes the Ed25519 public key as SPKI PEM, for\n"
     "openssl pkeyutl -verify -pubin -inkey KEY.pem -rawin -in TEXT "
     "-sigfile SIG",
     do_export_pem},
};
#define NCMDS (sizeof cmds / sizeof cmds[0])

static void usage_all(FILE *f) {
  fputs("usage: " PROG " COMMAND [options]   (" PROG " COMMAND --help)\n", f);
  for (size_t i = 0; i < NCMDS; i++) fprintf(f, "  %s\n", cmds[i].usage);
  fputs("Exit status: 0 success, 1 refused (validation failed), 2 usage or "
        "I/O error.\n",
        f);
}

static int cmd_usage(const struct cmd *c, const char *msg) {
  if (msg) fprintf(stderr, PROG " %s: bad argument: %s\n", c->name, msg);
  fprintf(stderr, "usage: " PROG " %s\n", c->usage);
  return 2;
}

int main(int argc, char **argv) {
  if (rc_args_split(&argc, &argv) != 0) return 2;
  if (rc_args_version(argc, argv, PROG)) return 0;
  if (argc < 2) {
    usage_all(stderr);
    return 2;
  }
  if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
      !strcmp(argv[1], "help")) {
    usage_all(stdout);
    return 0;
  }
  if (rc_crypto_init() != 0) {
    fprintf(stderr, PROG ": cannot initialise libsodium\n");
    return 2;
  }
  if (rc_hash_init() != RC_OK) {
    fprintf(stderr, PROG ": cannot use SHA-256 from OpenSSL\n");
    return 2;
  }
  for (size_t i = 0; i < NCMDS; i++) {
    if (strcmp(argv[1], cmds[i].name) != 0) continue;
    current = &cmds[i];
    for (int a = 2; a < argc; a++)
      if (!strcmp(argv[a], "--help") || !strcmp(argv[a], "-h")) {
        printf("usage: " PROG " %s\n\n%s\n", cmds[i].usage, cmds[i].help);
        return 0;
      }
    return cmds[i].fn(argc - 2, argv + 2);
  }
  fprintf(stderr, PROG ": unknown command '%s'\n", argv[1]);
  usage_all(stderr);
  return 2;
}
