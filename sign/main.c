/* recount-sign — the station and commission side.
 * Exit: 0 success, 1 refused (validation failed), 2 usage or I/O error. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
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

/* strict decimal count for figures on the command line */
static int parse_count(const char *s, uint64_t *v) {
  size_t n = strlen(s);
  if (n == 0 || n > RC_COUNT_DIGITS || (s[0] == '0' && n > 1)) return -1;
  uint64_t x = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return -1;
    x = x * 10 + (uint64_t)(s[i] - '0');
  }
  *v = x;
  return 0;
}

/* Set by load_key: 1 when the key was refused (wrong passphrase, bad key
 * file, loose permissions), 2 for I/O and usage problems. */
static int load_status = 2;

/* Loads a signer key, asking for the passphrase when it is encrypted. */
static struct rc_skey *load_key(const char *path, const char *passfile) {
  struct rc_skey *k = rc_skey_new();
  struct rc_error err;
  char *pass = NULL;
  if (!k) {
    fprintf(stderr, PROG ": out of memory\n");
    return NULL;
  }
  int enc = rc_skey_file_encrypted(path);
  if (enc == 1) {
    pass = rc_pass_read(passfile, "Passphrase: ", 0, &err);
    if (!pass) {
      fprintf(stderr, PROG ": %s\n", err.msg);
      rc_skey_free(k);
      return NULL;
    }
  }
  if (rc_skey_load(path, pass, pass ? strlen(pass) : 0, k, NULL, &err) !=
      RC_OK) {
    fprintf(stderr, PROG ": %s\n", err.msg);
    load_status = (err.code == RC_ERR_KEY || err.code == RC_ERR_KEYID)
                      ? 1
                      : 2;
    rc_pass_free(pass);
    rc_skey_free(k);
    return NULL;
  }
  rc_pass_free(pass);
  return k;
}

/* Writes out to path (never overwriting unless force) or stdout. */
static int emit(const char *path, const struct rc_buf *b, int force) {
  struct rc_error err;
  if (b->oom) return fail2("%s%s", "out of memory", "");
  if (!path) {
    if (fwrite(b->p, 1, b->len, stdout) != b->len || fflush(stdout) != 0)
      return fail2("cannot write to standard output%s%s", "", "");
    return 0;
  }
  if (rc_write_atomic(path, b->p, b->len, 0644, force, &err) != RC_OK) {
    fail2("%s%s", err.msg, "");
    return err.code == RC_ERR_EXISTS ? 1 : 2;
  }
  return 0;
}

