/* test_tlogproof.c — C2SP tlog-proof@v1 files (formats/tlogproof.c): a
 * round trip with and without extra, every truncation refused or (only at
 * the checkpoint's line ends) valid, and the bad lines with their field. */
#include "testutil.h"

#include "b64.h"
#include "tlogproof.h"

static const char CP[] = "example.org/krd\n3\n"
                         "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n"
                         "\xe2\x80\x94 k AAAAAAA=\n";

static void build(struct rc_buf *b, int extra, size_t nhash) {
  static const uint8_t sheet[] = "recount count-sheet v1\n\n";
  struct rc_tlog_proof p = {.index = 5, .plen = nhash};
  p.have_extra = extra;
  p.extra = (uint8_t *)sheet;
  p.extra_len = sizeof sheet - 1;
  for (size_t i = 0; i < nhash; i++) memset(p.proof[i], (int)i, 32);
  p.checkpoint = (const uint8_t *)CP;
  p.checkpoint_len = strlen(CP);
  assert_int_equal(rc_encode_tlog_proof(&p, b), RC_OK);
}

static void test_round_trip(void **state) {
  (void)state;
  for (int extra = 0; extra < 2; extra++)
    for (size_t nh = 0; nh <= RC_PROOF_MAX; nh += 16) {
      struct rc_buf b = {0};
      build(&b, extra, nh);
      struct rc_tlog_proof t;
      struct rc_error err;
      assert_int_equal(rc_parse_tlog_proof(b.p, b.len, &t, &err), RC_OK);
      assert_int_equal(t.have_extra, extra);
      assert_int_equal(t.index, 5);
      assert_int_equal(t.plen, nh);
      assert_int_equal(t.checkpoint_len, strlen(CP));
      struct rc_buf c = {0};
      assert_int_equal(rc_encode_tlog_proof(&t, &c), RC_OK);
      assert_int_equal(c.len, b.len);
      assert_memory_equal(c.p, b.p, b.len);
      rc_buf_free(&c);
      rc_tlog_proof_free(&t);
      /* every truncation: refused, or valid only inside the checkpoint */
      size_t cp_at = b.len - strlen(CP);
      for (size_t n = 0; n < b.len; n++) {
        int rc = rc_parse_tlog_proof(b.p, n, &t, &err);
        if (rc == RC_OK) {
          assert_true(n > cp_at && b.p[n - 1] == '\n');
          rc_tlog_proof_free(&t);
        }
      }
      rc_buf_free(&b);
    }
}

static void bad(const char *text, const char *field, size_t line) {
  struct rc_tlog_proof t;
  struct rc_error err;
  assert_int_not_equal(
      rc_parse_tlog_proof((const uint8_t *)text, strlen(text), &t, &err),
      RC_OK);
  assert_string_equal(err.field, field);
  assert_int_equal(err.line, line);
}

static void test_bad(void **state) {
  (void)state;
  bad("c2sp.org/tlog-proof@v2\nindex 0\n\nx\n", "header", 1);
  bad("c2sp.org/tlog-proof@v1\nindex 01\n\nx\n", "index", 2);
  bad("c2sp.org/tlog-proof@v1\nindex 18446744073709551616\n\nx\n", "index", 2);
  bad("c2sp.org/tlog-proof@v1\nextra AAA\nindex 0\n\nx\n", "extra", 2);
  bad("c2sp.org/tlog-proof@v1\nextra \nindex 0\n\nx\n", "extra", 2);
  bad("c2sp.org/tlog-proof@v1\nindex 0\nAAAA\n\nx\n", "hash", 3);
  bad("c2sp.org/tlog-proof@v1\nextra QQ==\nextra QQ==\nindex 0\n\nx\n", "index",
      3);
  bad("c2sp.org/tlog-proof@v1\nindex 0\n\n", "checkpoint", 4);
  bad("c2sp.org/tlog-proof@v1\nindex 0\n\nx", "checkpoint", 4);
  bad("c2sp.org/tlog-proof@v1\nindex 0\n", "line", 3);
  struct rc_buf b = {0};
  rc_buf_puts(&b, "c2sp.org/tlog-proof@v1\nindex 0\n");
  for (int i = 0; i <= RC_PROOF_MAX; i++)
    rc_buf_puts(&b, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n");
  rc_buf_puts(&b, "\nx\n");
  struct rc_tlog_proof t;
  struct rc_error err;
  assert_int_equal(rc_parse_tlog_proof(b.p, b.len, &t, &err), RC_ERR_LIMIT);
  assert_string_equal(err.field, "hash");
  rc_buf_free(&b);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_round_trip),
      cmocka_unit_test(test_bad),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
