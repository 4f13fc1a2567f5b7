/* test_published.c — published figures (formats/published.c, RECORD.md
 * §3):
 *
 *   - the sample's figures, reconciled with the manifest sample; the
 *     Kurdistan published figures re-encoded and checked against its
 *     manifest;
 *   - the standard checks of texttest.h: the cases of
 *     testvectors/texts/mutations.txt and testvectors/limits/published.txt,
 *     every prefix, every byte change, random line edits;
 *   - 64 vote lines in one group accepted, 65 refused; inputs over the
 *     maximum, empty, a NULL err;
 *   - percents: half-up rounding, precision, ends, encoding with leading
 *     zeros; rc_published_check_manifest; rc_encode_published refusing
 *     structs no valid text has. */
#include "texttest.h"

/* the published sample with from replaced by to (C strings) */
static uint8_t *edit_published(const char *from, const char *to, size_t *len) {
  size_t bl;
  uint8_t *b = tt_sample(T_PUBLISHED, &bl);
  uint8_t *out = tu_replace(b, bl, from, strlen(from), to, strlen(to), len);
  if (!out) fail_msg("anchor '%s' not found", from);
  free(b);
  return out;
}

static void test_sample(void **state) {
  (void)state;
  struct rc_error err;
  size_t len;
  uint8_t *b = tt_sample(T_MANIFEST, &len);
  struct rc_manifest m;
  assert_int_equal(rc_parse_manifest(b, len, &m, &err), RC_OK);
  free(b);
  b = tt_sample(T_PUBLISHED, &len);
  struct rc_published p;
  assert_int_equal(rc_parse_published(b, len, &p, &err), RC_OK);
  assert_int_equal(p.nfigs, 19);
  assert_int_equal(rc_published_check_manifest(&p, &m, &err), RC_OK);
  assert_int_equal(p.figs[12].line, 15);
  assert_string_equal(p.figs[12].district, "duhok");
  assert_int_equal(p.figs[12].kind, RC_FIG_TURNOUT);
  assert_int_equal(p.figs[12].pct.units, 850);
  assert_int_equal(p.figs[12].pct.decimals, 1);
  assert_true(rc_percent_matches(&p.figs[12].pct, 350, 412));
  assert_true(rc_percent_matches(&p.figs[17].pct, 270, 294)); /* 91.8367 */
  rc_published_free(&p);
  free(b);
  rc_manifest_free(&m);
  /* the Kurdistan record */
  uint8_t *t = tt_note_text(KRD "manifest.note", &len);
  assert_int_equal(rc_parse_manifest(t, len, &m, &err), RC_OK);
  free(t);
  t = tt_note_text(KRD "published.note", &len);
  assert_int_equal(tt_parse(T_PUBLISHED, t, len, &err), RC_OK);
  assert_int_equal(rc_parse_published(t, len, &p, &err), RC_OK);
  assert_int_equal(rc_published_check_manifest(&p, &m, &err), RC_OK);
  rc_published_free(&p);
  free(t);
  rc_manifest_free(&m);
}

static void test_standard(void **state) {
  (void)state;
  /* valid prefixes: cut after each figure line but the last */
  tt_standard(T_PUBLISHED, "published", 18, 4000);
}

/* 64 vote lines in one group accepted, 65 refused. */
static void test_max_votes(void **state) {
  (void)state;
  for (int n = RC_MAX_CHOICES; n <= RC_MAX_CHOICES + 1; n++) {
    struct rc_buf t = {0};
    struct rc_error err;
    rc_buf_puts(&t, "recount published v1\nelection e\n");
    for (int i = 0; i < n; i++) rc_buf_printf(&t, "vote c%02d 0\n", i);
    int rc = tt_parse(T_PUBLISHED, t.p, t.len, &err);
    if (n == RC_MAX_CHOICES) {
      assert_int_equal(rc, RC_OK);
    } else {
      assert_int_equal(rc, RC_ERR_LIMIT);
      assert_int_equal(err.line, 3 + RC_MAX_CHOICES);
    }
    rc_buf_free(&t);
  }
}

