/* testutil.h — small helpers shared by the cmocka unit tests.
 * Tests run from the repository root (tests/run-unit.sh cd's there). */
#ifndef RC_TESTUTIL_H
#define RC_TESTUTIL_H
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "rc.h"

/* Reads a whole stream into a NUL-terminated malloc'd copy. */
static inline uint8_t *tu_read_stream(FILE *f, size_t *len) {
  size_t cap = 4096, n = 0;
  uint8_t *p = malloc(cap + 1);
  assert_non_null(p);
  size_t r;
  while ((r = fread(p + n, 1, cap - n, f)) > 0) {
    n += r;
    if (n == cap) {
      cap *= 2;
      p = realloc(p, cap + 1);
      assert_non_null(p);
    }
  }
  p[n] = 0;
  if (len) *len = n;
  return p;
}

/* Reads a whole file (NUL-terminated copy); fails the test if unreadable. */
static inline uint8_t *tu_read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) fail_msg("cannot open %s", path);
  uint8_t *p = tu_read_stream(f, len);
  fclose(f);
  return p;
}

static inline int tu_hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Decodes hex into a malloc'd buffer; returns NULL on bad hex. */
static inline uint8_t *tu_unhex(const char *s, size_t slen, size_t *outlen) {
  if (slen % 2) return NULL;
  uint8_t *out = malloc(slen / 2 + 1);
  if (!out) return NULL;
  for (size_t i = 0; i < slen / 2; i++) {
    int hi = tu_hexval(s[2 * i]), lo = tu_hexval(s[2 * i + 1]);
    if (hi < 0 || lo < 0) {
      free(out);
      return NULL;
    }
    out[i] = (uint8_t)(hi * 16 + lo);
  }
  *outlen = slen / 2;
  return out;
}

/* Writes buf to path (for recording decisions). */
static inline void tu_write_file(const char *path, const void *buf, size_t n) {
  FILE *f = fopen(path, "wb");
  if (!f) fail_msg("cannot write %s", path);
  if (n && fwrite(buf, 1, n, f) != n) fail_msg("short write %s", path);
  fclose(f);
}
/* The vector files' line format: splits the next line of a NUL-terminated
 * buffer into at most max space-separated fields (in place), skipping
 * '#' comments and empty lines. Returns the number of fields, 0 at the
 * end. */
static inline size_t tu_fields(char **cur, char **f, size_t max) {
  for (;;) {
    char *line = *cur;
    if (!line || !*line) return 0;
    char *nl = strchr(line, '\n');
    if (nl) {
      *nl = 0;
      *cur = nl + 1;
    } else {
      *cur = line + strlen(line);
    }
    if (line[0] == '#' || !line[0]) continue;
    size_t n = 0;
    char *save = NULL;
    for (char *t = strtok_r(line, " ", &save); t && n < max;
         t = strtok_r(NULL, " ", &save))
      f[n++] = t;
    return n;
  }
}

/* A hex field ("-" is empty) into a malloc'd buffer; fails the test on
 * bad hex. */
static inline uint8_t *tu_hexf(const char *s, size_t *n) {
  *n = 0;
  if (!strcmp(s, "-")) {
    *n = 0;
    return calloc(1, 1);
  }
  uint8_t *p = tu_unhex(s, strlen(s), n);
  if (!p) fail_msg("bad hex field '%.20s'", s);
  return p;
}
/* base with the first occurrence of from[0..fl) replaced by to[0..tl);
 * NULL if from does not occur. */
static inline uint8_t *tu_replace(const uint8_t *base, size_t blen,
                                  const void *from, size_t fl, const void *to,
                                  size_t tl, size_t *olen) {
  const uint8_t *at = memmem(base, blen, from, fl);
  if (!at) return NULL;
  size_t a = (size_t)(at - base);
  uint8_t *out = malloc(blen - fl + tl + 1);
  assert_non_null(out);
  memcpy(out, base, a);
  if (tl) memcpy(out + a, to, tl);
  memcpy(out + a + tl, at + fl, blen - a - fl);
  *olen = blen - fl + tl;
  out[*olen] = 0;
  return out;
}

