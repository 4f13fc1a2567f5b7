/* test_text.c — the lexical primitives and the line cursor of
 * formats/text.h:
 *
 *   - rc_parse_u64, rc_parse_hex, rc_utf8_char, rc_utf8_text_valid and
 *     rc_read_count on the cases of testvectors/limits/text.txt (signs,
 *     leading zeros, 2^64, digit caps; overlong forms, surrogates, the ends
 *     of each UTF-8 length; controls, separators, bidirectional
 *     overrides);
 *   - rc_utf8_char against an independent decoder over every 1-, 2- and
 *     3-byte string and a sample of 4-byte ones;
 *   - the cursor: line shapes, keywords, values, and the order/duplicate
 *     distinction of rc_cur_unexpected;
 *   - rc_fmt_count's digit groups at the edges (0, 999, 1000, 2^64-1) and
 *     against a plain reformatting of every power of ten and its
 *     neighbours. */
#include "text.h"
#include "texttest.h"

static uint64_t number(const char *s) {
  uint64_t v = 0;
  for (; *s; s++) {
    if (*s < '0' || *s > '9') fail_msg("bad number '%s' in text.txt", s);
    v = v * 10 + (uint64_t)(*s - '0');
  }
  return v;
}

/* "ok:<value>" / "syntax" / "limit" against a result */
static void check_result(const char *want, int rc, uint64_t v,
                         const char *what) {
  if (!strncmp(want, "ok:", 3)) {
    if (rc != RC_OK || v != number(want + 3))
      fail_msg("%s: got %s %llu, expected %s", what,
               rc_err_str((enum rc_err)rc), (unsigned long long)v, want);
  } else if (rc != tu_code(want)) {
    fail_msg("%s: got %s, expected %s", what, rc_err_str((enum rc_err)rc),
             want);
  }
}

static void test_cases(void **state) {
  (void)state;
  size_t flen, per[5] = {0};
  char *file = (char *)tu_read_file("testvectors/limits/text.txt", &flen);
  for (char *line = file, *next; line < file + flen; line = next) {
    char *nl = strchr(line, '\n');
    if (!nl) fail_msg("text.txt does not end with a newline");
    *nl = 0;
    next = nl + 1;
    if (line[0] == '#' || !line[0]) continue;
    char *f[5];
    size_t nf = tu_tabs(line, f, 5);
    if (nf < 3) fail_msg("text.txt: a case with %zu fields", nf);
    const char *input = !strcmp(f[0], "u64") ? f[2] : f[1];
    struct rc_buf in = {0};
    tu_unescape(input, strlen(input), &in);
    const char *s = in.p ? (const char *)in.p : "";
    if (!strcmp(f[0], "u64") && nf == 4) {
      uint64_t v = 1;
      int rc = rc_parse_u64(s, in.len, (unsigned)number(f[1]), &v);
      check_result(f[3], rc, v, f[2]);
      if (rc != RC_OK) assert_int_equal(v, 0);
      per[0]++;
    } else if (!strcmp(f[0], "hex") && nf == 3) {
      uint8_t out[16];
      assert_int_equal(in.len % 2, 0);
      int rc = rc_parse_hex(s, in.len / 2, out);
      if (!strcmp(f[2], "bad")) {
        if (rc == 0) fail_msg("hex '%s' accepted", f[1]);
      } else {
        size_t n;
        uint8_t *want = tu_hexf(f[2], &n);
        assert_int_equal(rc, 0);
        assert_int_equal(n, in.len / 2);
        assert_memory_equal(out, want, n);
        free(want);
      }
      per[1]++;
    } else if (!strcmp(f[0], "utf8") && nf == 4) {
      uint32_t cp = 0xFFFFFFFFu;
      size_t len = rc_utf8_char((const unsigned char *)s, in.len, &cp);
      if (len != number(f[2]))
        fail_msg("utf8 '%s': length %zu, expected %s", f[1], len, f[2]);
      uint32_t w = 0;
      for (const char *h = f[3]; *h; h++) w = w * 16 + (uint32_t)tu_hexval(*h);
      if (len && cp != w)
        fail_msg("utf8 '%s': U+%04X, expected %s", f[1], cp, f[3]);
      per[2]++;
    } else if (!strcmp(f[0], "text") && nf == 3) {
      int ok = rc_utf8_text_valid(s, in.len);
      if (ok != !strcmp(f[2], "ok"))
        fail_msg("text '%s': %s, expected %s", f[1], ok ? "ok" : "bad", f[2]);
      per[3]++;
    } else if (!strcmp(f[0], "count") && nf == 3) {
      struct rc_cur c;
      struct rc_error err;
      uint64_t v = 0;
      rc_cur_init(&c, (const uint8_t *)"", 0, NULL);
      int rc = rc_read_count(&c, "n", s, in.len, &v, &err);
      check_result(f[2], rc, v, f[1]);
      if (rc) assert_string_equal(err.field, "n");
      per[4]++;
    } else {
      fail_msg("text.txt: bad case '%s' (%zu fields)", f[0], nf);
    }
    rc_buf_free(&in);
  }
  free(file);
  for (int i = 0; i < 5; i++) assert_true(per[i] > 0);
  printf("text.txt: %zu rc_parse_u64, %zu rc_parse_hex, %zu rc_utf8_char, "
         "%zu rc_utf8_text_valid, %zu rc_read_count cases\n",
         per[0], per[1], per[2], per[3], per[4]);
}