static void test_sizes(void **state) {
  (void)state;
  struct rc_error err;
  struct rc_published p;
  assert_int_equal(rc_parse_published(NULL, RC_SMALL_TEXT_MAX + 1, &p, &err),
                   RC_ERR_LIMIT);
  assert_null(p.figs);
  assert_int_equal(tt_parse(T_PUBLISHED, (const uint8_t *)"", 0, &err),
                   RC_ERR_SYNTAX);
  assert_int_equal(rc_parse_published((const uint8_t *)"x\n", 2, &p, NULL),
                   RC_ERR_SYNTAX);
}

static void test_percent(void **state) {
  (void)state;
  struct rc_percent p;
  size_t cases = 0;
  /* the Kurdistan figures: 72.16 % turnout, 92.73 / 7.27 % */
  assert_int_equal(rc_percent_from_ratio(3305925, 4581255, 2, &p), 0);
  assert_int_equal(p.units, 7216);
  assert_int_equal(p.decimals, 2);
  assert_true(rc_percent_matches(&p, 3305925, 4581255));
  assert_int_equal(rc_percent_from_ratio(2861471, 3085935, 2, &p), 0);
  assert_int_equal(p.units, 9273);
  assert_int_equal(rc_percent_from_ratio(224464, 3085935, 2, &p), 0);
  assert_int_equal(p.units, 727);
  cases += 3;
  /* half up at the exact half: 92.725 % -> 92.73, 12.5 % -> 13, and
   * just below the half rounds down */
  assert_int_equal(rc_percent_from_ratio(3709, 4000, 2, &p), 0); /* 92.725 */
  assert_int_equal(p.units, 9273);
  struct rc_percent q = {9272, 2, 0};
  assert_false(rc_percent_matches(&q, 3709, 4000));
  q.units = 9273;
  assert_true(rc_percent_matches(&q, 3709, 4000));
  assert_int_equal(rc_percent_from_ratio(1, 8, 0, &p), 0); /* 12.5 */
  assert_int_equal(p.units, 13);
  assert_int_equal(rc_percent_from_ratio(1, 8, 1, &p), 0);
  assert_int_equal(p.units, 125);
  assert_int_equal(rc_percent_from_ratio(92724999, 100000000, 2, &p), 0);
  assert_int_equal(p.units, 9272);
  /* 2/3 = 66.666..% at every precision */
  static const uint32_t twothirds[5] = {67, 667, 6667, 66667, 666667};
  for (uint8_t d = 0; d <= 4; d++) {
    assert_int_equal(rc_percent_from_ratio(2, 3, d, &p), 0);
    assert_int_equal(p.units, twothirds[d]);
    assert_true(rc_percent_matches(&p, 2, 3));
    p.units++;
    assert_false(rc_percent_matches(&p, 2, 3));
  }
  cases += 11;
  /* ends: 0 %, 100 %, over 100 %, 999.9999 % and beyond, den 0, 64 bits */
  assert_int_equal(rc_percent_from_ratio(0, 5, 4, &p), 0);
  assert_int_equal(p.units, 0);
  assert_int_equal(rc_percent_from_ratio(7, 7, 0, &p), 0);
  assert_int_equal(p.units, 100);
  assert_int_equal(rc_percent_from_ratio(11, 10, 1, &p), 0);
  assert_int_equal(p.units, 1100);
  assert_int_equal(rc_percent_from_ratio(99999994, 10000000, 4, &p), 0);
  assert_int_equal(p.units, 9999999);
  assert_int_equal(rc_percent_from_ratio(99999995, 10000000, 4, &p), -1);
  assert_int_equal(rc_percent_from_ratio(10, 1, 0, &p), -1);
  /* v1.1 (RECORD.md §3): of a denominator 0 the percent is 0, and only a
   * zero percent (0, 0.0, 0.00...) reconciles */
  assert_int_equal(rc_percent_from_ratio(1, 0, 2, &p), 0);
  assert_true(p.units == 0 && p.decimals == 2);
  assert_int_equal(rc_percent_from_ratio(0, 0, 2, &p), 0);
  assert_true(p.units == 0 && p.decimals == 2);
  assert_int_equal(rc_percent_from_ratio(0, 0, 5, &p), -1);
  assert_int_equal(rc_percent_from_ratio(1, 2, 5, &p), -1);
  q = (struct rc_percent){0, 0, 0};
  assert_true(rc_percent_matches(&q, 0, 0));
  assert_true(rc_percent_matches(&q, 5, 0));
  q = (struct rc_percent){0, 2, 0};
  assert_true(rc_percent_matches(&q, 0, 0));
  q = (struct rc_percent){1, 2, 0}; /* 0.01 */
  assert_false(rc_percent_matches(&q, 0, 0));
  q = (struct rc_percent){0, 0, 0};
  assert_true(rc_percent_matches(&q, 0, UINT64_MAX));
  assert_int_equal(rc_percent_from_ratio(UINT64_MAX, UINT64_MAX, 4, &p), 0);
  assert_int_equal(p.units, 1000000);
  assert_int_equal(rc_percent_from_ratio(UINT64_MAX / 3, UINT64_MAX, 4, &p), 0);
  assert_int_equal(p.units, 333333);
  assert_int_equal(rc_percent_from_ratio(1, UINT64_MAX, 4, &p), 0);
  assert_int_equal(p.units, 0);
  cases += 14;
  /* encoding, including the leading zeros RECORD.md's pattern allows */
  static const struct {
    const char *text;
    uint32_t units;
    uint8_t dec;
  } enc[] = {{"72.16", 7216, 2},
             {"7.27", 727, 2},
             {"007.27", 727, 2},
             {"0", 0, 0},
             {"000", 0, 0},
             {"100", 100, 0},
             {"999.9999", 9999999, 4},
             {"0.0001", 1, 4},
             {"05.0", 50, 1},
             {"85.0", 850, 1}};
  for (size_t i = 0; i < sizeof enc / sizeof enc[0]; i++) {
    char doc[128];
    snprintf(doc, sizeof doc, "recount published v1\nelection e\nturnout %s\n",
             enc[i].text);
    struct rc_published pub;
    struct rc_error err;
    assert_int_equal(
        tt_parse(T_PUBLISHED, (const uint8_t *)doc, strlen(doc), &err), RC_OK);
    assert_int_equal(
        rc_parse_published((const uint8_t *)doc, strlen(doc), &pub, &err),
        RC_OK);
    assert_int_equal(pub.figs[0].pct.units, enc[i].units);
    assert_int_equal(pub.figs[0].pct.decimals, enc[i].dec);
    rc_published_free(&pub);
    cases++;
  }
  struct rc_buf b = {0};
  rc_percent_from_ratio(224464, 3085935, 2, &p);
  rc_percent_encode(&p, &b);
  assert_int_equal(b.len, 4);
  assert_memory_equal(b.p, "7.27", 4);
  rc_buf_free(&b);
  /* a leading-zero percent reconciles by its value */
  q = (struct rc_percent){727, 2, 3};
  assert_true(rc_percent_matches(&q, 224464, 3085935));
  rc_percent_encode(&q, &b);
  assert_int_equal(b.len, 6);
  assert_memory_equal(b.p, "007.27", 6);
  rc_buf_free(&b);
  cases += 2;
  printf("percent: %zu cases (half-up rounding, precision, ends, encoding)\n",
         cases);
}

