/* cli_util.c — what every recount-sign command shares (cli.h): messages,
 * counts from the command line, loading a signer key, writing output. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cosig.h"
#include "fileio.h"
#include "text.h"

#define PROG "recount-sign"

static void vmsg(const char *cmd, const char *what, const char *fmt,
                 va_list ap) {
  fprintf(stderr, PROG " %s: %s", cmd, what);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
}

int rc_cli_fail(const char *cmd, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vmsg(cmd, "", fmt, ap);
  va_end(ap);
  return 2;
}

int rc_cli_refuse(const char *cmd, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vmsg(cmd, "refused: ", fmt, ap);
  va_end(ap);
  return 1;
}

int rc_cli_usage(const char *cmd, const char *usage, const char *msg) {
  char esc[256];
  if (msg)
    fprintf(stderr, PROG " %s: bad argument: %s\n", cmd,
            rc_cli_name(msg, esc, sizeof esc));
  fprintf(stderr, "usage: " PROG " %s\n", usage);
  return 2;
}

int rc_cli_count(const char *s, uint64_t *v) {
  return rc_parse_u64(s, strlen(s), RC_COUNT_DIGITS, v) == RC_OK ? 0 : -1;
}

const char *rc_cli_name(const char *path, char *out, size_t outlen) {
  static const char hex[] = "0123456789abcdef";
  size_t k = 0, n = strlen(path);
  for (size_t i = 0; i < n && k + 8 < outlen;) {
    uint32_t cp;
    size_t l = rc_utf8_char((const unsigned char *)path + i, n - i, &cp);
    if (l == 0 || cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0)) {
      unsigned char c = (unsigned char)path[i];
      out[k++] = '\\';
      out[k++] = 'x';
      out[k++] = hex[c >> 4];
      out[k++] = hex[c & 15];
      i++;
      continue;
    }
    memcpy(out + k, path + i, l);
    k += l;
    i += l;
  }
  out[k] = 0;
  return out;
}

struct rc_skey *rc_cli_load_key(const char *cmd, const char *path,
                                const char *passfile, int *status) {
  struct rc_skey *k = rc_skey_new();
  struct rc_error err;
  char *pass = NULL, *buf = NULL;
  size_t len = 0;
  char esc[512];
  *status = 2;
  if (!k) {
    rc_cli_fail(cmd, "out of memory");
    return NULL;
  }
  if (passfile && !strcmp(passfile, "-") && !strcmp(path, "-")) {
    rc_cli_fail(cmd, "--key - and --passphrase-file - cannot both read "
                     "standard input");
    goto fail;
  }
  if (rc_skey_read(path, &buf, &len, &err) != RC_OK) {
    rc_cli_fail(cmd, "%s", err.msg);
    if (err.code == RC_ERR_KEY) *status = 1;
    goto fail;
  }
  if (rc_skey_buf_encrypted(buf, len)) {
    pass = rc_pass_read(passfile, "Passphrase: ", 0, &err);
    if (!pass) {
      rc_cli_fail(cmd, "%s", err.msg);
      goto fail;
    }
  }
  const char *name = strcmp(path, "-") ? path : "standard input";
  if (rc_skey_load_buf(buf, len, rc_cli_name(name, esc, sizeof esc), pass,
                       pass ? strlen(pass) : 0, k, NULL, &err) != RC_OK) {
    rc_cli_fail(cmd, "%s", err.msg);
    if (err.code == RC_ERR_KEY || err.code == RC_ERR_KEYID) *status = 1;
    goto fail;
  }
  rc_pass_free(pass);
  rc_skey_buf_free(buf);
  *status = 0;
  return k;
fail:
  rc_pass_free(pass);
  rc_skey_buf_free(buf);
  rc_skey_free(k);
  return NULL;
}

int rc_cli_emit(const char *cmd, const char *path, const struct rc_buf *b,
                int force) {
  struct rc_error err;
  if (b->oom) return rc_cli_fail(cmd, "out of memory");
  if (!path) {
    if (fwrite(b->p, 1, b->len, stdout) != b->len || fflush(stdout) != 0)
      return rc_cli_fail(cmd, "cannot write to standard output");
    return 0;
  }
  if (rc_write_atomic(path, b->p, b->len, 0644, force, &err) != RC_OK) {
    rc_cli_fail(cmd, "%s", err.msg);
    return err.code == RC_ERR_EXISTS ? 1 : 2;
  }
  return 0;
}

struct rc_skey *rc_cli_load_signer(const char *cmd, const char *path,
                                   const char *passfile, int cosign,
                                   int *status) {
  struct rc_skey *k = rc_cli_load_key(cmd, path, passfile, status);
  if (!k || (k->type == RC_COSIG_TYPE) == (cosign != 0)) return k;
  char esc[512];
  rc_cli_refuse(cmd,
                cosign ? "%s is a note signing key; a witness cosigns with a "
                         "cosignature key (keygen --cosign)"
                       : "%s is a witness cosignature key: it cosigns "
                         "checkpoints (recount-sign witness), it signs no "
                         "note",
                rc_cli_name(path, esc, sizeof esc));
  *status = 1;
  rc_skey_free(k);
  return NULL;
}