/* An independent reading of RFC 3629's table of well-formed sequences. */
static size_t ref_utf8(const unsigned char *s, size_t n) {
  static const struct {
    unsigned char lo[4], hi[4];
    size_t len;
  } t[] = {
      {{0x00}, {0x7F}, 1},
      {{0xC2, 0x80}, {0xDF, 0xBF}, 2},
      {{0xE0, 0xA0, 0x80}, {0xE0, 0xBF, 0xBF}, 3},
      {{0xE1, 0x80, 0x80}, {0xEC, 0xBF, 0xBF}, 3},
      {{0xED, 0x80, 0x80}, {0xED, 0x9F, 0xBF}, 3},
      {{0xEE, 0x80, 0x80}, {0xEF, 0xBF, 0xBF}, 3},
      {{0xF0, 0x90, 0x80, 0x80}, {0xF0, 0xBF, 0xBF, 0xBF}, 4},
      {{0xF1, 0x80, 0x80, 0x80}, {0xF3, 0xBF, 0xBF, 0xBF}, 4},
      {{0xF4, 0x80, 0x80, 0x80}, {0xF4, 0x8F, 0xBF, 0xBF}, 4},
  };
  for (size_t r = 0; r < sizeof t / sizeof t[0]; r++) {
    if (n < t[r].len) continue;
    size_t k = 0;
    while (k < t[r].len && s[k] >= t[r].lo[k] && s[k] <= t[r].hi[k]) k++;
    if (k == t[r].len) return k;
  }
  return 0;
}

static void test_utf8_exhaustive(void **state) {
  (void)state;
  unsigned char s[4];
  size_t total = 0, valid = 0;
  uint64_t rs = 7;
  for (uint32_t x = 0; x < (1u << 24); x++) {
    s[0] = (unsigned char)(x >> 16), s[1] = (unsigned char)(x >> 8);
    s[2] = (unsigned char)x;
    for (size_t n = 1; n <= 3; n++) {
      if (n < 3 && (x & ((1u << (8 * (3 - n))) - 1))) continue;
      uint32_t cp;
      size_t got = rc_utf8_char(s, n, &cp), want = ref_utf8(s, n);
      if (got != want)
        fail_msg("%02x %02x %02x (n %zu): length %zu, expected %zu", s[0], s[1],
                 s[2], n, got, want);
      total++;
      valid += got == n;
    }
    /* and a 4-byte string with a random last byte */
    s[3] = (unsigned char)tt_rnd(&rs);
    if (rc_utf8_char(s, 4, NULL) != ref_utf8(s, 4))
      fail_msg("%02x %02x %02x %02x: differs", s[0], s[1], s[2], s[3]);
    total++;
  }
  /* 128 + 1920 + 61440 strings are exactly one character */
  assert_int_equal(valid, 128 + 1920 + 61440);
  printf("utf8: %zu strings agree with RFC 3629's table\n", total);
}