static void test_published_manifest(void **state) {
  (void)state;
  struct rc_error err;
  size_t len;
  uint8_t *mb = tt_sample(T_MANIFEST, &len);
  struct rc_manifest m;
  assert_int_equal(rc_parse_manifest(mb, len, &m, &err), RC_OK);
  free(mb);
  static const struct {
    const char *what, *from, *to;
    int code;
    size_t line;
  } cases[] = {
      {"as is", "x", "x", RC_OK, 0},
      {"votes against the ballot order", "vote yes 600\nvote no 37\n",
       "vote no 37\nvote yes 600\n", RC_ERR_ORDER, 10},
      {"shares against the ballot order", "share yes 94.19\nshare no 5.81\n",
       "share no 5.81\nshare yes 94.19\n", RC_ERR_ORDER, 12},
      {"district votes against the ballot order",
       "district erbil vote yes 270\ndistrict erbil vote no 24\n",
       "district erbil vote no 24\ndistrict erbil vote yes 270\n", RC_ERR_ORDER,
       19},
      {"one choice only", "vote yes 600\n", "", RC_OK, 0},
      {"unknown choice", "vote no 37", "vote maybe 37", RC_ERR_SYNTAX, 10},
      {"unknown district", "district duhok ballots 350\ndistrict duhok",
       "district dohuk ballots 350\ndistrict dohuk", RC_ERR_SYNTAX, 14},
      {"other election", "election krd-2017-test", "election krd-2017",
       RC_ERR_SYNTAX, 2},
      {"unknown choice in a share", "share no", "share maybe", RC_ERR_SYNTAX,
       12},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    size_t tl = 0;
    uint8_t *t = edit_published(cases[i].from, cases[i].to, &tl);
    struct rc_published p;
    assert_int_equal(rc_parse_published(t, tl, &p, &err), RC_OK);
    int rc = rc_published_check_manifest(&p, &m, &err);
    if (rc != cases[i].code || (rc && err.line != cases[i].line))
      fail_msg("'%s': %s line %zu (%s)", cases[i].what,
               rc_err_str((enum rc_err)rc), err.line, err.msg);
    rc_published_free(&p);
    free(t);
  }
  rc_manifest_free(&m);
  printf("published vs manifest: %zu cases\n", sizeof cases / sizeof cases[0]);
}

