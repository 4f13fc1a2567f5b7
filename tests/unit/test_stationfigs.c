/* test_stationfigs.c — the per-station figures kept for the CSV and HTML
 * reports (engine/completeness.c) are packed in the fewest bytes that
 * hold every value kept so far, and widened in place when a larger value
 * comes, column by column: every value read back must be the one stored,
 * across each widening (1 -> 2 -> 4 -> 8 bytes, of all columns or of one),
 * and a station never stored reads as not known. */
#include "testutil.h"

#include "engine.h"

#define NST 5
#define NCH 3

struct fixture {
  struct rc_record_report rep;
  struct rc_record_opts o;
  struct engine eng;
};

static void setup_fixture(struct fixture *f) {
  memset(f, 0, sizeof *f);
  f->rep.manifest.nstations = NST;
  f->rep.manifest.nchoices = NCH;
  f->o.keep_station_figures = 1;
  f->eng.o = &f->o;
  f->eng.rep = &f->rep;
  f->eng.m = &f->rep.manifest;
}

static struct counts figs(uint64_t base) {
  struct counts c = {base, base + 1, base + 2, base + 3, base + 4, {0}};
  for (size_t k = 0; k < NCH; k++) c.votes[k] = base + 5 + k;
  return c;
}

static void expect(const struct fixture *f, size_t i, uint64_t base) {
  uint64_t v[5 + RC_MAX_CHOICES];
  assert_int_equal(rc_station_figures(&f->rep, i, v), 1);
  for (size_t k = 0; k < 5 + NCH; k++) assert_true(v[k] == base + k);
}

static void test_widening(void **state) {
  (void)state;
  struct fixture f;
  setup_fixture(&f);
  uint64_t v[5 + RC_MAX_CHOICES];
  assert_int_equal(rc_station_figures(&f.rep, 0, v), 0); /* none kept */
  struct counts c = figs(7);
  keep_counted_figures(&f.eng, 0, &c);
  assert_int_equal(f.rep.station_figs_stride, 5 + NCH);
  expect(&f, 0, 7);
  c = figs(300);
  keep_counted_figures(&f.eng, 1, &c);
  assert_int_equal(f.rep.station_figs_stride, 2 * (5 + NCH));
  c = figs(70000);
  keep_counted_figures(&f.eng, 4, &c);
  assert_int_equal(f.rep.station_figs_stride, 4 * (5 + NCH));
  expect(&f, 0, 7);
  expect(&f, 1, 300);
  expect(&f, 4, 70000);
  c = figs((uint64_t)1 << 40);
  keep_counted_figures(&f.eng, 2, &c);
  assert_int_equal(f.rep.station_figs_stride, 8 * (5 + NCH));
  expect(&f, 0, 7);
  expect(&f, 1, 300);
  expect(&f, 2, (uint64_t)1 << 40);
  expect(&f, 4, 70000);
  assert_int_equal(rc_station_figures(&f.rep, 3, v), 0); /* never stored */
  /* the last figures stored for a station are its figures */
  c = figs(UINT64_MAX - 5 - NCH);
  keep_counted_figures(&f.eng, 0, &c);
  expect(&f, 0, UINT64_MAX - 5 - NCH);
  expect(&f, 1, 300);
  assert_int_equal(f.eng.found.oom, 0);
  free(f.rep.station_figs);
  free(f.rep.station_figs_known);
}

/* Small figures stay at one byte per value: a station's worth of them
 * is 5 + choices bytes. */
static void test_narrow(void **state) {
  (void)state;
  struct fixture f;
  setup_fixture(&f);
  for (size_t i = 0; i < NST; i++) {
    struct counts c = figs(i * 10);
    keep_counted_figures(&f.eng, (long)i, &c);
  }
  assert_int_equal(f.rep.station_figs_stride, 5 + NCH);
  for (size_t i = 0; i < NST; i++) expect(&f, i, i * 10);
  free(f.rep.station_figs);
  free(f.rep.station_figs_known);
}

/* One column widens alone: the others keep their width, and every value
 * of every station survives the move. */
static void test_one_column(void **state) {
  (void)state;
  struct fixture f;
  setup_fixture(&f);
  for (size_t i = 0; i < NST; i++) {
    struct counts c = figs(i);
    keep_counted_figures(&f.eng, (long)i, &c);
  }
  struct counts c = figs(3);
  c.votes[1] = 1000000; /* column 5 + 1 */
  keep_counted_figures(&f.eng, 3, &c);
  assert_int_equal(f.rep.station_figs_width[6], 4);
  assert_int_equal(f.rep.station_figs_width[5], 1);
  assert_int_equal(f.rep.station_figs_width[7], 1);
  assert_int_equal(f.rep.station_figs_stride, 5 + NCH + 3);
  uint64_t v[5 + RC_MAX_CHOICES];
  for (size_t i = 0; i < NST; i++) {
    if (i == 3) continue;
    expect(&f, i, i);
  }
  assert_int_equal(rc_station_figures(&f.rep, 3, v), 1);
  assert_true(v[6] == 1000000 && v[5] == 8 && v[7] == 10 && v[0] == 3);
  free(f.rep.station_figs);
  free(f.rep.station_figs_known);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_widening),
      cmocka_unit_test(test_narrow),
      cmocka_unit_test(test_one_column),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
