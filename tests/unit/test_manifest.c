/* test_manifest.c — the manifest (formats/manifest.c, RECORD.md §3):
 *
 *   - the sample's fields and the station and district look-ups; the
 *     Kurdistan manifest (12,092 stations) re-encoded byte for byte;
 *   - the standard checks of texttest.h: the manifest cases of
 *     testvectors/texts/mutations.txt and testvectors/limits/manifest.txt
 *     (origin and name lengths, UTF-8 rules), every prefix, every byte
 *     change, random line edits;
 *   - 64 choices accepted and 65 refused, 256 witnesses and 257; inputs
 *     over the maximum, empty, a NULL err;
 *   - rc_encode_manifest refusing structs no valid text has;
 *   - a manifest of 1,000,000 stations (RC_TEST_STATIONS lowers it). */
#include <time.h>

#include "text.h"
#include "texttest.h"

static void test_sample(void **state) {
  (void)state;
  struct rc_error err;
  size_t len;
  uint8_t *b = tt_sample(T_MANIFEST, &len);
  struct rc_manifest m;
  assert_int_equal(rc_parse_manifest(b, len, &m, &err), RC_OK);
  free(b); /* the manifest must not refer to its input */
  assert_string_equal(m.election, "krd-2017-test");
  assert_string_equal(m.origin, "test.example/krd-2017-test");
  assert_int_equal(m.nchoices, 2);
  assert_string_equal(m.choices[0].id, "yes"); /* ballot order, unsorted */
  assert_string_equal(m.choices[1].id, "no");
  assert_string_equal(m.choices[1].name + strlen(m.choices[1].name) - 5,
                      " (No)");
  assert_true((unsigned char)m.choices[1].name[0] >= 0x80);
  assert_int_equal(m.ndistricts, 3);
  assert_int_equal(m.districts[0].nstations, 1);
  assert_int_equal(m.districts[1].nstations, 2);
  assert_int_equal(m.districts[2].nstations, 1);
  assert_int_equal(m.nwitnesses, 2);
  assert_int_equal(m.witnesses[1].namelen, 13);
  assert_memory_equal(m.witnesses[1].name, "party-agent.b", 13);
  assert_int_equal(m.nstations, 4);
  assert_string_equal(m.stations[2].id, "erbil.0002");
  assert_int_equal(m.stations[2].district, 1);
  assert_int_equal(m.stations[2].registered, 1);
  assert_int_equal(m.stations[3].key.namelen, 25);
  assert_memory_equal(m.stations[3].key.name, "station.sulaymaniyah.0001", 25);
  for (size_t i = 0; i < m.nstations; i++)
    assert_int_equal(
        rc_manifest_station(&m, m.stations[i].id, strlen(m.stations[i].id)),
        (long)i);
  assert_int_equal(rc_manifest_station(&m, "erbil.000", 9), -1);
  assert_int_equal(rc_manifest_station(&m, "erbil.00011", 11), -1);
  assert_int_equal(rc_manifest_station(&m, "erbil.0001\0", 11), -1);
  assert_int_equal(rc_manifest_station(&m, "", 0), -1);
  assert_int_equal(rc_manifest_station(&m, "zzz", 3), -1);
  assert_int_equal(rc_manifest_station(&m, "aaa", 3), -1);
  assert_int_equal(rc_manifest_district(&m, "sulaymaniyah", 12), 2);
  assert_int_equal(rc_manifest_district(&m, "duhok", 5), 0);
  assert_int_equal(rc_manifest_district(&m, "duho", 4), -1);
  rc_manifest_free(&m);
}

static void test_krd(void **state) {
  (void)state;
  struct rc_error err;
  size_t len;
  uint8_t *t = tt_note_text(KRD "manifest.note", &len);
  struct rc_manifest m;
  assert_int_equal(rc_parse_manifest(t, len, &m, &err), RC_OK);
  assert_int_equal(m.nstations, 12092);
  assert_int_equal(m.ndistricts, 51);
  rc_manifest_free(&m);
  assert_int_equal(tt_parse(T_MANIFEST, t, len, &err), RC_OK);
  free(t);
}