/* ---- keygen ---- */
static int do_keygen(int argc, char **argv) {
  const char *name = NULL, *out = NULL, *passfile = NULL;
  int encrypt = 0;
  for (int i = 0; i < argc; i++) {
    if (!strcmp(argv[i], "--name") && i + 1 < argc) name = argv[++i];
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
  rc_vkey_encode(&v, &b);
  rc_buf_putc(&b, '\n');
  if (b.oom || rc_write_atomic(vpath, b.p, b.len, 0644, 0, &err) != RC_OK) {
    fail2("%s%s", b.oom ? "out of memory" : err.msg, "");
    rc_buf_free(&b);
    goto out;
  }
  printf("signer key   %s%s\nverifier key %s: %.*s", kpath,
         encrypt ? " (passphrase-protected)" : "", vpath, (int)b.len, b.p);
  rc_buf_free(&b);
  status = 0;
out:
  rc_pass_free(pass);
  rc_skey_free(k);
  return status;
}

/* ---- sheet ---- */
static int do_sheet(int argc, char **argv) {
  const char *keyp = NULL, *out = NULL, *passfile = NULL;
  int force = 0;
  struct rc_sheet *s = calloc(1, sizeof *s);
  int have[8] = {0};
  int status = 2;
  struct rc_skey *k = NULL;
  struct rc_buf b = {0};
  if (!s) return fail2("out of memory%s%s", "", "");
  static const char *const fields[] = {"--election", "--district", "--station",
                                       "--registered", "--ballots", "--invalid",
                                       "--blank", "--excluded"};
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    int f = -1;
    for (int j = 0; j < 8; j++)
      if (!strcmp(a, fields[j])) f = j;
    if (f >= 0 && i + 1 < argc) {
      const char *v = argv[++i];
      have[f] = 1;
      if (f < 3) {
        char *dst = f == 0 ? s->election : f == 1 ? s->district : s->station;
        if (!rc_id_valid(v, strlen(v))) {
          status = fail2("%s: '%s' is not a valid identifier", a, v);
          goto out;
        }
        snprintf(dst, RC_ID_MAX + 1, "%s", v);
      } else {
        uint64_t *dst[] = {&s->registered, &s->ballots, &s->invalid,
                           &s->blank, &s->excluded};
        if (parse_count(v, dst[f - 3]) != 0) {
          status = fail2("%s: '%s' is not a count (digits, no sign, no "
                         "leading zero, below 10^15)",
                         a, v);
          goto out;
        }
      }
    } else if (!strcmp(a, "--vote") && i + 1 < argc) {
      const char *v = argv[++i];
      const char *eq = strchr(v, '=');
      if (!eq || s->nvotes == RC_MAX_CHOICES ||
          !rc_id_valid(v, (size_t)(eq - v)) ||
          parse_count(eq + 1, &s->votes[s->nvotes].count) != 0) {
        status = fail2("--vote '%s': expected CHOICE=COUNT%s", v, "");
        goto out;
      }
      memcpy(s->votes[s->nvotes].choice, v, (size_t)(eq - v));
      s->nvotes++;
    } else if (!strcmp(a, "--key") && i + 1 < argc) keyp = argv[++i];
    else if (!strcmp(a, "--out") && i + 1 < argc) out = argv[++i];
    else if (!strcmp(a, "--passphrase-file") && i + 1 < argc)
      passfile = argv[++i];
    else if (!strcmp(a, "--force")) force = 1;
    else {
      status = cmd_usage(current, a);
      goto out;
    }
  }
  for (int j = 0; j < 8; j++)
    if (!have[j]) {
      status = fail2("%s is required%s", fields[j], "");
      goto out;
    }
  if (!keyp || !s->nvotes) {
    status = fail2("--key and at least one --vote are required%s%s", "", "");
    goto out;
  }
  struct rc_error err;
  if (rc_sheet_arith(s, &err) != RC_OK) {
    fprintf(stderr, PROG " sheet: refused: %s\n", err.msg);
    status = 1;
    goto out;
  }
  if (s->ballots > s->registered) {
    fprintf(stderr, PROG " sheet: refused: ballots %llu exceed registered "
                    "%llu\n",
            (unsigned long long)s->ballots, (unsigned long long)s->registered);
    status = 1;
    goto out;
  }
  if (!(k = load_key(keyp, passfile))) {
    status = load_status;
    goto out;
  }
  if (rc_encode_sheet(s, &b) != RC_OK) goto out;
  size_t tl = b.len;
  rc_buf_putc(&b, '\n');
  struct rc_vkey v;
  rc_skey_vkey(k, &v);
  struct rc_buf sl = {0};
  int sr = rc_note_sigline(&v, k->sk, b.p, tl, &sl);
  rc_buf_put(&b, sl.p, sl.len);
  rc_buf_free(&sl);
  if (sr != RC_OK) goto out;
  status = emit(out, &b, force);
out:
  rc_skey_free(k);
  rc_buf_free(&b);
  free(s);
  return status;
}

/* Validates a record text by its first line. Returns RC_OK or an error. */
static int validate_text(const uint8_t *t, size_t n, struct rc_error *err) {
  int rc;
  if (n >= 20 && !memcmp(t, "recount manifest v1\n", 20)) {
    struct rc_manifest m;
    rc = rc_parse_manifest(t, n, &m, err);
    if (rc == RC_OK) rc_manifest_free(&m);
    return rc;
  }
  if (n >= 24 && !memcmp(t, "recount count-sheet v1\n", 23)) {
    struct rc_sheet *s = malloc(sizeof *s);
    if (!s) return RC_ERR_NOMEM;
    rc = rc_parse_sheet(t, n, s, err);
    if (rc == RC_OK) rc = rc_sheet_arith(s, err);
    if (rc == RC_OK && s->ballots > s->registered)
      rc = rc_fail(err, RC_ERR_ARITH, 6, "ballots", "ballots exceed registered");
    free(s);
    return rc;
  }
  if (n >= 21 && !memcmp(t, "recount published v1\n", 21)) {
    struct rc_published p;
    rc = rc_parse_published(t, n, &p, err);
    if (rc == RC_OK) rc_published_free(&p);
    return rc;
  }
  struct rc_checkpoint c;
  rc = rc_parse_checkpoint(t, n, &c, err);
  if (rc != RC_OK)
    rc_fail(err, (enum rc_err)rc, err->line, err->field,
            "not a manifest, count sheet, published figures or checkpoint "
            "(as a checkpoint: %s)", err->msg);
  return rc;
}

