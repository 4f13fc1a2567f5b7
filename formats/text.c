/* text.c — line cursor and value readers (text.h). */
#include "text.h"

#include <string.h>

#include "b64.h"
#include "note.h"
#include "texts.h"

void rc_cur_init(struct rc_cur *c, const uint8_t *buf, size_t len) {
  memset(c, 0, sizeof *c);
  c->buf = buf;
  c->len = len;
}

int rc_cur_next(struct rc_cur *c, struct rc_error *err) {
  if (c->pos >= c->len) return 0;
  c->line++;
  const uint8_t *start = c->buf + c->pos;
  const uint8_t *nl = memchr(start, '\n', c->len - c->pos);
  if (!nl) {
    rc_fail(err, RC_ERR_SYNTAX, c->line, "line",
            "the last line does not end with a newline");
    return -1;
  }
  c->s = (const char *)start;
  c->n = (size_t)(nl - start);
  c->pos += c->n + 1;
  if (c->n == 0) {
    rc_fail(err, RC_ERR_SYNTAX, c->line, "line", "empty line");
    return -1;
  }
  if (c->s[0] == ' ' || c->s[c->n - 1] == ' ') {
    rc_fail(err, RC_ERR_SYNTAX, c->line, "line",
            "leading or trailing space");
    return -1;
  }
  for (size_t i = 0; i < c->n; i++) {
    unsigned char ch = (unsigned char)c->s[i];
    if (ch == '\r') {
      rc_fail(err, RC_ERR_SYNTAX, c->line, "line",
              "carriage return (lines must end with '\\n' only)");
      return -1;
    }
    if (ch < 0x20 || ch == 0x7f) {
      rc_fail(err, RC_ERR_SYNTAX, c->line, "line",
              "control character 0x%02x (tabs are not allowed)", ch);
      return -1;
    }
    if (ch == ' ' && c->s[i + 1] == ' ') {
      rc_fail(err, RC_ERR_SYNTAX, c->line, "line",
              "two spaces in a row (fields are separated by one space)");
      return -1;
    }
  }
  return 1;
}

int rc_cur_is(const struct rc_cur *c, const char *kw) {
  size_t k = strlen(kw);
  return c->n >= k && !memcmp(c->s, kw, k) && (c->n == k || c->s[k] == ' ');
}

int rc_cur_value(const struct rc_cur *c, const char *kw, const char **v,
                 size_t *vn, struct rc_error *err) {
  size_t k = strlen(kw);
  if (!rc_cur_is(c, kw)) {
    char got[40];
    size_t g = 0;
    while (g < c->n && g < sizeof got - 1 && c->s[g] != ' ') {
      got[g] = (c->s[g] >= 0x20 && c->s[g] < 0x7f) ? c->s[g] : '?';
      g++;
    }
    got[g] = 0;
    return rc_fail(err, RC_ERR_SYNTAX, c->line, kw,
                   "expected keyword '%s', found '%s'", kw, got);
  }
  if (c->n <= k + 1)
    return rc_fail(err, RC_ERR_SYNTAX, c->line, kw, "'%s' has no value", kw);
  *v = c->s + k + 1;
  *vn = c->n - k - 1;
  return RC_OK;
}

int rc_cur_expect(struct rc_cur *c, const char *kw, const char **v,
                  size_t *vn, struct rc_error *err) {
  int r = rc_cur_next(c, err);
  if (r < 0) return (int)err->code;
  if (r == 0)
    return rc_fail(err, RC_ERR_SYNTAX, c->line + 1, kw,
                   "the text ends before the '%s' line", kw);
  return rc_cur_value(c, kw, v, vn, err);
}

int rc_split(const char *s, size_t n, const char **tok, size_t *tn,
             const char **rest, size_t *rn) {
  const char *sp = memchr(s, ' ', n);
  if (!sp || sp == s || (size_t)(sp - s) + 1 >= n) return -1;
  *tok = s;
  *tn = (size_t)(sp - s);
  *rest = sp + 1;
  *rn = n - *tn - 1;
  return 0;
}

