/* test_args.c — cli/args.c: --opt=value split into two arguments (only
 * long options, only before "--", at the first '='), argv[0] untouched,
 * nothing copied when there is nothing to split; --version. */
#include "testutil.h"

#include "args.h"

/* Runs rc_args_split on a writable copy of in[0..n) and compares the
 * result with want (NULL-terminated). */
static void split_is(const char *const *in, int n, const char *const *want) {
  char buf[16][32];
  char *v[17];
  for (int i = 0; i < n; i++) {
    snprintf(buf[i], sizeof buf[i], "%s", in[i]);
    v[i] = buf[i];
  }
  v[n] = NULL;
  int argc = n;
  char **argv = v;
  assert_int_equal(rc_args_split(&argc, &argv), 0);
  int k = 0;
  for (; want[k]; k++) {
    assert_true(k < argc);
    assert_string_equal(argv[k], want[k]);
  }
  assert_int_equal(argc, k);
  assert_null(argv[argc]);
}

static void test_split(void **state) {
  (void)state;
  split_is((const char *[]){"p", "record", "--anchor=a.vkey", "R"}, 4,
           (const char *[]){"p", "record", "--anchor", "a.vkey", "R", NULL});
  /* the value keeps its own '=' (a choice "yes=3") */
  split_is((const char *[]){"p", "--vote=yes=3", "--vote", "no=4"}, 4,
           (const char *[]){"p", "--vote", "yes=3", "--vote", "no=4", NULL});
  /* an empty value stays an (empty) argument */
  split_is((const char *[]){"p", "--out=", "x"}, 3,
           (const char *[]){"p", "--out", "", "x", NULL});
  /* short options, plain arguments and everything after "--" untouched */
  split_is((const char *[]){"p", "-a=b", "c=d", "--", "--x=y"}, 5,
           (const char *[]){"p", "-a=b", "c=d", "--", "--x=y", NULL});
  /* nothing to split: argv is not replaced */
  split_is((const char *[]){"p", "--json", "R"}, 3,
           (const char *[]){"p", "--json", "R", NULL});
}

static void test_version(void **state) {
  (void)state;
  char a0[] = "p", a1[] = "--version", a2[] = "-V", a3[] = "--versions";
  char *v1[] = {a0, a1, NULL}, *v2[] = {a0, a2, NULL}, *v3[] = {a0, a3, NULL};
  assert_int_equal(rc_args_version(2, v1, "p"), 1);
  assert_int_equal(rc_args_version(2, v2, "p"), 1);
  assert_int_equal(rc_args_version(2, v3, "p"), 0);
  assert_int_equal(rc_args_version(1, v1, "p"), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_split),
      cmocka_unit_test(test_version),
  };
  return cmocka_run_group_tests_name("args", tests, NULL, NULL);
}