/* ---- sign ---- */
static int do_sign(int argc, char **argv) {
  const char *keyp = NULL, *out = NULL, *file = NULL, *passfile = NULL;
  int force = 0;
  for (int i = 0; i < argc; i++) {
    if (!strcmp(argv[i], "--key") && i + 1 < argc) keyp = argv[++i];
    else if (!strcmp(argv[i], "--out") && i + 1 < argc) out = argv[++i];
    else if (!strcmp(argv[i], "--passphrase-file") && i + 1 < argc)
      passfile = argv[++i];
    else if (!strcmp(argv[i], "--force")) force = 1;
    else if (argv[i][0] != '-' && !file) file = argv[i];
    else return cmd_usage(current, argv[i]);
  }
  if (!keyp || !file) return cmd_usage(current, "--key and FILE are required");
  uint8_t *buf = NULL;
  size_t len = 0;
  struct rc_error err;
  if (rc_read_file(file, RC_MANIFEST_MAX, &buf, &len, &err) != RC_OK)
    return fail2("%s%s", err.msg, "");
  int status = 2;
  struct rc_skey *k = NULL;
  struct rc_buf b = {0};
  if (validate_text(buf, len, &err) != RC_OK) {
    fprintf(stderr, PROG " sign: refused: %s: line %zu%s%s: %s\n", file,
            err.line, err.field[0] ? ", field " : "", err.field, err.msg);
    status = 1;
    goto out;
  }
  if (!(k = load_key(keyp, passfile))) {
    status = load_status;
    goto out;
  }
  struct rc_vkey v;
  rc_skey_vkey(k, &v);
  rc_buf_put(&b, buf, len);
  rc_buf_putc(&b, '\n');
  if (rc_note_sigline(&v, k->sk, buf, len, &b) != RC_OK) goto out;
  status = emit(out, &b, force);
out:
  rc_skey_free(k);
  rc_buf_free(&b);
  free(buf);
  return status;
}