/* rc_encode_published refuses a struct no valid text has. */
static void test_encoder_refuses(void **state) {
  (void)state;
  struct rc_error err;
  struct rc_buf b = {0};
  size_t len;
  uint8_t *t = tt_sample(T_PUBLISHED, &len);
  struct rc_published p;
  assert_int_equal(rc_parse_published(t, len, &p, &err), RC_OK);
  free(t);
  struct rc_figure f0 = p.figs[1];
  p.figs[1] = p.figs[0]; /* registered twice */
  assert_int_not_equal(rc_encode_published(&p, &b), RC_OK);
  p.figs[1] = f0;
  p.figs[10].pct.decimals = 5;
  assert_int_not_equal(rc_encode_published(&p, &b), RC_OK);
  p.figs[10].pct.decimals = 2;
  p.figs[10].pct.units = 100000;
  assert_int_not_equal(rc_encode_published(&p, &b), RC_OK);
  p.figs[10].pct.units = 8127;
  /* v1.1: a figure is a total, any 64-bit value, and round-trips */
  p.figs[0].count = UINT64_MAX;
  assert_int_equal(rc_encode_published(&p, &b), RC_OK);
  struct rc_published back;
  assert_int_equal(rc_parse_published(b.p, b.len, &back, &err), RC_OK);
  assert_true(back.figs[0].count == UINT64_MAX);
  rc_published_free(&back);
  b.len = 0;
  p.figs[0].count = 801;
  p.figs[0].kind = RC_FIG__COUNT;
  assert_int_not_equal(rc_encode_published(&p, &b), RC_OK);
  p.figs[0].kind = RC_FIG_REGISTERED;
  assert_int_equal(b.len, 0);
  assert_int_equal(rc_encode_published(&p, &b), RC_OK);
  assert_int_equal(b.len, len);
  rc_buf_free(&b);
  rc_published_free(&p);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_sample),
      cmocka_unit_test(test_standard),
      cmocka_unit_test(test_max_votes),
      cmocka_unit_test(test_sizes),
      cmocka_unit_test(test_percent),
      cmocka_unit_test(test_published_manifest),
      cmocka_unit_test(test_encoder_refuses),
  };
  return cmocka_run_group_tests_name("published", tests, NULL, NULL);
}
