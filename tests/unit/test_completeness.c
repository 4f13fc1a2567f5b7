/* test_completeness.c — the outcome bound of RECORD.md v1.1 §6: the
 * leader has the most counted votes (ties broken by ballot order), and
 * the counted evidence does not determine the outcome when R > 0 and some
 * other choice c has votes(c) + R >= votes(leader). */
#include "testutil.h"

#include "record.h"

static struct rc_completeness bound(uint64_t r, const uint64_t *v, size_t n) {
  struct rc_completeness c = {.registered_uncounted = r};
  rc_outcome_bound(&c, v, n);
  return c;
}

static void test_leader_and_margin(void **state) {
  (void)state;
  const uint64_t v[] = {100, 310, 90};
  struct rc_completeness c = bound(0, v, 3);
  assert_int_equal(c.leader, 1);
  assert_int_equal(c.runner_up, 0);
  assert_int_equal(c.margin, 210);
  assert_false(c.outcome_can_change);
}

/* votes(c) + R >= votes(L): equality already means it can change */
static void test_bound_edges(void **state) {
  (void)state;
  const uint64_t v[] = {100, 310, 90};
  assert_false(bound(209, v, 3).outcome_can_change);
  assert_true(bound(210, v, 3).outcome_can_change);
  assert_true(bound(300, v, 3).outcome_can_change);
}

/* a tie goes to the first choice in ballot order; with nothing left out a
 * tie is still determined (R = 0), with one voter left out it is not */
static void test_ties(void **state) {
  (void)state;
  const uint64_t v[] = {50, 70, 70};
  struct rc_completeness c = bound(0, v, 3);
  assert_int_equal(c.leader, 1);
  assert_int_equal(c.runner_up, 2);
  assert_int_equal(c.margin, 0);
  assert_false(c.outcome_can_change);
  assert_true(bound(1, v, 3).outcome_can_change);
  const uint64_t z[] = {0, 0};
  c = bound(5, z, 2);
  assert_int_equal(c.leader, 0);
  assert_true(c.outcome_can_change);
}

/* one choice: nobody else can lead, whatever R */
static void test_one_choice(void **state) {
  (void)state;
  const uint64_t v[] = {7};
  struct rc_completeness c = bound(1000, v, 1);
  assert_int_equal(c.leader, 0);
  assert_int_equal(c.runner_up, -1);
  assert_int_equal(c.margin, 7);
  assert_false(c.outcome_can_change);
}

/* saturated sums stay comparable: no wrap makes a huge margin small */
static void test_large(void **state) {
  (void)state;
  const uint64_t v[] = {UINT64_MAX, 1};
  assert_false(bound(UINT64_MAX - 2, v, 2).outcome_can_change);
  assert_true(bound(UINT64_MAX - 1, v, 2).outcome_can_change);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_leader_and_margin),
      cmocka_unit_test(test_bound_edges),
      cmocka_unit_test(test_ties),
      cmocka_unit_test(test_one_choice),
      cmocka_unit_test(test_large),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