/* ---- cosign ---- */
static int do_cosign(int argc, char **argv) {
  const char *keyp = NULL, *file = NULL, *out = NULL, *passfile = NULL;
  for (int i = 0; i < argc; i++) {
    if (!strcmp(argv[i], "--key") && i + 1 < argc) keyp = argv[++i];
    else if (!strcmp(argv[i], "--out") && i + 1 < argc) out = argv[++i];
    else if (!strcmp(argv[i], "--passphrase-file") && i + 1 < argc)
      passfile = argv[++i];
    else if (argv[i][0] != '-' && !file) file = argv[i];
    else return cmd_usage(current, argv[i]);
  }
  if (!keyp || !file) return cmd_usage(current, "--key and NOTE are required");
  uint8_t *buf = NULL;
  size_t len = 0;
  struct rc_error err;
  if (rc_read_file(file, RC_MANIFEST_MAX, &buf, &len, &err) != RC_OK)
    return fail2("%s%s", err.msg, "");
  int status = 2;
  struct rc_skey *k = NULL;
  struct rc_buf b = {0};
  struct rc_note n;
  if (rc_note_parse(buf, len, &n, &err) != RC_OK) {
    fprintf(stderr, PROG " cosign: refused: %s is not a signed note: line "
                    "%zu: %s\n",
            file, err.line, err.msg);
    status = 1;
    goto out;
  }
  if (validate_text(n.text, n.textlen, &err) != RC_OK) {
    fprintf(stderr, PROG " cosign: refused: %s: line %zu: %s\n", file,
            err.line, err.msg);
    status = 1;
    goto out;
  }
  if (n.nsigs >= RC_NOTE_MAX_SIGS) {
    fprintf(stderr, PROG " cosign: refused: %s already has %d signatures\n",
            file, RC_NOTE_MAX_SIGS);
    status = 1;
    goto out;
  }
  if (!(k = load_key(keyp, passfile))) {
    status = load_status;
    goto out;
  }
  struct rc_vkey v;
  rc_skey_vkey(k, &v);
  for (size_t i = 0; i < n.nsigs; i++)
    if (n.sigs[i].namelen == v.namelen &&
        !memcmp(n.sigs[i].name, v.name, v.namelen) &&
        !memcmp(n.sigs[i].keyid, v.id, 4)) {
      fprintf(stderr, PROG " cosign: refused: %s already carries a signature "
                      "by %s\n",
              file, k->name);
      status = 1;
      goto out;
    }
  rc_buf_put(&b, buf, len);
  if (rc_note_sigline(&v, k->sk, n.text, n.textlen, &b) != RC_OK) goto out;
  /* the signed text is unchanged: adding a line replaces the file
   * atomically (or writes --out, which must not exist) */
  if (out) status = emit(out, &b, 0);
  else if (rc_write_atomic(file, b.p, b.len, 0644, 1, &err) != RC_OK)
    status = fail2("%s%s", err.msg, "");
  else status = 0;
out:
  rc_skey_free(k);
  rc_buf_free(&b);
  free(buf);
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

/* ---- prove ---- */
static int do_prove(int argc, char **argv) {
  const char *record = NULL, *station = NULL, *anchor = NULL, *out = NULL;
  int force = 0;
  for (int i = 0; i < argc; i++) {
    if (!strcmp(argv[i], "--station") && i + 1 < argc) station = argv[++i];
    else if (!strcmp(argv[i], "--anchor") && i + 1 < argc) anchor = argv[++i];
    else if (!strcmp(argv[i], "--out") && i + 1 < argc) out = argv[++i];
    else if (!strcmp(argv[i], "--force")) force = 1;
    else if (argv[i][0] != '-' && !record) record = argv[i];
    else return cmd_usage(current, argv[i]);
  }
  if (!record || !station || !anchor)
    return cmd_usage(current, "RECORD, --station and --anchor are required");
  struct rc_vkey a;
  char nb[RC_KEYNAME_MAX + 1];
  struct rc_error err;
  if (rc_vkey_read_file(anchor, &a, nb, &err) != RC_OK)
    return fail2("%s%s", err.msg, "");
  struct rc_commit_result res;
  enum rc_outcome o = rc_prove(record, &a, station, 0, &res);
  if (o == RC_DONE) o = rc_cli_write_receipt(&res, out, force);
  return rc_cli_commit_outcome("prove", o, &res);
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
    {"keygen", "keygen --name NAME [--out BASE] [--encrypt] "
               "[--passphrase-file F]",
     "Creates BASE.key (signer key, mode 0600) and BASE.vkey (verifier key).\n"
     "BASE defaults to NAME with '/' replaced by '_'. Never overwrites.\n"
     "--encrypt protects the signer key with a passphrase (Argon2id).",
     do_keygen},
    {"sheet", "sheet --key K --election E --district D --station S "
              "--registered N --ballots N --invalid N --blank N --excluded N "
              "--vote CHOICE=N ... [--out FILE] [--force]",
     "Builds the canonical count sheet, refuses figures that do not balance\n"
     "(invalid + blank + excluded + votes = ballots <= registered), and\n"
     "writes the signed note to FILE or standard output.",
     do_sheet},
    {"manifest", rc_cmd_manifest_usage, rc_cmd_manifest_help,
     rc_cmd_manifest},
    {"sign", "sign --key K FILE [--out OUT] [--force]",
     "Validates a record text (manifest, count sheet, published figures or\n"
     "checkpoint) and writes it as a signed note to OUT or standard output.",
     do_sign},
    {"cosign", "cosign --key K NOTE [--out OUT]",
     "Adds the key's signature line to a signed note (a witness's\n"
     "co-signature). Replaces NOTE atomically, or writes OUT.",
     do_cosign},
    {"commit",
     "commit --key COMMISSION_KEY [--previous OLD_RECORD] [--force] RECORD",
     "Checks every sheet of RECORD and writes districts.txt, log.txt and\n"
     "checkpoint.note atomically; refuses a record with any error finding.\n"
     "With --previous, OLD_RECORD's release log is kept in place and the\n"
     "new sheets appended; refuses when a sheet of OLD is gone or changed.",
     do_commit},
    {"prove", "prove RECORD --station S --anchor COMMISSION_VKEY [--out FILE]",
     "Writes a self-contained receipt for one station (its signed sheet,\n"
     "district record, both inclusion paths, the manifest and the signed\n"
     "checkpoint); `recount-verify receipt` checks it offline.",
     do_prove},
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
