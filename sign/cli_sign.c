/* cli_sign.c — `recount-sign sign`, and the check of a record text that
 * `sign` and `cosign` make before they sign anything (cli.h).
 *
 * A refusal says what the file looks like and the first offending line
 * and field: "count sheet: line 3, field district: ...". Before the text
 * is read by its parser, the shapes a text editor or a spreadsheet gives
 * a file are named as such: an empty file, a UTF-8 byte order mark, Windows
 * line endings (CR LF), a lone carriage return, a file that is already a
 * signed note, a district record (never signed) and an unknown
 * "recount ..." header. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "read.h"
#include "signing.h"
#include "texts.h"

#define CMD "sign"
#define EMDASH "\xe2\x80\x94"

const char rc_cli_sign_usage[] = "sign --key K FILE [--out OUT] [--force]";
const char rc_cli_sign_help[] =
    "Validates a record text (manifest, count sheet, published figures or\n"
    "checkpoint) and writes it as a signed note to OUT or standard output.\n"
    "A refusal names what the file looks like, the line and the field.\n"
    "The key may come from a pipe: --key - or --key /dev/fd/N.";

/* 1-based line of byte offset off in t */
static size_t line_of(const uint8_t *t, size_t off) {
  size_t line = 1;
  for (size_t i = 0; i < off; i++)
    if (t[i] == '\n') line++;
  return line;
}

static int starts(const uint8_t *t, size_t n, const char *s) {
  size_t k = strlen(s);
  return n >= k && !memcmp(t, s, k);
}

int rc_text_bom_crlf(const uint8_t *t, size_t n, struct rc_error *err) {
  if (starts(t, n, "\xef\xbb\xbf"))
    return rc_fail(err, RC_ERR_SYNTAX, 1, "",
                   "the file starts with a UTF-8 byte order mark (BOM): "
                   "record texts have none; save it as UTF-8 without BOM");
  const uint8_t *cr = memchr(t, '\r', n);
  if (cr) {
    size_t off = (size_t)(cr - t);
    if (off + 1 < n && cr[1] == '\n')
      return rc_fail(err, RC_ERR_SYNTAX, line_of(t, off), "",
                     "Windows line endings (CR LF): record texts end every "
                     "line with a bare newline (LF); convert the file (for "
                     "example with dos2unix) and sign it again");
    return rc_fail(err, RC_ERR_SYNTAX, line_of(t, off), "",
                   "a carriage return (CR): record texts end every line "
                   "with a bare newline (LF)");
  }
  return RC_OK;
}

/* The shapes named before any parser runs. */
static int shape(const uint8_t *t, size_t n, struct rc_text_kind *k) {
  int rc;
  if (n == 0)
    return rc_fail(&k->err, RC_ERR_SYNTAX, 0, "", "the file is empty");
  if ((rc = rc_text_bom_crlf(t, n, &k->err)) != RC_OK) return rc;
  for (size_t i = 0; i + 4 < n; i++)
    if (t[i] == '\n' && t[i + 1] == '\n' &&
        starts(t + i + 2, n - i - 2, EMDASH " ")) {
      k->what = "a signed note";
      return rc_fail(&k->err, RC_ERR_SYNTAX, line_of(t, i + 2), "",
                     "signature lines: the file is already signed; sign "
                     "takes the bare text, and `recount-sign cosign` adds a "
                     "signature to a signed note");
    }
  return RC_OK;
}

