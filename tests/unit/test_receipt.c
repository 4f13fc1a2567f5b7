/* test_receipt.c — receipts (formats/receipt.c, receipt.h):
 *
 *   - the sample testvectors/texts/receipt.txt: its fields, and sections
 *     that point into the input;
 *   - the standard checks of texttest.h: the receipt cases of
 *     testvectors/texts/mutations.txt (each naming the line and field that
 *     fails) and testvectors/limits/receipt.txt, every prefix, every byte
 *     change, random line edits: refused, or re-encoded byte for byte;
 *   - the receipts `prove` wrote for a tampered test record (the fuzz
 *     seeds) re-encoded byte for byte;
 *   - inputs over the maximum, empty, a NULL err; rc_encode_receipt
 *     refusing a receipt no text has. */
#include <dirent.h>

#include "texttest.h"

static void test_sample(void **state) {
  (void)state;
  struct rc_error err;
  size_t len;
  uint8_t *b = tt_sample(T_RECEIPT, &len);
  struct rc_receipt *r = malloc(sizeof *r);
  assert_non_null(r);
  assert_int_equal(rc_parse_receipt(b, len, r, &err), RC_OK);
  assert_string_equal(r->station, "erbil.0001");
  assert_string_equal(r->district, "erbil");
  assert_int_equal(r->sheet_index, 0);
  assert_int_equal(r->sheet_size, 2);
  assert_int_equal(r->sheet_plen, 1);
  assert_int_equal(r->record_index, 1);
  assert_int_equal(r->record_size, 3);
  assert_int_equal(r->record_plen, 2);
  assert_int_equal(r->record_proof[1][0], 0x09); /* "CXHq..." */
  assert_int_equal(r->manifest_len, 47);
  assert_memory_equal(r->manifest, "the signed manifest note\n\n", 26);
  assert_true(r->manifest > b && r->manifest < b + len);
  assert_int_equal(r->sheet_len, 23);
  assert_memory_equal(r->sheet, "the signed count sheet\n", 23);
  assert_int_equal(r->record_len, 25);
  assert_int_equal(r->checkpoint_len, 22);
  assert_ptr_equal(r->checkpoint + r->checkpoint_len, b + len);
  free(r);
  free(b);
}

static void test_standard(void **state) {
  (void)state;
  /* no proper prefix is a receipt: the checkpoint section ends it */
  tt_standard(T_RECEIPT, "receipt", 0, 4000);
}

/* Receipts written by `recount-sign prove` (tests/fuzz/corpus/receipt). */
static void test_written(void **state) {
  (void)state;
  const char *dirname = "tests/fuzz/corpus/receipt";
  DIR *dir = opendir(dirname);
  assert_non_null(dir);
  struct dirent *e;
  size_t n = 0;
  while ((e = readdir(dir))) {
    if (e->d_name[0] == '.') continue;
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dirname, e->d_name);
    size_t len;
    uint8_t *b = tu_read_file(path, &len);
    struct rc_error err;
    if (tt_parse(T_RECEIPT, b, len, &err) != RC_OK)
      fail_msg("%s: line %zu %s: %s", path, err.line, err.field, err.msg);
    free(b);
    n++;
  }
  closedir(dir);
  assert_true(n >= 3);
}

static void test_sizes(void **state) {
  (void)state;
  struct rc_error err;
  struct rc_receipt *r = malloc(sizeof *r);
  assert_non_null(r);
  assert_int_equal(rc_parse_receipt(NULL, RC_RECEIPT_MAX + 1, r, &err),
                   RC_ERR_LIMIT);
  assert_string_equal(err.field, "receipt");
  assert_int_equal(tt_parse(T_RECEIPT, (const uint8_t *)"", 0, &err),
                   RC_ERR_SYNTAX);
  assert_int_equal(err.line, 1);
  assert_string_equal(err.field, "header");
  assert_int_equal(rc_parse_receipt((const uint8_t *)"x\n", 2, r, NULL),
                   RC_ERR_SYNTAX);
  free(r);
}

/* rc_encode_receipt refuses, appending nothing, a receipt no text has. */
static void test_encoder_refuses(void **state) {
  (void)state;
  struct rc_error err;
  struct rc_buf b = {0};
  size_t len;
  uint8_t *t = tt_sample(T_RECEIPT, &len);
  struct rc_receipt *r0 = malloc(sizeof *r0), *r = malloc(sizeof *r);
  assert_non_null(r0);
  assert_non_null(r);
  assert_int_equal(rc_parse_receipt(t, len, r0, &err), RC_OK);
  *r = *r0, r->station[0] = 0;
  assert_int_equal(rc_encode_receipt(r, &b), RC_ERR_USAGE);
  *r = *r0, snprintf(r->district, sizeof r->district, "Erbil");
  assert_int_equal(rc_encode_receipt(r, &b), RC_ERR_USAGE);
  *r = *r0, r->sheet_plen = RC_PROOF_MAX + 1;
  assert_int_equal(rc_encode_receipt(r, &b), RC_ERR_USAGE);
  *r = *r0, r->record_plen = (size_t)-1;
  assert_int_equal(rc_encode_receipt(r, &b), RC_ERR_USAGE);
  *r = *r0, r->sheet = NULL;
  assert_int_equal(rc_encode_receipt(r, &b), RC_ERR_USAGE);
  assert_int_equal(b.len, 0);
  /* RC_PROOF_MAX hashes and empty sections are fine */
  *r = *r0, r->sheet_plen = RC_PROOF_MAX, r->checkpoint = NULL;
  r->checkpoint_len = 0;
  assert_int_equal(rc_encode_receipt(r, &b), RC_OK);
  assert_int_equal(tt_parse(T_RECEIPT, b.p, b.len, &err), RC_OK);
  rc_buf_free(&b);
  assert_int_equal(rc_encode_receipt(r0, &b), RC_OK);
  tt_same_bytes("receipt sample", &b, t, len);
  rc_buf_free(&b);
  free(r0), free(r), free(t);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_sample),          cmocka_unit_test(test_standard),
      cmocka_unit_test(test_written),         cmocka_unit_test(test_sizes),
      cmocka_unit_test(test_encoder_refuses),
  };
  return cmocka_run_group_tests_name("receipt", tests, NULL, NULL);
}
