/* test_sheet.c — the count sheet (formats/sheet.c, RECORD.md §3):
 *
 *   - the sample's fields, and every sheet of the Kurdistan record
 *     re-encoded byte for byte;
 *   - the standard checks of texttest.h: the sheet cases of
 *     testvectors/texts/mutations.txt and testvectors/limits/sheet.txt,
 *     every prefix, every byte change (an accepted change always gives a
 *     different sheet), random line edits;
 *   - 64 vote lines accepted and 65 refused; inputs over the maximum, empty
 *     inputs, a NULL err;
 *   - rc_sheet_arith (balance, 64-bit overflow) and rc_encode_sheet
 *     refusing structs that no valid text has. */
#include <dirent.h>

#include "texttest.h"

static void test_sample(void **state) {
  (void)state;
  struct rc_error err;
  size_t len;
  uint8_t *b = tt_sample(T_SHEET, &len);
  struct rc_sheet s;
  assert_int_equal(rc_parse_sheet(b, len, &s, &err), RC_OK);
  assert_string_equal(s.election, "krd-2017-test");
  assert_string_equal(s.district, "erbil");
  assert_string_equal(s.station, "erbil.0001");
  assert_int_equal(s.registered, 388);
  assert_int_equal(s.ballots, 301);
  assert_int_equal(s.invalid, 4);
  assert_int_equal(s.blank, 2);
  assert_int_equal(s.excluded, 1);
  assert_int_equal(s.nvotes, 2);
  assert_string_equal(s.votes[0].choice, "yes");
  assert_int_equal(s.votes[0].count, 270);
  assert_int_equal(s.votes[1].count, 24);
  assert_int_equal(rc_sheet_arith(&s, &err), RC_OK);
  free(b);
}

/* Every sheet of every file of the Kurdistan record. */
static void test_krd(void **state) {
  (void)state;
  struct rc_error err;
  size_t sheets = 0, files = 0;
  DIR *dir = opendir(KRD "sheets");
  assert_non_null(dir);
  struct dirent *e;
  while ((e = readdir(dir))) {
    if (e->d_name[0] == '.') continue;
    char path[512];
    snprintf(path, sizeof path, KRD "sheets/%s", e->d_name);
    size_t n, pos = 0, used;
    uint8_t *b = tu_read_file(path, &n);
    struct rc_note note;
    while (pos < n) {
      assert_int_equal(rc_note_next(b + pos, n - pos, &used, &note, &err),
                       RC_OK);
      assert_int_equal(tt_parse(T_SHEET, note.text, note.textlen, &err), RC_OK);
      pos += used;
      sheets++;
    }
    free(b);
    files++;
  }
  closedir(dir);
  assert_int_equal(files, 51);
  assert_int_equal(sheets, 12092);
  printf("krd-2017: %zu sheets in %zu files re-encoded byte for byte\n", sheets,
         files);
}

static void test_standard(void **state) {
  (void)state;
  /* the one valid prefix: the sheet cut after its first vote line */
  tt_standard(T_SHEET, "sheet", 1, 4000);
}

/* A byte change that still parses gives a different sheet: no two texts
 * mean the same sheet. */
static void test_flips_differ(void **state) {
  (void)state;
  struct rc_error err;
  size_t len, sv = 0;
  uint8_t *b = tt_sample(T_SHEET, &len);
  struct rc_sheet *orig = malloc(sizeof *orig), *s = malloc(sizeof *s);
  assert_int_equal(rc_parse_sheet(b, len, orig, &err), RC_OK);
  for (size_t i = 0; i < len; i++)
    for (unsigned v = 0; v < 256; v++) {
      if (v == b[i]) continue;
      uint8_t o = b[i];
      b[i] = (uint8_t)v;
      if (rc_parse_sheet(b, len, s, &err) == RC_OK) {
        assert_memory_not_equal(s, orig, sizeof *s);
        sv++;
      }
      b[i] = o;
    }
  free(orig), free(s), free(b);
  /* digits of the counts and ids can change into other valid ones */
  assert_true(sv > 0);
  printf("sheet: %zu accepted byte changes, each a different sheet\n", sv);
}

/* 64 vote lines accepted, 65 refused on the 65th. */
static void test_max_votes(void **state) {
  (void)state;
  for (int n = RC_MAX_CHOICES; n <= RC_MAX_CHOICES + 1; n++) {
    struct rc_buf t = {0};
    struct rc_error err;
    rc_buf_puts(&t, "recount count-sheet v1\nelection e\ndistrict d\nstation "
                    "s\nregistered 10\nballots 0\ninvalid 0\nblank 0\n"
                    "excluded 0\n");
    for (int i = 0; i < n; i++) rc_buf_printf(&t, "vote c%02d 0\n", i);
    int rc = tt_parse(T_SHEET, t.p, t.len, &err);
    if (n == RC_MAX_CHOICES) {
      assert_int_equal(rc, RC_OK);
    } else {
      assert_int_equal(rc, RC_ERR_LIMIT);
      assert_int_equal(err.line, 10 + RC_MAX_CHOICES);
      assert_string_equal(err.field, "vote");
    }
    rc_buf_free(&t);
  }
}