static void test_standard(void **state) {
  (void)state;
  /* the valid prefixes: cut after each station line but the last */
  tt_standard(T_MANIFEST, "manifest", 3, 4000);
}

/* 64 choices accepted, 65 refused. */
static void test_max_choices(void **state) {
  (void)state;
  for (int n = RC_MAX_CHOICES; n <= RC_MAX_CHOICES + 1; n++) {
    struct rc_buf b = {0}, t = {0};
    for (int i = 0; i < n; i++) rc_buf_printf(&b, "choice c%02d C %d\n", i, i);
    size_t len;
    uint8_t *m = tt_sample(T_MANIFEST, &len);
    const char *c0 = strstr((char *)m, "choice yes");
    const char *d0 = strstr((char *)m, "district duhok");
    assert_non_null(c0);
    assert_non_null(d0);
    rc_buf_put(&t, m, (size_t)(c0 - (char *)m));
    rc_buf_put(&t, b.p, b.len);
    rc_buf_put(&t, d0, len - (size_t)(d0 - (char *)m));
    struct rc_error err;
    int rc = tt_parse(T_MANIFEST, t.p, t.len, &err);
    if (n == RC_MAX_CHOICES) {
      assert_int_equal(rc, RC_OK);
    } else {
      assert_int_equal(rc, RC_ERR_LIMIT);
      assert_int_equal(err.line, 5 + RC_MAX_CHOICES);
    }
    rc_buf_free(&t);
    rc_buf_free(&b);
    free(m);
  }
}

/* 256 witnesses accepted, 257 refused. */
static void test_max_witnesses(void **state) {
  (void)state;
  uint64_t rs = 1;
  for (int n = RC_MAX_WITNESSES; n <= RC_MAX_WITNESSES + 1; n++) {
    struct rc_buf t = {0};
    rc_buf_puts(&t, "recount manifest v1\nelection e\norigin o\ntitle T\n"
                    "choice y Y\ndistrict d D\n");
    for (int i = 0; i < n; i++) {
      char name[16];
      snprintf(name, sizeof name, "w%03d", i);
      rc_buf_puts(&t, "witness ");
      tt_make_vkey(name, &rs, &t);
      rc_buf_putc(&t, '\n');
    }
    rc_buf_puts(&t, "station s d 1 ");
    tt_make_vkey("s", &rs, &t);
    rc_buf_putc(&t, '\n');
    struct rc_error err;
    int rc = tt_parse(T_MANIFEST, t.p, t.len, &err);
    if (n == RC_MAX_WITNESSES) {
      assert_int_equal(rc, RC_OK);
    } else {
      assert_int_equal(rc, RC_ERR_LIMIT);
      assert_int_equal(err.line, 7 + RC_MAX_WITNESSES);
    }
    rc_buf_free(&t);
  }
}

static void test_sizes(void **state) {
  (void)state;
  struct rc_error err;
  struct rc_manifest m;
  assert_int_equal(rc_parse_manifest(NULL, RC_MANIFEST_MAX + 1, &m, &err),
                   RC_ERR_LIMIT);
  assert_null(m.arena);
  assert_int_equal(tt_parse(T_MANIFEST, (const uint8_t *)"", 0, &err),
                   RC_ERR_SYNTAX);
  assert_int_equal(rc_parse_manifest((const uint8_t *)"x\n", 2, &m, NULL),
                   RC_ERR_SYNTAX);
}

