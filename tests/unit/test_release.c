/* test_release.c — the release log checks of engine/release.c (RECORD.md
 * v1.1 §3) on copies of a clean twelve-sheet record
 * (testvectors/tampered/73-previous-prefix-extends) with one change to
 * log.txt or one --previous checkpoint each:
 *
 *   - LOG_FORMAT: a line that is not "<station-id> <base64>", no log.txt
 *     (then every --previous is a RELEASE_REWRITTEN that cannot be
 *     checked);
 *   - LOG_MISMATCH: a sheet twice, a line naming another station, a line
 *     dropped, a line of no sheet, two lines swapped (the log root against
 *     the checkpoint's);
 *   - RELEASE_REWRITTEN: the shipped earlier checkpoint of 7 entries and
 *     the record's own extend; another origin, another signer, not a note,
 *     a larger earlier release, a swap inside the earlier release's prefix
 *     and a sheet repeated inside it do not; a swap after the prefix does
 *     not rewrite the earlier release;
 *   - rc_checkpoint_extends from the empty checkpoint (no proof needed);
 *   - rc_checkpoint_extends against consistency proofs of every pair of
 *     sizes 1 <= m <= n <= 20: every valid proof extends, and each changed
 *     proof hash, a proof cut short or lengthened, a changed root, another
 *     origin and a smaller size do not. */
#include "testutil.h"

#include <sys/stat.h>
#include <unistd.h>

#include "ed25519.h"
#include "hash.h"
#include "keys.h"
#include "merkle.h"
#include "record.h"

#define SRC "testvectors/tampered/73-previous-prefix-extends/"
#define TP "testvectors/tampered/"

static char g_dir[64];
static struct rc_vkey g_anchor;
static char g_anchor_name[RC_KEYNAME_MAX + 1];

static void make_record(void) {
  tu_copy_record(SRC "record/", "release", g_dir, sizeof g_dir);
}

static void remove_record(void) { tu_remove_dir(g_dir); }

/* log.txt of the copy, as lines (each without its '\n'); at most 32 */
struct lines {
  char *v[32];
  size_t n;
  uint8_t *buf;
};

static void read_log(struct lines *l) {
  char p[128];
  snprintf(p, sizeof p, "%s/log.txt", g_dir);
  size_t n;
  l->buf = tu_read_file(p, &n);
  l->n = 0;
  for (char *s = (char *)l->buf; *s;) {
    char *e = strchr(s, '\n');
    assert_non_null(e);
    *e = 0;
    assert_true(l->n < 32);
    l->v[l->n++] = s;
    s = e + 1;
  }
}

static void write_log(const struct lines *l) {
  char p[128];
  snprintf(p, sizeof p, "%s/log.txt", g_dir);
  FILE *f = fopen(p, "wb");
  assert_non_null(f);
  for (size_t i = 0; i < l->n; i++) fprintf(f, "%s\n", l->v[i]);
  assert_int_equal(fclose(f), 0);
}

static void check(const struct rc_previous *prev, size_t nprev,
                  struct rc_record_report *rep) {
  struct rc_record_opts o = {.anchor = &g_anchor,
                             .mode = RC_CRYPTO_BOTH,
                             .threads = 2,
                             .previous = prev,
                             .nprevious = nprev};
  assert_int_equal(rc_record_check(g_dir, &o, rep), RC_OK);
  assert_false(rep->fatal);
}

static size_t count(const struct rc_record_report *rep, enum rc_code code) {
  size_t n = 0;
  for (size_t i = 0; i < rep->nfindings; i++)
    n += rep->findings[i].code == code;
  return n;
}

/* The one finding of code whose message holds want, at file:line. */
static void expect(const struct rc_record_report *rep, enum rc_code code,
                   const char *file, size_t line, const char *want) {
  for (size_t i = 0; i < rep->nfindings; i++) {
    const struct rc_finding *f = &rep->findings[i];
    if (f->code != code || !strstr(f->message, want)) continue;
    if (!f->file || strcmp(f->file, file) || f->line != line)
      fail_msg("%s '%s' at %s:%zu, expected %s:%zu", rc_code_str(code),
               f->message, f->file ? f->file : "-", f->line, file, line);
    return;
  }
  for (size_t i = 0; i < rep->nfindings; i++)
    print_message("  have %s %s\n", rc_code_str(rep->findings[i].code),
                  rep->findings[i].message);
  fail_msg("no %s with '%s'", rc_code_str(code), want);
}

/* A --previous from a file of the repository. */
struct prevfile {
  struct rc_previous p;
  uint8_t *buf;
};
static void prev_file(struct prevfile *pf, const char *path, const char *name) {
  size_t n;
  pf->buf = tu_read_file(path, &n);
  pf->p = (struct rc_previous){name, pf->buf, n};
}

