/* test_checkpoint.c — the checkpoint text (formats/checkpoint.c,
 * RECORD.md §3):
 *
 *   - the sample's fields; the Kurdistan checkpoint re-encoded byte for
 *     byte;
 *   - the standard checks of texttest.h: the cases of
 *     testvectors/texts/mutations.txt and testvectors/limits/checkpoint.txt
 *     (tree size up to 2^64 - 1, origin length), every prefix, every byte
 *     change, random line edits;
 *   - inputs over the maximum, empty, a NULL err; rc_encode_checkpoint
 *     refusing an origin the parser would refuse. */
#include "texttest.h"

static void test_sample(void **state) {
  (void)state;
  struct rc_error err;
  size_t len;
  uint8_t *b = tt_sample(T_CHECKPOINT, &len);
  struct rc_checkpoint c;
  assert_int_equal(rc_parse_checkpoint(b, len, &c, &err), RC_OK);
  assert_string_equal(c.origin, "test.example/krd-2017-test");
  assert_int_equal(c.size, 3);
  assert_int_equal(c.root[0], 0xc8); /* "yP3J..." */
  assert_int_equal(c.ndistricts, 3); /* (v1.1) districts 3 MeilwM2S... */
  assert_int_equal(c.districts_root[0], 0x31);
  free(b);
  b = tt_note_text(KRD "checkpoint.note", &len);
  assert_int_equal(tt_parse(T_CHECKPOINT, b, len, &err), RC_OK);
  free(b);
}

static void test_standard(void **state) {
  (void)state;
  /* no proper prefix is a checkpoint: the manifest line ends it */
  tt_standard(T_CHECKPOINT, "checkpoint", 0, 4000);
}

static void test_sizes(void **state) {
  (void)state;
  struct rc_error err;
  struct rc_checkpoint c;
  assert_int_equal(rc_parse_checkpoint(NULL, RC_SMALL_TEXT_MAX + 1, &c, &err),
                   RC_ERR_LIMIT);
  assert_int_equal(tt_parse(T_CHECKPOINT, (const uint8_t *)"", 0, &err),
                   RC_ERR_SYNTAX);
  assert_int_equal(rc_parse_checkpoint((const uint8_t *)"\n", 1, &c, NULL),
                   RC_ERR_SYNTAX);
}

static void test_encoder_refuses(void **state) {
  (void)state;
  struct rc_error err;
  struct rc_buf b = {0};
  size_t len;
  uint8_t *t = tt_sample(T_CHECKPOINT, &len);
  struct rc_checkpoint c0, c;
  assert_int_equal(rc_parse_checkpoint(t, len, &c0, &err), RC_OK);
  free(t);
  c = c0, snprintf(c.origin, sizeof c.origin, "a b");
  assert_int_not_equal(rc_encode_checkpoint(&c, &b), RC_OK);
  c = c0, c.origin[0] = 0;
  assert_int_not_equal(rc_encode_checkpoint(&c, &b), RC_OK);
  c = c0, memset(c.origin, 'a', sizeof c.origin);
  assert_int_not_equal(rc_encode_checkpoint(&c, &b), RC_OK);
  assert_int_equal(b.len, 0);
  c = c0, c.size = UINT64_MAX;
  assert_int_equal(rc_encode_checkpoint(&c, &b), RC_OK);
  assert_int_equal(tt_parse(T_CHECKPOINT, b.p, b.len, &err), RC_OK);
  rc_buf_free(&b);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_sample),
      cmocka_unit_test(test_standard),
      cmocka_unit_test(test_sizes),
      cmocka_unit_test(test_encoder_refuses),
  };
  return cmocka_run_group_tests_name("checkpoint", tests, NULL, NULL);
}