static void test_cursor(void **state) {
  (void)state;
  static const char *const kws[] = {"a", "b", NULL};
  struct rc_error err;
  struct rc_cur c;
  const char *v;
  size_t vn;
  const char *text = "h\na 1\nb 2\nb 3\na 4\nc 5\n";
  rc_cur_init(&c, (const uint8_t *)text, strlen(text), kws);
  assert_int_equal(rc_cur_header(&c, "h", "text", &err), RC_OK);
  assert_int_equal(rc_cur_expect(&c, "a", &v, &vn, &err), RC_OK);
  assert_int_equal(vn, 1);
  assert_memory_equal(v, "1", 1);
  assert_int_equal(c.line, 2);
  assert_int_equal(rc_cur_expect(&c, "b", &v, &vn, &err), RC_OK);
  /* the same keyword as the line before: a duplicate */
  assert_int_equal(rc_cur_expect(&c, "a", &v, &vn, &err), RC_ERR_DUP);
  assert_int_equal(err.line, 4);
  assert_string_equal(err.field, "b");
  /* a known keyword elsewhere: out of order */
  assert_int_equal(rc_cur_expect(&c, "b", &v, &vn, &err), RC_ERR_ORDER);
  assert_int_equal(err.line, 5);
  /* an unknown keyword */
  assert_int_equal(rc_cur_expect(&c, "a", &v, &vn, &err), RC_ERR_SYNTAX);
  assert_string_equal(err.field, "line");
  assert_int_equal(rc_cur_end(&c, &err), RC_OK);
  /* line shapes */
  static const char *const bad[] = {"h\n\n",   "h\na  1\n",  "h\n a\n",
                                    "h\na \n", "h\na\t1\n",  "h\na 1\r\n",
                                    "h\na 1",  "h\na \x01\n"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    rc_cur_init(&c, (const uint8_t *)bad[i], strlen(bad[i]), kws);
    assert_int_equal(rc_cur_header(&c, "h", "text", &err), RC_OK);
    assert_int_equal(rc_cur_next(&c, &err), -1);
    assert_int_equal(err.code, RC_ERR_SYNTAX);
    assert_int_equal(err.line, 2);
  }
  /* rc_split */
  const char *tok, *rest;
  size_t tn, rn;
  assert_int_equal(rc_split("ab cd e", 7, &tok, &tn, &rest, &rn), 0);
  assert_int_equal(tn, 2);
  assert_int_equal(rn, 4);
  assert_int_equal(rc_split("abc", 3, &tok, &tn, &rest, &rn), -1);
  assert_int_equal(rc_split("abc ", 4, &tok, &tn, &rest, &rn), -1);
  assert_int_equal(rc_split(" abc", 4, &tok, &tn, &rest, &rn), -1);
}

static void test_fmt_count(void **state) {
  (void)state;
  char buf[32];
  assert_string_equal(rc_fmt_count(buf, 0), "0");
  assert_string_equal(rc_fmt_count(buf, 7), "7");
  assert_string_equal(rc_fmt_count(buf, 999), "999");
  assert_string_equal(rc_fmt_count(buf, 1000), "1,000");
  assert_string_equal(rc_fmt_count(buf, 99999), "99,999");
  assert_string_equal(rc_fmt_count(buf, 100000), "100,000");
  assert_string_equal(rc_fmt_count(buf, 1234567), "1,234,567");
  assert_string_equal(rc_fmt_count(buf, UINT64_MAX),
                      "18,446,744,073,709,551,615");
  assert_ptr_equal(rc_fmt_count(buf, 1), buf);
  /* every 10^k - 1, 10^k, 10^k + 1: the digits are printf's, a comma
   * before each group of three counted from the right */
  uint64_t p = 1;
  for (int k = 0; k < 20; k++, p *= 10) {
    uint64_t vs[3] = {p - 1, p, p + 1};
    for (int j = 0; j < 3; j++) {
      char plain[32], want[32];
      int n = snprintf(plain, sizeof plain, "%llu", (unsigned long long)vs[j]);
      int o = 0;
      for (int i = 0; i < n; i++) {
        want[o++] = plain[i];
        if (i < n - 1 && (n - 1 - i) % 3 == 0) want[o++] = ',';
      }
      want[o] = 0;
      assert_string_equal(rc_fmt_count(buf, vs[j]), want);
    }
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_cases),
      cmocka_unit_test(test_utf8_exhaustive),
      cmocka_unit_test(test_cursor),
      cmocka_unit_test(test_fmt_count),
  };
  return cmocka_run_group_tests_name("text", tests, NULL, NULL);
}