static void test_encoder_refuses(void **state) {
  (void)state;
  struct rc_error err;
  struct rc_buf b = {0};
  size_t len;
  uint8_t *t = tt_sample(T_MANIFEST, &len);
  struct rc_manifest m;
  assert_int_equal(rc_parse_manifest(t, len, &m, &err), RC_OK);
  free(t);
  char *keep = m.choices[0].name;
  m.choices[0].name = (char *)"two  spaces";
  assert_int_not_equal(rc_encode_manifest(&m, &b), RC_OK);
  m.choices[0].name = (char *)"\x01";
  assert_int_not_equal(rc_encode_manifest(&m, &b), RC_OK);
  m.choices[0].name = keep;
  m.stations[1].registered = RC_COUNT_LIMIT;
  assert_int_not_equal(rc_encode_manifest(&m, &b), RC_OK);
  m.stations[1].registered = 388;
  m.stations[1].district = 3;
  assert_int_not_equal(rc_encode_manifest(&m, &b), RC_OK);
  m.stations[1].district = 1;
  char *sid = m.stations[1].id;
  m.stations[1].id = m.stations[2].id; /* not ascending */
  assert_int_not_equal(rc_encode_manifest(&m, &b), RC_OK);
  m.stations[1].id = sid;
  assert_int_equal(b.len, 0);
  assert_int_equal(rc_encode_manifest(&m, &b), RC_OK);
  assert_int_equal(b.len, len);
  rc_buf_free(&b);
  rc_manifest_free(&m);
}

/* A manifest of 1,000,000 stations (about 100 MB): time and memory. The
 * station count can be lowered with RC_TEST_STATIONS (e.g. under
 * sanitizers). */
static void test_million(void **state) {
  (void)state;
  uint64_t nst64 = 1000000;
  const char *env = getenv("RC_TEST_STATIONS");
  if (env && *env &&
      (rc_parse_u64(env, strlen(env), 7, &nst64) != RC_OK || nst64 == 0))
    fail_msg("RC_TEST_STATIONS must be a number of 1 to 7 digits");
  size_t nst = (size_t)nst64;
  const size_t ndist = 1000;
  uint64_t rs = 2;
  struct rc_buf t = {0};
  rc_buf_puts(&t, "recount manifest v1\nelection big\norigin big.example/e\n"
                  "title A large synthetic manifest\nchoice yes Yes\n"
                  "choice no No\n");
  for (size_t d = 0; d < ndist; d++)
    rc_buf_printf(&t, "district d%04zu District %zu\n", d, d);
  char name[48];
  for (size_t i = 0; i < nst; i++) {
    snprintf(name, sizeof name, "station-key.s%07zu", i);
    rc_buf_printf(&t, "station s%07zu d%04zu %zu ", i, i % ndist, 300 + i % 97);
    tt_make_vkey(name, &rs, &t);
    rc_buf_putc(&t, '\n');
  }
  assert_false(t.oom);
  struct rc_manifest m;
  struct rc_error err;
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  assert_int_equal(rc_parse_manifest(t.p, t.len, &m, &err), RC_OK);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double secs =
      (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
  assert_int_equal(m.nstations, nst);
  assert_int_equal(m.districts[7].nstations,
                   nst / ndist + (7 < nst % ndist ? 1 : 0));
  for (size_t i = 0; i < nst; i += 9973) {
    char id[32];
    snprintf(id, sizeof id, "s%07zu", i);
    assert_int_equal(rc_manifest_station(&m, id, 8), (long)i);
  }
  assert_int_equal(rc_manifest_station(&m, "s9999999", 8), -1);
  struct rc_buf e = {0};
  assert_int_equal(rc_encode_manifest(&m, &e), RC_OK);
  tt_same_bytes("manifest of 1M stations", &e, t.p, t.len);
  rc_buf_free(&e);
  rc_manifest_free(&m);
  printf("manifest: %zu stations (%.1f MB) parsed in %.2f s, %zu bytes of "
         "struct per station plus its id and key name; re-encoded byte for "
         "byte\n",
         nst, (double)t.len / 1e6, secs, sizeof(struct rc_station));
  rc_buf_free(&t);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_sample),
      cmocka_unit_test(test_krd),
      cmocka_unit_test(test_standard),
      cmocka_unit_test(test_max_choices),
      cmocka_unit_test(test_max_witnesses),
      cmocka_unit_test(test_sizes),
      cmocka_unit_test(test_encoder_refuses),
      cmocka_unit_test(test_million),
  };
  return cmocka_run_group_tests_name("manifest", tests, NULL, NULL);
}
