/* text.c — line cursor and value readers (text.h), RECORD.md §2. */
#include "text.h"

#include <string.h>

#include "b64.h"
#include "keys.h"

int rc_parse_u64(const char *s, size_t n, unsigned max_digits, uint64_t *out) {
  uint64_t v = 0;
  *out = 0;
  if (n == 0) return RC_ERR_SYNTAX;
  for (size_t i = 0; i < n; i++)
    if (s[i] < '0' || s[i] > '9') return RC_ERR_SYNTAX;
  if (n > 1 && s[0] == '0') return RC_ERR_SYNTAX;
  if (max_digits && n > max_digits) return RC_ERR_LIMIT;
  for (size_t i = 0; i < n; i++)
    if (__builtin_mul_overflow(v, 10u, &v) ||
        __builtin_add_overflow(v, (uint64_t)(s[i] - '0'), &v))
      return RC_ERR_LIMIT;
  *out = v;
  return RC_OK;
}

const char *rc_fmt_count(char buf[32], uint64_t v) {
  char d[20];
  size_t n = 0, o = 0;
  do {
    d[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  while (n) {
    buf[o++] = d[--n];
    if (n && n % 3 == 0) buf[o++] = ',';
  }
  buf[o] = 0;
  return buf;
}

static int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

int rc_parse_hex(const char *s, size_t nbytes, uint8_t *out) {
  for (size_t i = 0; i < nbytes; i++) {
    int hi = hex_digit(s[2 * i]), lo = hex_digit(s[2 * i + 1]);
    if (hi < 0 || lo < 0) {
      memset(out, 0, nbytes);
      return -1;
    }
    out[i] = (uint8_t)(hi << 4 | lo);
  }
  return 0;
}

size_t rc_utf8_char(const unsigned char *s, size_t n, uint32_t *cp) {
  if (n == 0) return 0;
  unsigned char c = s[0];
  size_t len;
  uint32_t v;
  if (c < 0x80) len = 1, v = c;
  else if (c >= 0xC2 && c <= 0xDF) len = 2, v = c & 0x1Fu;
  else if ((c & 0xF0) == 0xE0) len = 3, v = c & 0x0Fu;
  else if (c >= 0xF0 && c <= 0xF4) len = 4, v = c & 0x07u;
  else return 0; /* continuation byte, C0/C1 (overlong), F5..FF */
  if (len > n) return 0;
  for (size_t k = 1; k < len; k++) {
    if ((s[k] & 0xC0) != 0x80) return 0;
    v = v << 6 | (s[k] & 0x3Fu);
  }
  if ((len == 3 && v < 0x800) || (len == 4 && v < 0x10000) || v > 0x10FFFF ||
      (v >= 0xD800 && v <= 0xDFFF))
    return 0;
  if (cp) *cp = v;
  return len;
}

void rc_cur_init(struct rc_cur *c, const uint8_t *buf, size_t len,
                 const char *const *kws) {
  memset(c, 0, sizeof *c);
  c->buf = buf;
  c->len = len;
  c->kws = kws;
}

int rc_cur_next(struct rc_cur *c, struct rc_error *err) {
  if (c->pos >= c->len) return 0;
  c->prev = c->s;
  c->prevn = c->n;
  c->line++;
  const uint8_t *start = c->buf + c->pos;
  const uint8_t *nl = memchr(start, '\n', c->len - c->pos);
  c->s = (const char *)start;
  c->n = nl ? (size_t)(nl - start) : c->len - c->pos;
  c->pos += c->n + 1;
  if (!nl) {
    rc_fail(err, RC_ERR_SYNTAX, c->line, "line",
            "the text does not end with a newline (the last line is cut "
            "off)");
    return -1;
  }
  if (c->n == 0) {
    rc_fail(err, RC_ERR_SYNTAX, c->line, "line",
            "empty line (record texts have none)");
    return -1;
  }
  /* one pass: control characters, double spaces, and whether the line is
   * all printable ASCII (for rc_cur_ascii) */
  unsigned char prev = 0, high = 0;
  for (size_t i = 0; i < c->n; i++) {
    unsigned char ch = (unsigned char)c->s[i];
    high |= ch;
    if (ch < 0x20 || ch == 0x7f) {
      if (ch == '\r')
        rc_fail(err, RC_ERR_SYNTAX, c->line, "line",
                "carriage return: lines must end with a bare newline "
                "(\\n), not CR LF");
      else if (ch == '\t')
        rc_fail(err, RC_ERR_SYNTAX, c->line, "line",
                "tab character: fields are separated by one space");
      else
        rc_fail(err, RC_ERR_SYNTAX, c->line, "line",
                "control character (byte 0x%02x)", ch);
      return -1;
    }
    if (ch == ' ' && prev == ' ') {
      rc_fail(err, RC_ERR_SYNTAX, c->line, "line",
              "two spaces in a row: fields are separated by one space");
      return -1;
    }
    prev = ch;
  }
  c->ascii = high < 0x80;
  if (c->s[0] == ' ') {
    rc_fail(err, RC_ERR_SYNTAX, c->line, "line",
            "the line starts with a space");
    return -1;
  }
  if (c->s[c->n - 1] == ' ') {
    rc_fail(err, RC_ERR_SYNTAX, c->line, "line", "the line ends with a space");
    return -1;
  }
  return 1;
}

/* length of the keyword of line s[0..n) */
static size_t kw_len(const char *s, size_t n) {
  const char *sp = memchr(s, ' ', n);
  return sp ? (size_t)(sp - s) : n;
}

int rc_cur_is(const struct rc_cur *c, const char *kw) {
  size_t k = strlen(kw);
  return kw_len(c->s, c->n) == k && memcmp(c->s, kw, k) == 0;
}

/* Copies s[0..n) into out for a message: printable ASCII, '?' for other
 * bytes, cut at RC_KW_QUOTE_MAX with "...". */
static void quote(const char *s, size_t n, char out[RC_KW_QUOTE_MAX + 4]) {
  size_t m = n > RC_KW_QUOTE_MAX ? RC_KW_QUOTE_MAX : n, i;
  for (i = 0; i < m; i++) out[i] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
  if (m < n) out[i++] = '.', out[i++] = '.', out[i++] = '.';
  out[i] = 0;
}

int rc_cur_unexpected(const struct rc_cur *c, const char *want,
                      struct rc_error *err) {
  size_t k = kw_len(c->s, c->n);
  char got[RC_KW_QUOTE_MAX + 4];
  quote(c->s, k, got);
  const char *known = NULL;
  for (size_t i = 0; c->kws && c->kws[i]; i++)
    if (strlen(c->kws[i]) == k && memcmp(c->kws[i], c->s, k) == 0)
      known = c->kws[i];
  if (!known)
    return rc_fail(err, RC_ERR_SYNTAX, c->line, "line",
                   "unknown keyword '%s' (expected %s)", got, want);
  if (c->prev && kw_len(c->prev, c->prevn) == k &&
      memcmp(c->prev, c->s, k) == 0)
    return rc_fail(err, RC_ERR_DUP, c->line, known,
                   "a second '%s' line (expected %s)", known, want);
  return rc_fail(err, RC_ERR_ORDER, c->line, known,
                 "'%s' line out of order (expected %s)", known, want);
}

int rc_cur_value(const struct rc_cur *c, const char *kw, const char **v,
                 size_t *vn, struct rc_error *err) {
  if (!rc_cur_is(c, kw)) {
    char want[64];
    size_t k = strlen(kw);
    if (k > sizeof want - 3) k = sizeof want - 3;
    want[0] = '\'';
    memcpy(want + 1, kw, k);
    want[k + 1] = '\'';
    want[k + 2] = 0;
    return rc_cur_unexpected(c, want, err);
  }
  size_t k = strlen(kw);
  if (c->n <= k + 1)
    return rc_fail(err, RC_ERR_SYNTAX, c->line, kw,
                   "the '%s' line has no value", kw);
  *v = c->s + k + 1;
  *vn = c->n - k - 1;
  return RC_OK;
}

int rc_cur_expect(struct rc_cur *c, const char *kw, const char **v, size_t *vn,
                  struct rc_error *err) {
  int r = rc_cur_next(c, err);
  if (r < 0) return (int)err->code;
  if (r == 0)
    return rc_fail(err, RC_ERR_SYNTAX, c->line + 1, kw,
                   "the text ends where a '%s' line is expected", kw);
  return rc_cur_value(c, kw, v, vn, err);
}

int rc_cur_header(struct rc_cur *c, const char *header, const char *what,
                  struct rc_error *err) {
  if (c->len >= 3 && c->buf[0] == 0xEF && c->buf[1] == 0xBB &&
      c->buf[2] == 0xBF)
    return rc_fail(err, RC_ERR_SYNTAX, 1, "header",
                   "the %s starts with a byte order mark (BOM)", what);
  int r = rc_cur_next(c, err);
  if (r < 0) return (int)err->code;
  if (r == 0)
    return rc_fail(err, RC_ERR_SYNTAX, 1, "header", "the %s is empty", what);
  size_t h = strlen(header);
  if (c->n != h || memcmp(c->s, header, h) != 0)
    return rc_fail(err, RC_ERR_SYNTAX, 1, "header",
                   "the first line of a %s must be '%s'", what, header);
  return RC_OK;
}

int rc_cur_end(struct rc_cur *c, struct rc_error *err) {
  int r = rc_cur_next(c, err);
  if (r < 0) return (int)err->code;
  if (r > 0) return rc_cur_unexpected(c, "the end of the text", err);
  return RC_OK;
}

static int ascii_printable(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e) return 0;
  return 1;
}

int rc_cur_ascii(const struct rc_cur *c, struct rc_error *err) {
  if (!c->ascii)
    return rc_fail(err, RC_ERR_SYNTAX, c->line, "line",
                   "a byte that is not ASCII: only display names and the "
                   "title may hold UTF-8");
  return RC_OK;
}

int rc_text_ascii(const uint8_t *buf, size_t len, const char *what,
                  struct rc_error *err) {
  size_t line = 1;
  for (size_t i = 0; i < len; i++) {
    uint8_t b = buf[i];
    if (b == '\n') {
      line++;
      continue;
    }
    if (b >= 0x20 && b <= 0x7e) continue;
    if (i == 0 && len >= 3 && b == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF)
      return rc_fail(err, RC_ERR_SYNTAX, 1, "header",
                     "the %s starts with a byte order mark (BOM)", what);
    if (b == '\r')
      return rc_fail(err, RC_ERR_SYNTAX, line, "line",
                     "carriage return: lines must end with a bare newline "
                     "(\\n), not CR LF");
    if (b == '\t')
      return rc_fail(err, RC_ERR_SYNTAX, line, "line",
                     "tab character: fields are separated by one space");
    return rc_fail(err, RC_ERR_SYNTAX, line, "line",
                   "byte 0x%02x: a %s is printable ASCII only", b, what);
  }
  return RC_OK;
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

int rc_id_valid(const char *s, size_t n) {
  if (n == 0 || n > RC_ID_MAX) return 0;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    int ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
             (i > 0 && (c == '.' || c == '_' || c == '-'));
    if (!ok) return 0;
  }
  return 1;
}

int rc_read_id(const struct rc_cur *c, const char *field, const char *s,
               size_t n, char out[RC_ID_MAX + 1], struct rc_error *err) {
  if (n > RC_ID_MAX)
    return rc_fail(err, RC_ERR_SYNTAX, c->line, field,
                   "identifier of %zu characters: at most %d", n, RC_ID_MAX);
  if (!rc_id_valid(s, n))
    return rc_fail(err, RC_ERR_SYNTAX, c->line, field,
                   "not an identifier: lowercase letters a-z, digits, and "
                   "'.', '_', '-' after the first character");
  memcpy(out, s, n);
  out[n] = 0;
  return RC_OK;
}

/* A count (max_digits RC_COUNT_DIGITS) or a total (20 digits, < 2^64). */
static int read_number(const struct rc_cur *c, const char *field, const char *s,
                       size_t n, int total, uint64_t *out,
                       struct rc_error *err) {
  int rc = rc_parse_u64(s, n, total ? 20 : RC_COUNT_DIGITS, out);
  if (rc == RC_ERR_LIMIT && total)
    return rc_fail(err, RC_ERR_LIMIT, c->line, field,
                   "total of %zu digits: totals are below 2^64", n);
  if (rc == RC_ERR_LIMIT)
    return rc_fail(err, RC_ERR_LIMIT, c->line, field,
                   "count of %zu digits: counts are below 10^15", n);
  if (rc == RC_OK) return RC_OK;
  if (n == 0)
    return rc_fail(err, RC_ERR_SYNTAX, c->line, field, "missing count");
  for (size_t i = 0; i < n; i++)
    if (s[i] < '0' || s[i] > '9')
      return rc_fail(err, RC_ERR_SYNTAX, c->line, field,
                     s[i] == '+' || s[i] == '-'
                         ? "count with a sign: counts are plain digits"
                         : "not a count: digits 0-9 only");
  return rc_fail(err, RC_ERR_SYNTAX, c->line, field,
                 "count has a leading zero");
}

int rc_read_count(const struct rc_cur *c, const char *field, const char *s,
                  size_t n, uint64_t *out, struct rc_error *err) {
  return read_number(c, field, s, n, 0, out, err);
}

int rc_read_total(const struct rc_cur *c, const char *field, const char *s,
                  size_t n, uint64_t *out, struct rc_error *err) {
  return read_number(c, field, s, n, 1, out, err);
}

int rc_read_b64_32(const struct rc_cur *c, const char *field, const char *s,
                   size_t n, uint8_t out[32], struct rc_error *err) {
  if (rc_b64_decode_exact(s, n, out, 32) != RC_OK) {
    memset(out, 0, 32);
    return rc_fail(err, RC_ERR_BASE64, c->line, field,
                   "not the canonical base64 of 32 bytes (44 characters "
                   "ending in '=')");
  }
  return RC_OK;
}

static const uint32_t pow10_u32[RC_PERCENT_DECIMALS_MAX + 1] = {1, 10, 100,
                                                                1000, 10000};

int rc_read_percent(const struct rc_cur *c, const char *field, const char *s,
                    size_t n, struct rc_percent *out, struct rc_error *err) {
  size_t i = 0, d0;
  uint32_t ip = 0, fp = 0;
  while (i < n && i < 4 && s[i] >= '0' && s[i] <= '9')
    ip = ip * 10 + (uint32_t)(s[i++] - '0');
  if (i == 0 || i > 3) goto bad;
  const size_t idigits = i;
  if (i < n) {
    if (s[i++] != '.') goto bad;
    d0 = i;
    while (i < n && i - d0 < 5 && s[i] >= '0' && s[i] <= '9')
      fp = fp * 10 + (uint32_t)(s[i++] - '0');
    if (i != n || i == d0) goto bad;
    if (i - d0 > RC_PERCENT_DECIMALS_MAX)
      return rc_fail(err, RC_ERR_SYNTAX, c->line, field,
                     "percent with more than %d decimals",
                     RC_PERCENT_DECIMALS_MAX);
  } else {
    d0 = i;
  }
  out->decimals = (uint8_t)(i - d0);
  out->units = ip * pow10_u32[out->decimals] + fp;
  out->intdigits = (uint8_t)idigits;
  return RC_OK;
bad:
  return rc_fail(err, RC_ERR_SYNTAX, c->line, field,
                 "not a percent: 1 to 3 digits, optionally a point and 1 to "
                 "%d decimals (no sign, no '%%')",
                 RC_PERCENT_DECIMALS_MAX);
}

int rc_utf8_text_valid(const char *str, size_t n) {
  const unsigned char *s = (const unsigned char *)str;
  size_t i = 0;
  while (i < n) {
    uint32_t cp;
    size_t len = rc_utf8_char(s + i, n - i, &cp);
    if (len == 0 || cp < 0x20 || (cp >= 0x7f && cp <= 0x9F) || cp == 0x2028 ||
        cp == 0x2029 || cp == 0xFEFF || (cp >= 0x202A && cp <= 0x202E) ||
        (cp >= 0x2066 && cp <= 0x2069))
      return 0;
    i += len;
  }
  return 1;
}

int rc_read_utf8(const struct rc_cur *c, const char *field, const char *s,
                 size_t n, size_t max, struct rc_error *err) {
  if (n == 0)
    return rc_fail(err, RC_ERR_SYNTAX, c->line, field, "empty %s", field);
  if (n > max)
    return rc_fail(err, RC_ERR_LIMIT, c->line, field,
                   "%s of %zu bytes: at most %zu", field, n, max);
  if (!rc_utf8_text_valid(s, n))
    return rc_fail(err, RC_ERR_SYNTAX, c->line, field,
                   "not valid UTF-8 text, or holds a control, line "
                   "separator, byte order mark or bidirectional override "
                   "character");
  return RC_OK;
}

static int origin_valid(const char *s, size_t n) {
  if (n == 0 || n > RC_ORIGIN_MAX) return 0;
  for (size_t i = 0; i < n; i++)
    if (s[i] <= 0x20 || s[i] > 0x7e || s[i] == '+') return 0;
  return 1;
}

int rc_read_origin(const struct rc_cur *c, const char *field, const char *s,
                   size_t n, struct rc_error *err) {
  if (n > RC_ORIGIN_MAX)
    return rc_fail(err, RC_ERR_LIMIT, c->line, field,
                   "origin of %zu bytes: at most %d", n, RC_ORIGIN_MAX);
  if (!origin_valid(s, n))
    return rc_fail(err, RC_ERR_SYNTAX, c->line, field,
                   "the origin must be printable ASCII without spaces or "
                   "'+'");
  return RC_OK;
}

static int read_votes(struct rc_cur *c, struct rc_vote *votes, size_t *nvotes,
                      int total, struct rc_error *err) {
  int r, rc;
  *nvotes = 0;
  while ((r = rc_cur_next(c, err)) > 0) {
    const char *v, *id, *cnt;
    size_t vn, idn, cn;
    if ((rc = rc_cur_value(c, "vote", &v, &vn, err))) return rc;
    if (*nvotes == RC_MAX_CHOICES)
      return rc_fail(err, RC_ERR_LIMIT, c->line, "vote",
                     "more than %d vote lines", RC_MAX_CHOICES);
    if (rc_split(v, vn, &id, &idn, &cnt, &cn) != 0)
      return rc_fail(err, RC_ERR_SYNTAX, c->line, "vote",
                     "expected 'vote <choice-id> <count>'");
    struct rc_vote *vo = &votes[*nvotes];
    if ((rc = rc_read_id(c, "vote", id, idn, vo->choice, err)) ||
        (rc = read_number(c, "vote", cnt, cn, total, &vo->count, err)))
      return rc;
    for (size_t i = 0; i < *nvotes; i++)
      if (strcmp(votes[i].choice, vo->choice) == 0)
        return rc_fail(err, RC_ERR_DUP, c->line, "vote",
                       "a second vote line for choice '%s'", vo->choice);
    (*nvotes)++;
  }
  if (r < 0) return (int)err->code;
  if (*nvotes == 0)
    return rc_fail(err, RC_ERR_SYNTAX, c->line + 1, "vote",
                   "the text ends where the first 'vote' line is expected");
  return RC_OK;
}

int rc_read_votes(struct rc_cur *c, struct rc_vote *votes, size_t *nvotes,
                  struct rc_error *err) {
  return read_votes(c, votes, nvotes, 0, err);
}

int rc_read_total_votes(struct rc_cur *c, struct rc_vote *votes, size_t *nvotes,
                        struct rc_error *err) {
  return read_votes(c, votes, nvotes, 1, err);
}

int rc_free_text_ok(const char *s, size_t max) {
  size_t n = strlen(s);
  return n >= 1 && n <= max && rc_utf8_text_valid(s, n) && s[0] != ' ' &&
         s[n - 1] != ' ' && !strstr(s, "  ");
}

int rc_origin_ok(const char *s) { return origin_valid(s, strlen(s)); }

int rc_id_ok(const char *s) {
  return rc_id_valid(s, strnlen(s, RC_ID_MAX + 1));
}

int rc_percent_ok(const struct rc_percent *p) {
  return p->decimals <= RC_PERCENT_DECIMALS_MAX && p->intdigits <= 3 &&
         p->units < 1000u * pow10_u32[p->decimals];
}

int rc_vkey_ascii_ok(const struct rc_vkey *k) {
  return k->name && rc_keyname_valid(k->name, k->namelen) &&
         ascii_printable(k->name, k->namelen);
}

int rc_cur_id_line(struct rc_cur *c, const char *kw, char out[RC_ID_MAX + 1],
                   struct rc_error *err) {
  const char *s;
  size_t n;
  int rc = rc_cur_expect(c, kw, &s, &n, err);
  return rc ? rc : rc_read_id(c, kw, s, n, out, err);
}

int rc_cur_count_line(struct rc_cur *c, const char *kw, uint64_t *v,
                      struct rc_error *err) {
  const char *s;
  size_t n;
  int rc = rc_cur_expect(c, kw, &s, &n, err);
  return rc ? rc : rc_read_count(c, kw, s, n, v, err);
}

int rc_cur_total_line(struct rc_cur *c, const char *kw, uint64_t *v,
                      struct rc_error *err) {
  const char *s;
  size_t n;
  int rc = rc_cur_expect(c, kw, &s, &n, err);
  return rc ? rc : rc_read_total(c, kw, s, n, v, err);
}