static void test_clean(void **state) {
  (void)state;
  make_record();
  struct prevfile a, b;
  prev_file(&a, SRC "previous.note", "previous:previous.note");
  char cp[128];
  snprintf(cp, sizeof cp, "%s/checkpoint.note", g_dir);
  prev_file(&b, cp, "previous:checkpoint.note");
  struct rc_previous both[2] = {a.p, b.p};
  struct rc_record_report rep;
  check(both, 2, &rep);
  assert_int_equal(rep.nerrors, 0);
  assert_true(rep.have_log && rep.have_log_root);
  assert_int_equal(rep.log_size, 12);
  assert_memory_equal(rep.log_root, rep.checkpoint.root, 32);
  rc_record_report_free(&rep);
  free(a.buf);
  free(b.buf);
  remove_record();
}

static void test_log_format(void **state) {
  (void)state;
  struct rc_record_report rep;
  struct lines l;
  make_record();
  read_log(&l);
  l.v[2] = "s00000.0000002 notbase64";
  write_log(&l);
  check(NULL, 0, &rep);
  assert_int_equal(count(&rep, RC_F_LOG_FORMAT), 1);
  for (size_t i = 0; i < rep.nfindings; i++)
    if (rep.findings[i].code == RC_F_LOG_FORMAT) {
      assert_string_equal(rep.findings[i].file, "log.txt");
      assert_int_equal(rep.findings[i].line, 3);
    }
  assert_false(rep.have_log);
  rc_record_report_free(&rep);
  free(l.buf);
  remove_record();

  /* no log.txt: LOG_FORMAT, and a --previous cannot be checked */
  make_record();
  char p[128];
  snprintf(p, sizeof p, "%s/log.txt", g_dir);
  assert_int_equal(unlink(p), 0);
  struct prevfile a;
  prev_file(&a, SRC "previous.note", "previous:previous.note");
  check(&a.p, 1, &rep);
  expect(&rep, RC_F_LOG_FORMAT, "log.txt", 0, "cannot be read");
  expect(&rep, RC_F_RELEASE_REWRITTEN, "previous:previous.note", 0,
         "cannot be checked");
  rc_record_report_free(&rep);
  free(a.buf);
  remove_record();
}

/* Runs the record with log.txt changed by edit, expects no LOG_FORMAT. */
static void with_log(void (*edit)(struct lines *), const struct rc_previous *p,
                     size_t np, struct rc_record_report *rep) {
  struct lines l;
  make_record();
  read_log(&l);
  edit(&l);
  write_log(&l);
  check(p, np, rep);
  free(l.buf);
  remove_record();
  assert_int_equal(count(rep, RC_F_LOG_FORMAT), 0);
  assert_true(rep->have_log);
}

static void dup_line(struct lines *l) { l->v[4] = l->v[1]; }
static void rename_line(struct lines *l) {
  /* line 1 is s00000.0000000's: name the next station with its hash */
  static char s[128];
  snprintf(s, sizeof s, "s00000.0000001%s", strchr(l->v[0], ' '));
  l->v[0] = s;
}
static void drop_last(struct lines *l) { l->n--; }
static void extra_line(struct lines *l) {
  l->v[l->n++] = "s00002.0000000 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
}
static void swap_1_2(struct lines *l) {
  char *t = l->v[0];
  l->v[0] = l->v[1];
  l->v[1] = t;
}
static void swap_9_10(struct lines *l) {
  char *t = l->v[8];
  l->v[8] = l->v[9];
  l->v[9] = t;
}

