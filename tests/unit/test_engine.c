/* test_engine.c — the record engine against a file that changes while it
 * is checked. The engine re-reads a sheet text in two places (to take an
 * equivocating station's counted sheet out of the totals again, and to
 * order several texts of one station in its district tree); a re-read
 * text must hash to the leaf it had when first read, and when it does not
 * the engine reports SHEET_FORMAT "file changed while it was read" and
 * marks the district's figures as not meaningful (before, it subtracted
 * whatever the changed bytes said, silently skewing the totals). The test
 * changes the file from the engine's before_fold hook, between the first
 * read and the re-read. */
#include "testutil.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hash.h"
#include "keys.h"
#include "record.h"

#define SRC "testvectors/tampered/06-equivocation/"

static char g_dir[64];
static struct rc_vkey g_anchor;
static char g_anchor_name[RC_KEYNAME_MAX + 1];

static void copy_file(const char *from, const char *to) {
  size_t n;
  uint8_t *p = tu_read_file(from, &n);
  tu_write_file(to, p, n);
  free(p);
}

/* A fresh copy of the equivocation record in g_dir. */
static void make_record(void) {
  static const char *files[] = {"manifest.note",     "districts.txt",
                                "checkpoint.note",   "published.note",
                                "sheets/d00000.txt", "sheets/d00001.txt",
                                "sheets/d00002.txt", "sheets/zz-late.txt"};
  char a[256], b[256];
  snprintf(g_dir, sizeof g_dir, "/tmp/recount-engine-XXXXXX");
  assert_non_null(mkdtemp(g_dir));
  snprintf(b, sizeof b, "%s/sheets", g_dir);
  assert_int_equal(mkdir(b, 0755), 0);
  for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
    snprintf(a, sizeof a, SRC "record/%s", files[i]);
    snprintf(b, sizeof b, "%s/%s", g_dir, files[i]);
    copy_file(a, b);
  }
}

static void remove_record(void) { tu_remove_dir(g_dir); }

/* The hook: one digit of the first "vote yes" line of a sheets file is
 * changed in place (same length). */
static void change_vote(void *ctx) {
  char path[256];
  snprintf(path, sizeof path, "%s/%s", g_dir, (const char *)ctx);
  size_t n;
  char *p = (char *)tu_read_file(path, &n);
  char *v = strstr(p, "\nvote yes ");
  assert_non_null(v);
  char *d = v + strlen("\nvote yes ");
  *d = *d == '1' ? '2' : '1';
  int fd = open(path, O_WRONLY);
  assert_true(fd >= 0);
  assert_int_equal(pwrite(fd, d, 1, (off_t)(d - p)), 1);
  close(fd);
  free(p);
}

static size_t count_changed(const struct rc_record_report *rep,
                            const char *file) {
  size_t n = 0;
  for (size_t i = 0; i < rep->nfindings; i++) {
    const struct rc_finding *f = &rep->findings[i];
    if (f->code == RC_F_SHEET_FORMAT && f->file && !strcmp(f->file, file) &&
        strstr(f->message, "file changed while it was read")) {
      /* it names the station and district of the text */
      assert_non_null(f->station);
      assert_string_equal(f->station, "s00000.0000000");
      assert_non_null(f->district);
      assert_string_equal(f->district, "d00000");
      n++;
    }
  }
  return n;
}

static void check(const char *changed_file, struct rc_record_report *rep) {
  struct rc_record_opts o = {.anchor = &g_anchor, .threads = 1};
  if (changed_file) {
    o.before_fold = change_vote;
    o.before_fold_ctx = (void *)changed_file;
  }
  make_record();
  assert_int_equal(rc_record_check(g_dir, &o, rep), RC_OK);
}

static void test_unchanged(void **state) {
  (void)state;
  struct rc_record_report rep;
  check(NULL, &rep);
  assert_int_equal(count_changed(&rep, "sheets/d00000.txt"), 0);
  assert_int_equal(count_changed(&rep, "sheets/zz-late.txt"), 0);
  assert_false(rep.districts[0].totals.changed);
  assert_false(rep.totals.changed);
  rc_record_report_free(&rep);
  remove_record();
}

/* The counted sheet of the equivocating station changes before it is
 * taken out of the totals again. */
static void test_counted_sheet_changes(void **state) {
  (void)state;
  struct rc_record_report rep;
  check("sheets/d00000.txt", &rep);
  assert_int_equal(count_changed(&rep, "sheets/d00000.txt"), 1);
  assert_true(rep.districts[0].totals.changed);
  assert_true(rep.totals.changed);
  assert_true(rep.nerrors > 0);
  for (size_t i = 0; i < rep.nfigs; i++)
    if (!rep.figs[i].fig.district[0]) assert_false(rep.figs[i].ok);
  rc_record_report_free(&rep);
  remove_record();
}

/* A station's second text changes before the tree is ordered (it was
 * never counted: the totals stay meaningful). */
static void test_tree_text_changes(void **state) {
  (void)state;
  struct rc_record_report rep;
  check("sheets/zz-late.txt", &rep);
  assert_int_equal(count_changed(&rep, "sheets/zz-late.txt"), 1);
  assert_int_equal(count_changed(&rep, "sheets/d00000.txt"), 0);
  assert_false(rep.districts[0].totals.changed);
  rc_record_report_free(&rep);
  remove_record();
}

/* The codes generated from findings.def: every one named, with a meaning
 * and a severity; out of range is UNKNOWN. */
static void test_codes(void **state) {
  (void)state;
  for (int c = 0; c < RC_F__COUNT; c++) {
    assert_string_not_equal(rc_code_str((enum rc_code)c), "UNKNOWN");
    assert_true(strlen(rc_code_meaning((enum rc_code)c)) > 0);
  }
  assert_string_equal(rc_code_str(RC_F_SHEET_DUPLICATE), "SHEET_DUPLICATE");
  assert_int_equal(rc_code_severity(RC_F_SHEET_MISSING), RC_SEV_WARNING);
  assert_int_equal(rc_code_severity(RC_F_COUNT_OVERFLOW), RC_SEV_ERROR);
  assert_string_equal(rc_code_str(RC_F__COUNT), "UNKNOWN");
}

static int setup(void **state) {
  (void)state;
  struct rc_error err;
  if (rc_crypto_init() != 0 || rc_hash_init() != RC_OK) return -1;
  return rc_vkey_read_file(SRC "anchor.vkey", &g_anchor, g_anchor_name, &err) ==
                 RC_OK
             ? 0
             : -1;
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_unchanged),
      cmocka_unit_test(test_counted_sheet_changes),
      cmocka_unit_test(test_tree_text_changes),
      cmocka_unit_test(test_codes),
  };
  return cmocka_run_group_tests(tests, setup, NULL);
}
