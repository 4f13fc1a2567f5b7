/* test_hash.c — the SHA-256 wrapper (formats/hash.c): the FIPS 180-2
 * examples, agreement with OpenSSL's one-shot SHA256() for every split of
 * random messages (rc_sha256_2, rc_sha256_3, aliasing), and hashing from
 * several threads at once. (Its speed is measured by `make bench`, not
 * here.) */
#include "testutil.h"

#include <openssl/sha.h>
#include <pthread.h>

#include "hash.h"

static unsigned long g_cases;

/* splitmix64: deterministic pseudo-random numbers for the random trees. */
static uint64_t g_rng = 0x5eed2026c0ffee01ULL;
static uint64_t rnd(void) {
  uint64_t z = (g_rng += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}
static size_t rnd_below(size_t n) { return (size_t)(rnd() % (uint64_t)n); }

static void hex_of(const uint8_t *p, size_t n, char *out) {
  static const char d[] = "0123456789abcdef";
  for (size_t i = 0; i < n; i++) {
    out[2 * i] = d[p[i] >> 4];
    out[2 * i + 1] = d[p[i] & 15];
  }
  out[2 * n] = 0;
}

/* ------------------------------------------------------------------ */
/* SHA-256 wrapper                                                      */

static void test_sha256_kats(void **state) {
  (void)state;
  /* FIPS 180-2 examples. */
  static const struct {
    const char *msg;
    const char *hex;
  } kats[] = {
      {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
      {"abc",
       "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
      {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
  };
  uint8_t out[32];
  char hx[65];
  assert_int_equal(rc_hash_init(), RC_OK);
  for (size_t i = 0; i < sizeof kats / sizeof kats[0]; i++) {
    rc_sha256(kats[i].msg, strlen(kats[i].msg), out);
    hex_of(out, 32, hx);
    assert_string_equal(hx, kats[i].hex);
    g_cases++;
  }
  /* One million 'a'. */
  uint8_t *a = malloc(1000000);
  assert_non_null(a);
  memset(a, 'a', 1000000);
  rc_sha256(a, 1000000, out);
  hex_of(out, 32, hx);
  assert_string_equal(
      hx, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  free(a);
  g_cases++;
  /* NULL with length 0 is the empty message. */
  rc_sha256_3(NULL, 0, NULL, 0, NULL, 0, out);
  hex_of(out, 32, hx);
  assert_string_equal(hx, kats[0].hex);
  g_cases++;
}

/* rc_sha256{,_2,_3} agree with OpenSSL's one-shot SHA256() for every
 * split of random messages; out may alias the input. */
static void test_sha256_splits(void **state) {
  (void)state;
  uint8_t buf[1200] = {0}, want[32], got[32];
  for (size_t len = 0; len <= 1100; len += (len < 140 ? 1 : 37)) {
    for (size_t i = 0; i < len; i++) buf[i] = (uint8_t)rnd();
    SHA256(buf, len, want);
    rc_sha256(buf, len, got);
    assert_memory_equal(got, want, 32);
    size_t s1 = len ? rnd_below(len + 1) : 0;
    rc_sha256_2(buf, s1, buf + s1, len - s1, got);
    assert_memory_equal(got, want, 32);
    size_t s2 = s1 + (len - s1 ? rnd_below(len - s1 + 1) : 0);
    rc_sha256_3(buf, s1, buf + s1, s2 - s1, buf + s2, len - s2, got);
    assert_memory_equal(got, want, 32);
    g_cases += 3;
  }
  /* Aliasing: hash a 32-byte buffer into itself. */
  for (int i = 0; i < 32; i++) buf[i] = (uint8_t)i;
  SHA256(buf, 32, want);
  rc_sha256(buf, 32, buf);
  assert_memory_equal(buf, want, 32);
  g_cases++;
}

struct thread_job {
  uint8_t seed;
  int ok;
};

static void *hash_thread(void *arg) {
  struct thread_job *j = arg;
  uint8_t msg[500], got[32], want[32];
  j->ok = 1;
  for (int it = 0; it < 4000; it++) {
    for (size_t i = 0; i < sizeof msg; i++)
      msg[i] = (uint8_t)((size_t)j->seed + (size_t)it + i);
    size_t len = (size_t)(it % 500);
    rc_sha256_2(msg, len / 2, msg + len / 2, len - len / 2, got);
    SHA256(msg, len, want);
    if (memcmp(got, want, 32) != 0) j->ok = 0;
  }
  return NULL;
}

/* Several threads hash at once (each uses its own EVP context). */
static void test_sha256_threads(void **state) {
  (void)state;
  pthread_t t[6];
  struct thread_job jobs[6];
  for (int i = 0; i < 6; i++) {
    jobs[i].seed = (uint8_t)(i * 41);
    assert_int_equal(pthread_create(&t[i], NULL, hash_thread, &jobs[i]), 0);
  }
  for (int i = 0; i < 6; i++) {
    assert_int_equal(pthread_join(t[i], NULL), 0);
    assert_true(jobs[i].ok);
    g_cases++;
  }
}

static void test_count(void **state) {
  (void)state;
  /* 5 known answers, 3 * 166 splits + 1 aliasing, 6 threads */
  assert_int_equal(g_cases, 5 + 3 * 166 + 1 + 6);
  printf("sha256: %lu cases\n", g_cases);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_sha256_kats),
      cmocka_unit_test(test_sha256_splits),
      cmocka_unit_test(test_sha256_threads),
      cmocka_unit_test(test_count),
  };
  return cmocka_run_group_tests_name("hash", tests, NULL, NULL);
}
