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
#endif