/* Splits line into at most max fields separated by single tabs (in
 * place; empty fields are kept). Returns the number of fields. */
static inline size_t tu_tabs(char *line, char **f, size_t max) {
  size_t n = 0;
  for (char *p = line; n < max;) {
    f[n++] = p;
    char *tab = strchr(p, '\t');
    if (!tab) break;
    *tab = 0;
    p = tab + 1;
  }
  return n;
}

/* The next case line of a NUL-terminated case file at *cur (comments '#'
 * and empty lines skipped), NUL-terminated in place; NULL at the end.
 * Fails the test if the file does not end with a newline. */
static inline char *tu_case_line(char **cur, const char *path) {
  for (;;) {
    char *line = *cur;
    if (!*line) return NULL;
    char *nl = strchr(line, '\n');
    if (!nl) fail_msg("%s does not end with a newline", path);
    *nl = 0;
    *cur = nl + 1;
    if (line[0] != '#' && line[0]) return line;
  }
}

/* Decodes the escapes of a case-file field s[0..n) (\n \r \t \\ \xHH, and
 * \(N:text) for text repeated N times), appending to b. */
static inline void tu_unescape(const char *s, size_t n, struct rc_buf *b) {
  for (size_t i = 0; i < n; i++) {
    if (s[i] != '\\') {
      rc_buf_putc(b, s[i]);
      continue;
    }
    if (i + 1 >= n) fail_msg("dangling escape in a case file");
    char c = s[++i];
    if (c == 'n') rc_buf_putc(b, '\n');
    else if (c == 'r') rc_buf_putc(b, '\r');
    else if (c == 't') rc_buf_putc(b, '\t');
    else if (c == '\\') rc_buf_putc(b, '\\');
    else if (c == 'x' && i + 2 < n) {
      int hi = tu_hexval(s[i + 1]), lo = tu_hexval(s[i + 2]);
      if (hi < 0 || lo < 0) fail_msg("bad \\x escape in a case file");
      rc_buf_putc(b, (char)(hi * 16 + lo));
      i += 2;
    } else if (c == '(') {
      size_t k = i + 1, count = 0;
      while (k < n && s[k] >= '0' && s[k] <= '9')
        count = count * 10 + (size_t)(s[k++] - '0');
      const char *close = memchr(s + k, ')', n - k);
      if (k == i + 1 || k >= n || s[k] != ':' || !close)
        fail_msg("bad \\(N:text) in a case file");
      struct rc_buf one = {0};
      tu_unescape(s + k + 1, (size_t)(close - s) - k - 1, &one);
      for (size_t r = 0; r < count; r++) rc_buf_put(b, one.p, one.len);
      rc_buf_free(&one);
      i = (size_t)(close - s);
    } else {
      fail_msg("unknown escape \\%c in a case file", c);
    }
  }
  assert_false(b->oom);
}

/* The error code named s ("ok", "syntax", ...), or fails the test. */
static inline int tu_code(const char *s) {
  if (!strcmp(s, "ok")) return RC_OK;
  for (int c = 1; c < RC_ERR__COUNT; c++)
    if (!strcmp(s, rc_err_str((enum rc_err)c))) return c;
  fail_msg("unknown error code '%s' in a case file", s);
  return -1;
}
/* A fresh copy of the record directory src (a path ending in '/') in a
 * new directory /tmp/recount-TAG-XXXXXX, whose name goes to dir (at least
 * 64 bytes); tu_remove_dir removes it again. */
static inline void tu_copy_record(const char *src, const char *tag, char *dir,
                                  size_t dirlen) {
  char cmd[512];
  snprintf(dir, dirlen, "/tmp/recount-%s-XXXXXX", tag);
  assert_non_null(mkdtemp(dir));
  snprintf(cmd, sizeof cmd, "cp -r '%s'. '%s'", src, dir);
  assert_int_equal(system(cmd), 0);
}

static inline void tu_remove_dir(const char *dir) {
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  assert_int_equal(system(cmd), 0);
}
#endif
