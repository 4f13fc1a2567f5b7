/* rc.c — error values and the growable buffer. */
#include "rc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const err_names[RC_ERR__COUNT] = {
    [RC_OK] = "ok",
    [RC_ERR_SYNTAX] = "syntax",
    [RC_ERR_LIMIT] = "limit",
    [RC_ERR_NOMEM] = "out of memory",
    [RC_ERR_IO] = "i/o",
    [RC_ERR_BASE64] = "base64",
    [RC_ERR_KEY] = "key",
    [RC_ERR_KEYID] = "key id",
    [RC_ERR_ORDER] = "order",
    [RC_ERR_DUP] = "duplicate",
    [RC_ERR_ARITH] = "arithmetic",
    [RC_ERR_OVERFLOW] = "overflow",
    [RC_ERR_CRYPTO] = "crypto",
    [RC_ERR_SIG] = "signature",
    [RC_ERR_PROOF] = "proof",
    [RC_ERR_USAGE] = "usage",
    [RC_ERR_EXISTS] = "exists",
};

const char *rc_err_str(enum rc_err code) {
  if ((unsigned)code >= RC_ERR__COUNT) return "unknown";
  return err_names[code];
}

int rc_fail(struct rc_error *err, enum rc_err code, size_t line,
            const char *field, const char *fmt, ...) {
  if (err) {
    err->code = code;
    err->line = line;
    snprintf(err->field, sizeof err->field, "%s", field ? field : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
  }
  return (int)code;
}

void rc_error_prefix(struct rc_error *err, const char *prefix) {
  if (!err) return;
  char tmp[sizeof err->msg * 2 + 64];
  int n = snprintf(tmp, sizeof tmp, "%s: %s", prefix, err->msg);
  size_t len = n < 0 ? 0 : (size_t)n;
  if (len >= sizeof err->msg) len = sizeof err->msg - 1;
  memcpy(err->msg, tmp, len);
  err->msg[len] = 0;
}

void rc_error_clear(struct rc_error *err) {
  if (err) memset(err, 0, sizeof *err);
}

static int buf_grow(struct rc_buf *b, size_t need) {
  if (b->oom) return -1;
  if (need <= b->cap - b->len) return 0;
  size_t cap = b->cap ? b->cap : 256;
  while (cap - b->len < need) {
    if (cap > SIZE_MAX / 2) {
      b->oom = 1;
      return -1;
    }
    cap *= 2;
  }
  uint8_t *p = realloc(b->p, cap);
  if (!p) {
    b->oom = 1;
    return -1;
  }
  b->p = p;
  b->cap = cap;
  return 0;
}

void rc_buf_put(struct rc_buf *b, const void *data, size_t n) {
  if (n == 0 || buf_grow(b, n) != 0) return;
  memcpy(b->p + b->len, data, n);
  b->len += n;
}

void rc_buf_puts(struct rc_buf *b, const char *s) {
  rc_buf_put(b, s, strlen(s));
}

void rc_buf_putc(struct rc_buf *b, char c) { rc_buf_put(b, &c, 1); }

void rc_buf_printf(struct rc_buf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0 || buf_grow(b, (size_t)n + 1) != 0) return;
  va_start(ap, fmt);
  vsnprintf((char *)b->p + b->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->len += (size_t)n;
}

void rc_buf_put_u64(struct rc_buf *b, uint64_t v) {
  char tmp[24];
  size_t i = sizeof tmp;
  do {
    tmp[--i] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  rc_buf_put(b, tmp + i, sizeof tmp - i);
}

void rc_buf_free(struct rc_buf *b) {
  free(b->p);
  memset(b, 0, sizeof *b);
}
