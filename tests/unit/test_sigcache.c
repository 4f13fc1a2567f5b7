/* test_sigcache.c — engine/sigcache.c, the signatures `diff` does not
 * verify twice (RECORD.md v1.1; issue 13 §7). A hit must stand for exactly
 * what verifying again would give, so:
 *
 *   - the key: byte-identical note bytes under the same station key, the
 *     same weak flag, crypto mode and manifest witnesses give the same key;
 *     each of those changed (every single byte of the note in turn, the
 *     station's or a witness's public key under the same name) gives
 *     another, and put/find keep 20,000 keys through the table's growth;
 *   - in a record check (a copy of the clean record of tampered case 73):
 *     a second check through a filled cache gives the same report; a note
 *     whose signature was broken is accepted only when the cache holds its
 *     exact bytes under its station's key (planted by the test: that is
 *     what proves a hit skips the verification), and is a SHEET_SIGNATURE
 *     again when one more byte differs, when the entry was planted under
 *     another station's key, or when the check runs in another crypto
 *     mode. */
#include "testutil.h"

#include <sys/stat.h>
#include <unistd.h>

#include "ed25519.h"
#include "engine.h"
#include "hash.h"
#include "keys.h"
#include "note.h"

#define SRC "testvectors/tampered/73-previous-prefix-extends/"

static char g_dir[64];
static struct rc_vkey g_anchor;
static char g_anchor_name[RC_KEYNAME_MAX + 1];

static void make_record(void) {
  tu_copy_record(SRC "record/", "sigcache", g_dir, sizeof g_dir);
}

static void remove_record(void) { tu_remove_dir(g_dir); }

static void check(struct rc_sigcache *c, enum rc_crypto_mode mode,
                  struct rc_record_report *rep) {
  struct rc_record_opts o = {
      .anchor = &g_anchor, .mode = mode, .threads = 2, .sigcache = c};
  assert_int_equal(rc_record_check(g_dir, &o, rep), RC_OK);
  assert_false(rep->fatal);
}

/* SHEET_SIGNATURE findings naming station */
static size_t sig_findings(const struct rc_record_report *rep,
                           const char *station) {
  size_t n = 0;
  for (size_t i = 0; i < rep->nfindings; i++)
    n += rep->findings[i].code == RC_F_SHEET_SIGNATURE &&
         rep->findings[i].station && !strcmp(rep->findings[i].station, station);
  return n;
}

/* The engine's key for note under station k (weak flag 0) with the
 * manifest m in mode, as sheet_check.c computes it. */
static void key_of(const struct rc_manifest *m, enum rc_crypto_mode mode,
                   const uint8_t *note, size_t len, const struct rc_vkey *k,
                   int weak, rc_hash out) {
  struct rc_record_opts o = {.mode = mode};
  struct engine eng;
  memset(&eng, 0, sizeof eng);
  eng.o = &o;
  eng.m = m;
  sigcache_prepare(&eng);
  struct job j;
  memset(&j, 0, sizeof j);
  j.note = note;
  j.notelen = len;
  sigcache_key(&eng, &j, k, weak, out);
}

/* The first note of the copy's sheets/d00000.txt: its bytes (malloc'd),
 * its offset in the file and its station's manifest index. */
struct first {
  uint8_t *file;
  size_t flen, len;
  long station;
};
static void first_note(const struct rc_manifest *m, struct first *f) {
  char p[128];
  struct rc_error err;
  struct rc_note n;
  struct rc_sheet s;
  snprintf(p, sizeof p, "%s/sheets/d00000.txt", g_dir);
  f->file = tu_read_file(p, &f->flen);
  assert_int_equal(rc_note_span(f->file, f->flen, &f->len, &err), RC_OK);
  assert_int_equal(rc_note_parse(f->file, f->len, &n, &err), RC_OK);
  assert_int_equal(rc_parse_sheet(n.text, n.textlen, &s, &err), RC_OK);
  f->station = rc_manifest_station(m, s.station, strlen(s.station));
  assert_true(f->station >= 0);
}

static void write_first(const struct first *f) {
  char p[128];
  snprintf(p, sizeof p, "%s/sheets/d00000.txt", g_dir);
  tu_write_file(p, f->file, f->flen);
}

/* Another valid base64 character in the note's last signature line (its
 * 10th byte from the end): the signature no longer verifies. */
static void flip(struct first *f, size_t back) {
  uint8_t *c = f->file + f->len - back;
  *c = *c == 'A' ? 'B' : 'A';
}