static void test_sizes(void **state) {
  (void)state;
  struct rc_error err;
  struct rc_sheet *s = malloc(sizeof *s);
  /* over the maximum: refused before being read (buf is NULL) */
  assert_int_equal(rc_parse_sheet(NULL, RC_SHEET_TEXT_MAX + 1, s, &err),
                   RC_ERR_LIMIT);
  /* exactly RC_SHEET_TEXT_MAX bytes are read (and here refused for their
   * content, not their size) */
  uint8_t *full = malloc(RC_SHEET_TEXT_MAX);
  memset(full, 'a', RC_SHEET_TEXT_MAX);
  assert_int_equal(rc_parse_sheet(full, RC_SHEET_TEXT_MAX, s, &err),
                   RC_ERR_SYNTAX);
  assert_int_not_equal(err.code, RC_ERR_LIMIT);
  free(full);
  assert_int_equal(tt_parse(T_SHEET, (const uint8_t *)"", 0, &err),
                   RC_ERR_SYNTAX);
  /* err may be NULL */
  assert_int_equal(rc_parse_sheet((const uint8_t *)"x", 1, s, NULL),
                   RC_ERR_SYNTAX);
  free(s);
}

static void test_arith(void **state) {
  (void)state;
  struct rc_sheet *s = malloc(sizeof *s);
  struct rc_error err;
  size_t len;
  uint8_t *b = tt_sample(T_SHEET, &len);
  assert_int_equal(rc_parse_sheet(b, len, s, &err), RC_OK);
  free(b);
  assert_int_equal(rc_sheet_arith(s, &err), RC_OK);
  s->votes[1].count++;
  assert_int_equal(rc_sheet_arith(s, &err), RC_ERR_ARITH);
  assert_int_equal(err.line, 6);
  s->votes[1].count -= 2;
  assert_int_equal(rc_sheet_arith(s, &err), RC_ERR_ARITH);
  /* a sum over 64 bits is an overflow, never a wrap to the right total */
  s->votes[0].count = UINT64_MAX;
  s->votes[1].count = 0;
  s->invalid = s->blank = 0;
  s->excluded = 1;
  s->ballots = 0; /* UINT64_MAX + 1 wraps to 0 */
  assert_int_equal(rc_sheet_arith(s, &err), RC_ERR_OVERFLOW);
  s->excluded = 0;
  s->ballots = UINT64_MAX;
  assert_int_equal(rc_sheet_arith(s, &err), RC_OK);
  /* the largest counts a text can hold never overflow */
  s->invalid = s->blank = s->excluded = RC_COUNT_LIMIT - 1;
  s->nvotes = RC_MAX_CHOICES;
  for (size_t i = 0; i < RC_MAX_CHOICES; i++) {
    snprintf(s->votes[i].choice, sizeof s->votes[i].choice, "c%zu", i);
    s->votes[i].count = RC_COUNT_LIMIT - 1;
  }
  s->ballots = (RC_COUNT_LIMIT - 1) * (3 + RC_MAX_CHOICES);
  assert_int_equal(rc_sheet_arith(s, &err), RC_OK);
  s->ballots--;
  assert_int_equal(rc_sheet_arith(s, &err), RC_ERR_ARITH);
  /* the message is read by people (a SHEET_ARITHMETIC finding): its
   * figures are grouped as the reports' are */
  s->nvotes = 1;
  s->invalid = s->blank = s->excluded = 0;
  s->votes[0].count = 3990;
  s->ballots = 4000;
  assert_int_equal(rc_sheet_arith(s, &err), RC_ERR_ARITH);
  assert_string_equal(err.msg, "invalid + blank + excluded + votes = 3,990, "
                               "but ballots is 4,000");
  free(s);
}

/* rc_encode_sheet refuses a struct no valid text has, appending nothing. */
static void test_encoder_refuses(void **state) {
  (void)state;
  struct rc_error err;
  struct rc_buf b = {0};
  size_t len;
  uint8_t *t = tt_sample(T_SHEET, &len);
  struct rc_sheet s0, s;
  assert_int_equal(rc_parse_sheet(t, len, &s0, &err), RC_OK);
  free(t);
  s = s0, s.ballots = RC_COUNT_LIMIT;
  assert_int_not_equal(rc_encode_sheet(&s, &b), RC_OK);
  s = s0, snprintf(s.station, sizeof s.station, "Upper");
  assert_int_not_equal(rc_encode_sheet(&s, &b), RC_OK);
  s = s0, s.station[0] = 0;
  assert_int_not_equal(rc_encode_sheet(&s, &b), RC_OK);
  s = s0, s.nvotes = 0;
  assert_int_not_equal(rc_encode_sheet(&s, &b), RC_OK);
  s = s0, s.nvotes = RC_MAX_CHOICES + 1;
  assert_int_not_equal(rc_encode_sheet(&s, &b), RC_OK);
  s = s0,
  memcpy(s.votes[1].choice, s.votes[0].choice, sizeof s.votes[1].choice);
  assert_int_not_equal(rc_encode_sheet(&s, &b), RC_OK);
  s = s0, memset(s.election, 'a', sizeof s.election);
  assert_int_not_equal(rc_encode_sheet(&s, &b), RC_OK);
  assert_int_equal(b.len, 0);
  assert_int_equal(rc_encode_sheet(&s0, &b), RC_OK);
  assert_int_equal(b.len, len);
  rc_buf_free(&b);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_sample),    cmocka_unit_test(test_krd),
      cmocka_unit_test(test_standard),  cmocka_unit_test(test_flips_differ),
      cmocka_unit_test(test_max_votes), cmocka_unit_test(test_sizes),
      cmocka_unit_test(test_arith),     cmocka_unit_test(test_encoder_refuses),
  };
  return cmocka_run_group_tests_name("sheet", tests, NULL, NULL);
}
