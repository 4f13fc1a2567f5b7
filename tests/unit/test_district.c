/* test_district.c — district records and districts.txt
 * (formats/district.c, RECORD.md §3):
 *
 *   - the standard checks of texttest.h for a single record (district.txt)
 *     and for the file of records (districts.txt, rc_split_districts): the
 *     cases of testvectors/texts/mutations.txt and of
 *     testvectors/limits/district.txt, every prefix, every byte change,
 *     random line edits;
 *   - the Kurdistan districts.txt (51 records) re-encoded byte for byte;
 *   - the framing of districts.txt: records joined by one empty line;
 *   - inputs over the maximum, empty, a NULL err; rc_encode_district
 *     refusing station and sheet counts of 10^15 (v1.1: the sums are
 *     totals, any 64-bit value) and invalid ids. */
#include "texttest.h"

static void test_sample(void **state) {
  (void)state;
  struct rc_error err;
  size_t len;
  uint8_t *b = tt_sample(T_DISTRICT, &len);
  struct rc_district_rec d;
  assert_int_equal(rc_parse_district(b, len, &d, &err), RC_OK);
  assert_string_equal(d.district, "erbil");
  assert_int_equal(d.stations, 2);
  assert_int_equal(d.sheets, 2);
  assert_int_equal(d.registered, 389);
  assert_int_equal(d.nvotes, 2);
  assert_int_equal(d.votes[1].count, 24);
  free(b);
}

static void test_standard(void **state) {
  (void)state;
  /* the valid prefix: cut after the first vote line */
  tt_standard(T_DISTRICT, "district", 1, 4000);
  /* districts.txt: empty, cut after a whole record (twice), and each of the
   * three records cut after its first vote line */
  tt_standard(T_DISTRICTS, NULL, 3 + 3, 4000);
}

static void test_krd(void **state) {
  (void)state;
  struct rc_error err;
  size_t len, *st, *ln, k;
  uint8_t *b = tu_read_file(KRD "districts.txt", &len);
  assert_int_equal(tt_parse(T_DISTRICTS, b, len, &err), RC_OK);
  assert_int_equal(rc_split_districts(b, len, &st, &ln, &k, &err), RC_OK);
  assert_int_equal(k, 51);
  for (size_t i = 0; i < k; i++)
    assert_int_equal(tt_parse(T_DISTRICT, b + st[i], ln[i], &err), RC_OK);
  free(st), free(ln), free(b);
}

static void test_split(void **state) {
  (void)state;
  struct rc_error err;
  size_t *st, *ln, n;
  static const struct {
    const char *text;
    size_t n; /* records, or (size_t)-1 for an error */
    size_t line;
  } cases[] = {
      {"", 0, 0},
      {"a\n", 1, 0},
      {"a\nb\n", 1, 0},
      {"a\n\nb\n", 2, 0},
      {"a\nb\n\nc\n\nd\ne\n", 3, 0},
      {"\n", (size_t)-1, 1},
      {"\n\n", (size_t)-1, 1},
      {"\na\n", (size_t)-1, 1},
      {"a", (size_t)-1, 1},
      {"a\n\nb", (size_t)-1, 3},
      {"a\n\n", (size_t)-1, 2},
      {"a\n\n\n", (size_t)-1, 3},
      {"a\n\n\nb\n", (size_t)-1, 3},
      {"a\nb\n\n\n\nc\n", (size_t)-1, 4},
      {"a\r\n\r\nb\r\n", 1, 0}, /* no empty line: one record (refused later) */
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const char *t = cases[i].text;
    int rc =
        rc_split_districts((const uint8_t *)t, strlen(t), &st, &ln, &n, &err);
    if (cases[i].n == (size_t)-1) {
      if (rc == RC_OK) fail_msg("split '%s': accepted", t);
      assert_int_equal(rc, RC_ERR_SYNTAX);
      if (err.line != cases[i].line)
        fail_msg("split case %zu: line %zu, expected %zu", i, err.line,
                 cases[i].line);
      assert_null(st);
      continue;
    }
    assert_int_equal(rc, RC_OK);
    assert_int_equal(n, cases[i].n);
    size_t sum = 0;
    for (size_t k = 0; k < n; k++) {
      assert_int_equal(((const char *)t)[st[k] + ln[k] - 1], '\n');
      sum += ln[k] + (k ? 1 : 0);
    }
    assert_int_equal(sum, strlen(t));
    free(st);
    free(ln);
  }
}

static void test_sizes(void **state) {
  (void)state;
  struct rc_error err;
  struct rc_district_rec *d = malloc(sizeof *d);
  size_t *st, *ln, n;
  assert_int_equal(rc_parse_district(NULL, RC_SMALL_TEXT_MAX + 1, d, &err),
                   RC_ERR_LIMIT);
  assert_int_equal(
      rc_split_districts(NULL, RC_DISTRICTS_FILE_MAX + 1, &st, &ln, &n, &err),
      RC_ERR_LIMIT);
  assert_int_equal(tt_parse(T_DISTRICT, (const uint8_t *)"", 0, &err),
                   RC_ERR_SYNTAX);
  /* an empty districts.txt holds no record */
  assert_int_equal(tt_parse(T_DISTRICTS, (const uint8_t *)"", 0, &err), RC_OK);
  assert_int_equal(rc_parse_district((const uint8_t *)"", 0, d, NULL),
                   RC_ERR_SYNTAX);
  assert_int_equal(
      rc_split_districts((const uint8_t *)"\n", 1, &st, &ln, &n, NULL),
      RC_ERR_SYNTAX);
  free(d);
}

static void test_encoder_refuses(void **state) {
  (void)state;
  struct rc_error err;
  struct rc_buf b = {0};
  size_t len;
  uint8_t *t = tt_sample(T_DISTRICT, &len);
  struct rc_district_rec d0, d;
  assert_int_equal(rc_parse_district(t, len, &d0, &err), RC_OK);
  free(t);
  /* v1.1: the sums are totals, any 64-bit value; stations and sheets
   * stay counts */
  d = d0, d.stations = RC_COUNT_LIMIT;
  assert_int_equal(rc_encode_district(&d, &b), RC_ERR_LIMIT);
  d = d0, d.sheets = RC_COUNT_LIMIT;
  assert_int_equal(rc_encode_district(&d, &b), RC_ERR_LIMIT);
  assert_int_equal(b.len, 0);
  d = d0, d.registered = UINT64_MAX, d.votes[0].count = UINT64_MAX;
  assert_int_equal(rc_encode_district(&d, &b), RC_OK);
  struct rc_district_rec back;
  assert_int_equal(rc_parse_district(b.p, b.len, &back, &err), RC_OK);
  assert_true(back.registered == UINT64_MAX &&
              back.votes[0].count == UINT64_MAX);
  b.len = 0;
  d = d0, snprintf(d.district, sizeof d.district, "-x");
  assert_int_not_equal(rc_encode_district(&d, &b), RC_OK);
  assert_int_equal(b.len, 0);
  assert_int_equal(rc_encode_district(&d0, &b), RC_OK);
  assert_int_equal(b.len, len);
  rc_buf_free(&b);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_sample), cmocka_unit_test(test_standard),
      cmocka_unit_test(test_krd),    cmocka_unit_test(test_split),
      cmocka_unit_test(test_sizes),  cmocka_unit_test(test_encoder_refuses),
  };
  return cmocka_run_group_tests_name("district", tests, NULL, NULL);
}