static void test_key(void **state) {
  (void)state;
  struct rc_record_report rep;
  make_record();
  check(NULL, RC_CRYPTO_BOTH, &rep);
  assert_int_equal(rep.nerrors, 0);
  const struct rc_manifest *m = &rep.manifest;
  struct first f;
  first_note(m, &f);
  const struct rc_vkey *k = &m->stations[f.station].key;
  const struct rc_vkey *other = &m->stations[f.station + 1].key;
  rc_hash base, again, h;
  key_of(m, RC_CRYPTO_BOTH, f.file, f.len, k, 0, base);
  uint8_t *copy = malloc(f.len);
  assert_non_null(copy);
  memcpy(copy, f.file, f.len);
  key_of(m, RC_CRYPTO_BOTH, copy, f.len, k, 0, again);
  assert_memory_equal(base, again, 32); /* same bytes elsewhere in memory */
  for (size_t i = 0; i < f.len; i++) {  /* every byte changed in turn */
    copy[i] ^= 0x01;
    key_of(m, RC_CRYPTO_BOTH, copy, f.len, k, 0, h);
    assert_memory_not_equal(base, h, 32);
    copy[i] ^= 0x01;
  }
  key_of(m, RC_CRYPTO_BOTH, f.file, f.len - 1, k, 0, h);
  assert_memory_not_equal(base, h, 32);
  key_of(m, RC_CRYPTO_BOTH, f.file, f.len, other, 0, h);
  assert_memory_not_equal(base, h, 32);
  key_of(m, RC_CRYPTO_BOTH, f.file, f.len, k, 1, h);
  assert_memory_not_equal(base, h, 32);
  key_of(m, RC_CRYPTO_SODIUM, f.file, f.len, k, 0, h);
  assert_memory_not_equal(base, h, 32);
  /* another set of manifest witnesses (a witness's line is verified with
   * the station's: a hit must not outlive a change of them) */
  struct rc_manifest m2 = *m;
  struct rc_vkey w = *other;
  m2.witnesses = &w;
  m2.nwitnesses = 1;
  key_of(&m2, RC_CRYPTO_BOTH, f.file, f.len, k, 0, again);
  assert_memory_not_equal(base, again, 32);
  w.pk[7] ^= 0x10; /* the same witness name with another public key */
  key_of(&m2, RC_CRYPTO_BOTH, f.file, f.len, k, 0, h);
  assert_memory_not_equal(again, h, 32);
  /* the station's key name kept, its public key changed (a manifest of a
   * later release registering another key under the same name) */
  struct rc_vkey k2 = *k;
  k2.pk[31] ^= 0x01;
  key_of(m, RC_CRYPTO_BOTH, f.file, f.len, &k2, 0, h);
  assert_memory_not_equal(base, h, 32);
  free(copy);

  /* put and find across growth; a key never put is not found */
  struct rc_sigcache *c = rc_sigcache_new();
  assert_non_null(c);
  uint32_t got = 0;
  assert_false(sigcache_find(c, base, &got));
  sigcache_put(c, base, 3);
  assert_true(sigcache_find(c, base, &got));
  assert_int_equal(got, 3);
  for (uint32_t i = 0; i < 20000; i++) {
    rc_sha256((const uint8_t *)&i, sizeof i, h);
    sigcache_put(c, h, i);
  }
  for (uint32_t i = 0; i < 20000; i++) {
    rc_sha256((const uint8_t *)&i, sizeof i, h);
    assert_true(sigcache_find(c, h, &got));
    assert_int_equal(got, i);
  }
  assert_true(sigcache_find(c, base, &got));
  assert_int_equal(got, 3);
  uint32_t never = 20000;
  rc_sha256((const uint8_t *)&never, sizeof never, h);
  assert_false(sigcache_find(c, h, &got));
  rc_sigcache_free(c);
  free(f.file);
  rc_record_report_free(&rep);
  remove_record();
}

static void test_record(void **state) {
  (void)state;
  struct rc_record_report clean, rep;
  make_record();
  struct rc_sigcache *c = rc_sigcache_new();
  assert_non_null(c);
  check(c, RC_CRYPTO_BOTH, &clean);
  assert_int_equal(clean.nerrors, 0);
  /* through the filled cache: the same findings and totals */
  check(c, RC_CRYPTO_BOTH, &rep);
  assert_int_equal(rep.nfindings, clean.nfindings);
  assert_int_equal(rep.nerrors, 0);
  assert_memory_equal(&rep.totals, &clean.totals, sizeof rep.totals);
  rc_record_report_free(&rep);
  rc_sigcache_free(c);

  const struct rc_manifest *m = &clean.manifest;
  struct first f;
  first_note(m, &f);
  const char *sid = m->stations[f.station].id;
  const struct rc_vkey *k = &m->stations[f.station].key;
  flip(&f, 10); /* the station's signature no longer verifies */
  write_first(&f);
  check(NULL, RC_CRYPTO_BOTH, &rep);
  assert_int_equal(sig_findings(&rep, sid), 1);
  rc_record_report_free(&rep);

  /* planted: exactly these bytes under this key, a clean verification
   * that checked one signature; the check believes it */
  rc_hash h;
  c = rc_sigcache_new();
  assert_non_null(c);
  key_of(m, RC_CRYPTO_BOTH, f.file, f.len, k, 0, h);
  sigcache_put(c, h, 1);
  check(c, RC_CRYPTO_BOTH, &rep);
  assert_int_equal(sig_findings(&rep, sid), 0);
  assert_int_equal(rep.nerrors, 0);
  rc_record_report_free(&rep);
  /* the same entry in another crypto mode: a miss, verified, refused */
  check(c, RC_CRYPTO_SODIUM, &rep);
  assert_int_equal(sig_findings(&rep, sid), 1);
  rc_record_report_free(&rep);
  /* one more byte changed: a miss */
  flip(&f, 20);
  write_first(&f);
  check(c, RC_CRYPTO_BOTH, &rep);
  assert_int_equal(sig_findings(&rep, sid), 1);
  rc_record_report_free(&rep);
  rc_sigcache_free(c);

  /* planted under another station's key: a miss */
  c = rc_sigcache_new();
  assert_non_null(c);
  key_of(m, RC_CRYPTO_BOTH, f.file, f.len, &m->stations[f.station + 1].key, 0,
         h);
  sigcache_put(c, h, 1);
  check(c, RC_CRYPTO_BOTH, &rep);
  assert_int_equal(sig_findings(&rep, sid), 1);
  rc_record_report_free(&rep);
  rc_sigcache_free(c);
  free(f.file);
  rc_record_report_free(&clean);
  remove_record();
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
      cmocka_unit_test(test_key),
      cmocka_unit_test(test_record),
  };
  return cmocka_run_group_tests_name("sigcache", tests, setup, NULL);
}