static void test_log_mismatch(void **state) {
  (void)state;
  struct rc_record_report rep;
  with_log(dup_line, NULL, 0, &rep);
  expect(&rep, RC_F_LOG_MISMATCH, "log.txt", 5,
         "the same sheet as line 2: a log holds each sheet once");
  /* the sheet line 5 named is now in no line (named at its place) */
  expect(&rep, RC_F_LOG_MISMATCH, "sheets/d00001.txt", 1,
         "a sheet of station s00001.0000000 is not in log.txt");
  assert_false(rep.have_log_root);
  rc_record_report_free(&rep);

  with_log(rename_line, NULL, 0, &rep);
  expect(&rep, RC_F_LOG_MISMATCH, "log.txt", 1,
         "the line names station s00000.0000001, but its sheet is station "
         "s00000.0000000's");
  rc_record_report_free(&rep);

  with_log(drop_last, NULL, 0, &rep);
  expect(&rep, RC_F_LOG_MISMATCH, "checkpoint.note", 2,
         "log size 12 in the checkpoint, log.txt has 11 entries");
  assert_int_equal(count(&rep, RC_F_LOG_MISMATCH), 2);
  rc_record_report_free(&rep);

  with_log(extra_line, NULL, 0, &rep);
  expect(&rep, RC_F_LOG_MISMATCH, "log.txt", 13,
         "station s00002.0000000: the record has no sheet with this hash");
  expect(&rep, RC_F_LOG_MISMATCH, "checkpoint.note", 2,
         "log size 12 in the checkpoint, log.txt has 13 entries");
  rc_record_report_free(&rep);

  /* every sheet in the log once, in another order: the root differs */
  with_log(swap_1_2, NULL, 0, &rep);
  expect(&rep, RC_F_LOG_MISMATCH, "checkpoint.note", 3,
         "but the sheets in log order hash to");
  assert_int_equal(count(&rep, RC_F_LOG_MISMATCH), 1);
  assert_true(rep.have_log_root);
  rc_record_report_free(&rep);
}

static void same(struct lines *l) { (void)l; }

static void test_rewritten(void **state) {
  (void)state;
  struct rc_record_report rep;
  struct prevfile seven, origin, key;
  prev_file(&seven, SRC "previous.note", "previous:seven");
  prev_file(&origin, TP "71-previous-other-origin/previous.note",
            "previous:origin");
  prev_file(&key, TP "72-previous-other-key/previous.note", "previous:key");
  static const uint8_t junk[] = "not a note\n";
  struct rc_previous bad[3] = {
      origin.p, key.p, {"previous:junk", junk, sizeof junk - 1}};
  with_log(same, bad, 3, &rep);
  expect(&rep, RC_F_RELEASE_REWRITTEN, "previous:origin", 1,
         "origin other.example/log, this election's is "
         "bench.example/synthetic");
  expect(&rep, RC_F_RELEASE_REWRITTEN, "previous:key", 0,
         "not signed by the anchor key");
  expect(&rep, RC_F_RELEASE_REWRITTEN, "previous:junk", 2,
         "not a signed note: no empty line before the signatures");
  assert_int_equal(count(&rep, RC_F_RELEASE_REWRITTEN), 3);
  rc_record_report_free(&rep);

  /* a swap inside the first 7 entries rewrites the earlier release; one
   * after them does not (only the checkpoint's own root differs) */
  with_log(swap_1_2, &seven.p, 1, &rep);
  expect(&rep, RC_F_RELEASE_REWRITTEN, "previous:seven", 3,
         "the earlier release's 7 sheets have root");
  rc_record_report_free(&rep);
  with_log(swap_9_10, &seven.p, 1, &rep);
  assert_int_equal(count(&rep, RC_F_RELEASE_REWRITTEN), 0);
  assert_int_equal(count(&rep, RC_F_LOG_MISMATCH), 1);
  rc_record_report_free(&rep);

  /* a sheet repeated inside the prefix: that entry is no sheet */
  with_log(dup_line, &seven.p, 1, &rep);
  expect(&rep, RC_F_RELEASE_REWRITTEN, "previous:seven", 2,
         "entry 4 of the earlier release (log.txt line 5) is not a sheet");
  rc_record_report_free(&rep);

  /* the record's own checkpoint (12 entries) against a log of 11 */
  struct prevfile full;
  prev_file(&full, SRC "record/checkpoint.note", "previous:full");
  with_log(drop_last, &full.p, 1, &rep);
  expect(&rep, RC_F_RELEASE_REWRITTEN, "previous:full", 2,
         "an earlier release of 12 sheets, this log has only 11: sheets were "
         "withdrawn");
  rc_record_report_free(&rep);
  free(full.buf);
  free(seven.buf);
  free(origin.buf);
  free(key.buf);
}

/* ---- rc_checkpoint_extends ---- */
#define NMAX 20

static void cp_of(struct rc_checkpoint *c, const rc_hash *leaves, size_t n) {
  memset(c, 0, sizeof *c);
  snprintf(c->origin, sizeof c->origin, "example.org/log");
  c->size = n;
  rc_merkle_root(leaves, n, c->root);
}