int rc_text_check(const uint8_t *t, size_t n, struct rc_text_kind *k) {
  int rc;
  memset(k, 0, sizeof *k);
  k->what = "";
  if ((rc = shape(t, n, k)) != RC_OK) return rc;
  if (starts(t, n, "recount manifest v1\n")) {
    k->what = "manifest";
    struct rc_manifest m;
    rc = rc_parse_manifest(t, n, &m, &k->err);
    if (rc == RC_OK) rc_manifest_free(&m);
    return rc;
  }
  if (starts(t, n, "recount count-sheet v1\n")) {
    k->what = "count sheet";
    struct rc_sheet *s = malloc(sizeof *s);
    if (!s) return rc_fail(&k->err, RC_ERR_NOMEM, 0, "", "out of memory");
    rc = rc_parse_sheet(t, n, s, &k->err);
    if (rc == RC_OK) rc = rc_sheet_arith(s, &k->err);
    if (rc == RC_OK && s->ballots > s->registered)
      rc = rc_fail(&k->err, RC_ERR_ARITH, 6, "ballots",
                   "ballots %llu exceed registered %llu",
                   (unsigned long long)s->ballots,
                   (unsigned long long)s->registered);
    free(s);
    return rc;
  }
  if (starts(t, n, "recount published v1\n")) {
    k->what = "published figures";
    struct rc_published p;
    rc = rc_parse_published(t, n, &p, &k->err);
    if (rc == RC_OK) rc_published_free(&p);
    return rc;
  }
  if (starts(t, n, "recount district v1\n")) {
    k->what = "district record";
    return rc_fail(&k->err, RC_ERR_USAGE, 1, "header",
                   "district records are not signed: `recount-sign commit` "
                   "writes them into districts.txt and signs the "
                   "checkpoint");
  }
  const uint8_t *nl = memchr(t, '\n', n);
  size_t l1 = nl ? (size_t)(nl - t) : n;
  if (starts(t, n, "recount "))
    return rc_fail(&k->err, RC_ERR_SYNTAX, 1, "header",
                   "unknown text '%.*s': a manifest, count sheet or "
                   "published figures starts with 'recount manifest v1', "
                   "'recount count-sheet v1' or 'recount published v1'",
                   (int)(l1 > 60 ? 60 : l1), (const char *)t);
  /* a checkpoint: an origin (no space), then the tree size in digits */
  const uint8_t *l2 = nl ? nl + 1 : t + n, *nl2;
  size_t rest = (size_t)(t + n - l2), digits = 0;
  nl2 = memchr(l2, '\n', rest);
  while (digits < rest && l2[digits] >= '0' && l2[digits] <= '9') digits++;
  if (memchr(t, ' ', l1) == NULL && digits > 0 &&
      (!nl2 || l2 + digits == nl2)) {
    k->what = "checkpoint";
    struct rc_checkpoint c;
    return rc_parse_checkpoint(t, n, &c, &k->err);
  }
  return rc_fail(&k->err, RC_ERR_SYNTAX, 1, "header",
                 "not a record text: a manifest, count sheet or published "
                 "figures starts with 'recount manifest v1', 'recount "
                 "count-sheet v1' or 'recount published v1', a checkpoint "
                 "with its origin");
}

void rc_text_refusal(const char *cmd, const char *file,
                     const struct rc_text_kind *k) {
  char esc[512], msg[sizeof k->err.msg * 4 + 8];
  char loc[96] = "";
  if (k->err.line)
    snprintf(loc, sizeof loc, "line %zu%s%s: ", k->err.line,
             k->err.field[0] ? ", field " : "", k->err.field);
  rc_cli_refuse(cmd, "%s: %s%s%s%s", rc_cli_name(file, esc, sizeof esc),
                k->what, k->what[0] ? ": " : "", loc,
                rc_cli_name(k->err.msg, msg, sizeof msg));
}

int rc_cli_sign(int argc, char **argv) {
  const char *keyp = NULL, *out = NULL, *file = NULL, *passfile = NULL;
  int force = 0;
  for (int i = 0; i < argc; i++) {
    if (!strcmp(argv[i], "--key") && i + 1 < argc) keyp = argv[++i];
    else if (!strcmp(argv[i], "--out") && i + 1 < argc) out = argv[++i];
    else if (!strcmp(argv[i], "--passphrase-file") && i + 1 < argc)
      passfile = argv[++i];
    else if (!strcmp(argv[i], "--force")) force = 1;
    else if (argv[i][0] != '-' && !file) file = argv[i];
    else return rc_cli_usage(CMD, rc_cli_sign_usage, argv[i]);
  }
  if (!keyp || !file)
    return rc_cli_usage(CMD, rc_cli_sign_usage, "--key and FILE are required");
  uint8_t *buf = NULL;
  size_t len = 0;
  struct rc_error err;
  if (rc_read_file(file, RC_MANIFEST_MAX, &buf, &len, &err) != RC_OK)
    return rc_cli_fail(CMD, "%s", err.msg);
  int status = 2;
  struct rc_skey *k = NULL;
  struct rc_buf b = {0};
  struct rc_text_kind kind;
  if (rc_text_check(buf, len, &kind) != RC_OK) {
    rc_text_refusal(CMD, file, &kind);
    status = kind.err.code == RC_ERR_NOMEM ? 2 : 1;
    goto out;
  }
  if (!(k = rc_cli_load_signer(CMD, keyp, passfile, 0, &status))) goto out;
  status = 2;
  struct rc_vkey v;
  rc_skey_vkey(k, &v);
  rc_buf_put(&b, buf, len);
  rc_buf_putc(&b, '\n');
  if (rc_note_sigline(&v, k->sk, buf, len, &b) != RC_OK) {
    status = rc_cli_fail(CMD, "signing failed");
    goto out;
  }
  status = rc_cli_emit(CMD, out, &b, force);
out:
  rc_skey_free(k);
  rc_buf_free(&b);
  free(buf);
  return status;
}
