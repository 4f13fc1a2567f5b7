/* test_publish.c — the published figures text recomputed from a checked
 * record (sign/publish.c, rc_publish_text): every figure line in the
 * contract's order, percents rounded half up at the chosen decimals, 0/0
 * written as zero, district groups in manifest order, and the refusals
 * (decimals out of range, overflowed or changed totals). The manifest is
 * testvectors/csv/manifest.txt (choices yes, no; districts centre, north,
 * south). */
#include "publish.h"
#include "testutil.h"
#include "texts.h"

static struct rc_record_report rep;

static int setup(void **state) {
  (void)state;
  size_t len;
  uint8_t *m = tu_read_file("testvectors/csv/manifest.txt", &len);
  memset(&rep, 0, sizeof rep);
  int rc = rc_parse_manifest(m, len, &rep.manifest, NULL);
  free(m);
  if (rc != RC_OK) return -1;
  rep.have_manifest = 1;
  rep.districts = calloc(rep.manifest.ndistricts, sizeof *rep.districts);
  return rep.districts ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  rc_manifest_free(&rep.manifest);
  free(rep.districts);
  return 0;
}

static void set(struct rc_totals *t, uint64_t reg, uint64_t ballots,
                uint64_t yes, uint64_t no) {
  memset(t, 0, sizeof *t);
  t->registered = reg;
  t->ballots = ballots;
  t->votes[0] = yes;
  t->votes[1] = no;
  t->valid = yes + no;
  t->invalid = ballots - yes - no;
}

static char *publish(unsigned decimals, int districts, int want) {
  struct rc_buf b = {0};
  struct rc_error err;
  int rc = rc_publish_text(&rep, decimals, districts, &b, &err);
  assert_int_equal(rc, want);
  rc_buf_putc(&b, 0);
  assert_false(b.oom);
  return (char *)b.p;
}

static void test_national(void **state) {
  (void)state;
  /* yes 1/8 = 12.5 % exactly: half up gives 13 at 0 decimals; turnout
   * 2/3 = 66.666... */
  set(&rep.totals, 12, 8, 1, 7);
  char *t = publish(0, 0, RC_OK);
  assert_string_equal(t, "recount published v1\nelection test-2026\n"
                         "registered 12\nballots 8\ninvalid 0\nblank 0\n"
                         "excluded 0\nvalid 8\nvote yes 1\nvote no 7\n"
                         "share yes 13\nshare no 88\nturnout 67\n");
  free(t);
  t = publish(2, 0, RC_OK);
  assert_non_null(strstr(t, "share yes 12.50\nshare no 87.50\n"
                            "turnout 66.67\n"));
  free(t);
  t = publish(4, 0, RC_OK);
  assert_non_null(strstr(t, "turnout 66.6667\n"));
  free(t);
}

static void test_districts(void **state) {
  (void)state;
  set(&rep.totals, 1250, 1000, 550, 433);
  rep.totals.invalid = 17;
  set(&rep.districts[0].totals, 0, 0, 0, 0); /* centre: nobody voted */
  set(&rep.districts[1].totals, 1250, 1000, 550, 433);
  rep.districts[1].totals.invalid = 17;
  set(&rep.districts[2].totals, 0, 0, 0, 0);
  char *t = publish(2, 1, RC_OK);
  /* 0/0 is written as zero at the chosen decimals (RECORD.md v1.1) */
  assert_non_null(strstr(t, "district centre valid 0\n"
                            "district centre vote yes 0\n"
                            "district centre vote no 0\n"
                            "district centre share yes 0.00\n"
                            "district centre share no 0.00\n"
                            "district centre turnout 0.00\n"
                            "district north registered 1250\n"));
  assert_non_null(strstr(t, "district north share yes 55.95\n"
                            "district north share no 44.05\n"
                            "district north turnout 80.00\n"
                            "district south registered 0\n"));
  /* whole-election figures first, districts in manifest order */
  assert_true(strstr(t, "turnout 80.00\ndistrict centre registered 0\n") !=
              NULL);
  free(t);
}

static void test_refusals(void **state) {
  (void)state;
  set(&rep.totals, 10, 5, 2, 3);
  free(publish(5, 0, RC_ERR_USAGE));
  rep.totals.overflow = 1;
  free(publish(2, 0, RC_ERR_OVERFLOW));
  rep.totals.overflow = 0;
  rep.totals.changed = 1;
  free(publish(2, 0, RC_ERR_OVERFLOW));
  rep.totals.changed = 0;
  /* a district's totals are checked too, only with districts */
  rep.districts[1].totals.overflow = 1;
  free(publish(2, 0, RC_OK));
  free(publish(2, 1, RC_ERR_OVERFLOW));
  rep.districts[1].totals.overflow = 0;
  /* nothing is appended on failure */
  struct rc_buf b = {0};
  struct rc_error err;
  rc_buf_puts(&b, "keep");
  rep.totals.overflow = 1;
  assert_int_equal(rc_publish_text(&rep, 2, 0, &b, &err), RC_ERR_OVERFLOW);
  assert_int_equal(b.len, 4);
  rep.totals.overflow = 0;
  rc_buf_free(&b);
  rep.have_manifest = 0;
  free(publish(2, 0, RC_ERR_USAGE));
  rep.have_manifest = 1;
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_national),
      cmocka_unit_test(test_districts),
      cmocka_unit_test(test_refusals),
  };
  return cmocka_run_group_tests_name("publish", tests, setup, teardown);
}