static void test_extends(void **state) {
  (void)state;
  rc_hash leaves[NMAX], proof[RC_PROOF_MAX + 1];
  for (size_t i = 0; i < NMAX; i++) {
    uint8_t b = (uint8_t)i;
    rc_merkle_leaf_hash(&b, 1, leaves[i]);
  }
  size_t tried = 0;
  for (size_t n = 1; n <= NMAX; n++)
    for (size_t m = 1; m <= n; m++) {
      struct rc_checkpoint a, b;
      size_t plen;
      cp_of(&a, leaves, m);
      cp_of(&b, leaves, n);
      assert_int_equal(rc_merkle_consistency_proof(leaves, n, m, proof, &plen),
                       RC_OK);
      assert_int_equal(rc_checkpoint_extends(&a, &b, proof, plen), RC_OK);
      /* each proof hash changed in one bit */
      for (size_t k = 0; k < plen; k++) {
        proof[k][k % 32] ^= 1;
        assert_int_equal(rc_checkpoint_extends(&a, &b, proof, plen),
                         RC_ERR_PROOF);
        proof[k][k % 32] ^= 1;
      }
      /* cut short, lengthened */
      if (plen)
        assert_int_equal(rc_checkpoint_extends(&a, &b, proof, plen - 1),
                         RC_ERR_PROOF);
      memcpy(proof[plen], leaves[0], 32);
      assert_int_equal(rc_checkpoint_extends(&a, &b, proof, plen + 1),
                       RC_ERR_PROOF);
      /* either root changed */
      a.root[0] ^= 0x80;
      assert_int_equal(rc_checkpoint_extends(&a, &b, proof, plen),
                       RC_ERR_PROOF);
      a.root[0] ^= 0x80;
      b.root[31] ^= 0x01;
      assert_int_equal(rc_checkpoint_extends(&a, &b, proof, plen),
                       RC_ERR_PROOF);
      b.root[31] ^= 0x01;
      /* another origin; the other way round */
      snprintf(b.origin, sizeof b.origin, "example.org/other");
      assert_int_equal(rc_checkpoint_extends(&a, &b, proof, plen),
                       RC_ERR_USAGE);
      snprintf(b.origin, sizeof b.origin, "example.org/log");
      if (m < n)
        assert_int_equal(rc_checkpoint_extends(&b, &a, proof, plen),
                         RC_ERR_ORDER);
      tried++;
    }
  assert_int_equal(tried, NMAX * (NMAX + 1) / 2);
}

/* An empty checkpoint, as a commission publishes before any sheet arrives,
 * is extended by every checkpoint of its origin with no proof (C2SP
 * tlog-witness); before, every one was refused. Its root must be H(""). */
static void test_extends_empty(void **state) {
  (void)state;
  rc_hash leaves[NMAX], proof[1];
  for (size_t i = 0; i < NMAX; i++) {
    uint8_t b = (uint8_t)i;
    rc_merkle_leaf_hash(&b, 1, leaves[i]);
  }
  memcpy(proof[0], leaves[0], 32);
  for (size_t n = 0; n <= NMAX; n++) {
    struct rc_checkpoint a, b;
    cp_of(&a, leaves, 0);
    cp_of(&b, leaves, n);
    assert_int_equal(rc_checkpoint_extends(&a, &b, NULL, 0), RC_OK);
    /* a proof from the empty tree must be empty */
    assert_int_equal(rc_checkpoint_extends(&a, &b, proof, 1), RC_ERR_PROOF);
    /* another origin */
    snprintf(b.origin, sizeof b.origin, "example.org/other");
    assert_int_equal(rc_checkpoint_extends(&a, &b, NULL, 0), RC_ERR_USAGE);
    snprintf(b.origin, sizeof b.origin, "example.org/log");
    /* an empty checkpoint with another root than H("") is no tree's */
    a.root[0] ^= 0x01;
    assert_int_equal(rc_checkpoint_extends(&a, &b, NULL, 0), RC_ERR_PROOF);
    a.root[0] ^= 0x01;
    /* the log cut back to nothing */
    if (n > 0)
      assert_int_equal(rc_checkpoint_extends(&b, &a, NULL, 0), RC_ERR_ORDER);
  }
  /* two empty checkpoints: equal only with the empty tree's root */
  struct rc_checkpoint a, b;
  cp_of(&a, leaves, 0);
  cp_of(&b, leaves, 0);
  b.root[31] ^= 0x80;
  assert_int_equal(rc_checkpoint_extends(&a, &b, NULL, 0), RC_ERR_PROOF);
  memcpy(a.root, b.root, 32);
  assert_int_equal(rc_checkpoint_extends(&a, &b, NULL, 0), RC_ERR_PROOF);
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
      cmocka_unit_test(test_clean),        cmocka_unit_test(test_log_format),
      cmocka_unit_test(test_log_mismatch), cmocka_unit_test(test_rewritten),
      cmocka_unit_test(test_extends),      cmocka_unit_test(test_extends_empty),
  };
  return cmocka_run_group_tests_name("release", tests, setup, NULL);
}