int rc_ascii(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e) return 0;
  return 1;
}

int rc_cur_ascii(const struct rc_cur *c, struct rc_error *err) {
  if (!rc_ascii(c->s, c->n))
    return rc_fail(err, RC_ERR_SYNTAX, c->line, "line",
                   "non-ASCII byte (only the free-text fields may hold "
                   "UTF-8)");
  return RC_OK;
}

int rc_read_id(const struct rc_cur *c, const char *field, const char *s,
               size_t n, char out[RC_ID_MAX + 1], struct rc_error *err) {
  if (!rc_id_valid(s, n))
    return rc_fail(err, RC_ERR_SYNTAX, c->line, field,
                   "not an identifier ([a-z0-9][a-z0-9._-]*, at most %d "
                   "characters)",
                   RC_ID_MAX);
  memcpy(out, s, n);
  out[n] = 0;
  return RC_OK;
}

int rc_read_count(const struct rc_cur *c, const char *field, const char *s,
                  size_t n, uint64_t *out, struct rc_error *err) {
  if (n == 0 || n > RC_COUNT_DIGITS) {
    if (n > RC_COUNT_DIGITS) {
      int digits = 1;
      for (size_t i = 0; i < n; i++) digits &= s[i] >= '0' && s[i] <= '9';
      if (digits && s[0] != '0')
        return rc_fail(err, RC_ERR_LIMIT, c->line, field,
                       "count of %zu digits: counts are below 10^15", n);
    }
    return rc_fail(err, RC_ERR_SYNTAX, c->line, field,
                   "not a count (digits only, no sign, below 10^15)");
  }
  if (s[0] == '0' && n > 1)
    return rc_fail(err, RC_ERR_SYNTAX, c->line, field,
                   "count has a leading zero");
  uint64_t v = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9')
      return rc_fail(err, RC_ERR_SYNTAX, c->line, field,
                     "not a count (digits only, no sign, below 10^15)");
    v = v * 10 + (uint64_t)(s[i] - '0');
  }
  *out = v;
  return RC_OK;
}

int rc_read_hash(const struct rc_cur *c, const char *field, const char *s,
                 size_t n, uint8_t out[32], struct rc_error *err) {
  if (rc_b64_decode_exact(s, n, out, 32) != RC_OK)
    return rc_fail(err, RC_ERR_BASE64, c->line, field,
                   "not the canonical base64 of 32 bytes");
  return RC_OK;
}

int rc_read_utf8(const struct rc_cur *c, const char *field, const char *s,
                 size_t n, size_t max, struct rc_error *err) {
  if (n == 0 || n > max)
    return rc_fail(err, RC_ERR_LIMIT, c->line, field,
                   "must be 1 to %zu bytes", max);
  if (!rc_text_clean((const uint8_t *)s, n) || memchr(s, '\n', n))
    return rc_fail(err, RC_ERR_SYNTAX, c->line, field,
                   "not valid UTF-8 text without control characters");
  if ((unsigned char)s[0] == 0xEF && n >= 3 && (unsigned char)s[1] == 0xBB &&
      (unsigned char)s[2] == 0xBF)
    return rc_fail(err, RC_ERR_SYNTAX, c->line, field, "byte order mark");
  return RC_OK;
}

int rc_ascii_text(const uint8_t *buf, size_t len) {
  for (size_t i = 0; i < len; i++)
    if ((buf[i] < 0x20 && buf[i] != '\n') || buf[i] > 0x7e) return 0;
  return 1;
}

size_t rc_first_nonascii_line(const uint8_t *buf, size_t len) {
  size_t line = 1;
  for (size_t i = 0; i < len; i++) {
    if ((buf[i] < 0x20 && buf[i] != '\n') || buf[i] > 0x7e) return line;
    if (buf[i] == '\n') line++;
  }
  return 0;
}
