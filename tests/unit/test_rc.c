/* test_rc.c — error values and the growable buffer (formats/rc.c): every
 * error code has its own name, rc_fail fills and truncates safely and
 * works without an err, rc_error_prefix keeps the message NUL-terminated,
 * the buffer appends exactly (rc_buf_put_u64 at 0 and 2^64-1) and is inert
 * once an allocation failed, rc_add_u64 refuses a 64-bit overflow. */
#include "testutil.h"

static void test_err_names(void **state) {
  (void)state;
  for (int a = 0; a < RC_ERR__COUNT; a++) {
    const char *na = rc_err_str((enum rc_err)a);
    assert_non_null(na);
    assert_string_not_equal(na, "unknown");
    for (int b = 0; b < a; b++)
      assert_string_not_equal(na, rc_err_str((enum rc_err)b));
  }
  assert_string_equal(rc_err_str(RC_OK), "ok");
  assert_string_equal(rc_err_str(RC_ERR__COUNT), "unknown");
  assert_string_equal(rc_err_str((enum rc_err) - 1), "unknown");
}

static void test_fail(void **state) {
  (void)state;
  struct rc_error err;
  assert_int_equal(rc_fail(&err, RC_ERR_LIMIT, 7, "ballots", "%d > %d", 3, 2),
                   RC_ERR_LIMIT);
  assert_int_equal(err.code, RC_ERR_LIMIT);
  assert_int_equal(err.line, 7);
  assert_string_equal(err.field, "ballots");
  assert_string_equal(err.msg, "3 > 2");
  /* no err: only the code comes back */
  assert_int_equal(rc_fail(NULL, RC_ERR_SYNTAX, 1, "x", "y"), RC_ERR_SYNTAX);
  /* a NULL field is an empty one */
  assert_int_equal(rc_fail(&err, RC_ERR_IO, 0, NULL, "z"), RC_ERR_IO);
  assert_string_equal(err.field, "");
  /* long field and message are cut, NUL-terminated */
  char longs[600];
  memset(longs, 'f', sizeof longs - 1);
  longs[sizeof longs - 1] = 0;
  rc_fail(&err, RC_ERR_KEY, 0, longs, "%s", longs);
  assert_int_equal(strlen(err.field), sizeof err.field - 1);
  assert_int_equal(strlen(err.msg), sizeof err.msg - 1);
  /* prefix */
  rc_fail(&err, RC_ERR_SYNTAX, 3, "vote", "bad");
  rc_error_prefix(&err, "sheets/erbil.txt");
  assert_string_equal(err.msg, "sheets/erbil.txt: bad");
  assert_int_equal(err.line, 3);
  rc_fail(&err, RC_ERR_SYNTAX, 3, "vote", "%s", longs);
  rc_error_prefix(&err, "p");
  assert_int_equal(strlen(err.msg), sizeof err.msg - 1);
  assert_memory_equal(err.msg, "p: fff", 6);
  rc_error_prefix(NULL, "p"); /* no err: nothing to do */
  rc_error_clear(&err);
  assert_int_equal(err.code, RC_OK);
  assert_string_equal(err.msg, "");
}

static void test_buf(void **state) {
  (void)state;
  struct rc_buf b = {0};
  rc_buf_puts(&b, "ab");
  rc_buf_putc(&b, ' ');
  rc_buf_put_u64(&b, 0);
  rc_buf_putc(&b, ' ');
  rc_buf_put_u64(&b, UINT64_MAX);
  rc_buf_printf(&b, " %s%d", "x", 42);
  rc_buf_put(&b, NULL, 0);
  assert_false(b.oom);
  const char *want = "ab 0 18446744073709551615 x42";
  assert_int_equal(b.len, strlen(want));
  assert_memory_equal(b.p, want, b.len);
  /* growth across many doublings keeps every byte */
  for (int i = 0; i < 100000; i++) rc_buf_putc(&b, (char)('a' + i % 26));
  assert_int_equal(b.len, strlen(want) + 100000);
  assert_int_equal(b.p[b.len - 1], 'a' + 99999 % 26);
  /* once an allocation failed, appends do nothing */
  b.oom = 1;
  size_t len = b.len;
  rc_buf_puts(&b, "more");
  rc_buf_printf(&b, "%d", 1);
  rc_buf_put_u64(&b, 7);
  assert_int_equal(b.len, len);
  rc_buf_free(&b);
  assert_null(b.p);
  assert_int_equal(b.len, 0);
  assert_int_equal(b.oom, 0);
}

static void test_add(void **state) {
  (void)state;
  uint64_t acc = UINT64_MAX - 1;
  assert_int_equal(rc_add_u64(&acc, 1), 0);
  assert_true(acc == UINT64_MAX);
  assert_int_equal(rc_add_u64(&acc, 1), -1);
  acc = 0;
  assert_int_equal(rc_add_u64(&acc, UINT64_MAX), 0);
  assert_true(acc == UINT64_MAX);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_err_names),
      cmocka_unit_test(test_fail),
      cmocka_unit_test(test_buf),
      cmocka_unit_test(test_add),
  };
  return cmocka_run_group_tests_name("rc", tests, NULL, NULL);
}
