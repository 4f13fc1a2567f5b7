/* test_skey.c — signer key files (sign/skey.c): plain and encrypted files
 * saved and loaded back to the same key, never overwritten, refused when
 * readable by others; the encrypted file's kdf line read strictly (the
 * Argon2id parameters are decimal without a leading zero, within
 * libsodium's limits); a wrong passphrase, a missing one and an altered
 * file refused with their own codes. (The key encoding itself is tested
 * in test_keys.c on the published keys.) */
#include <sys/stat.h>
#include <unistd.h>

#include "notetest.h"

static char dir[64];

static const char *path_in(const char *name) {
  static char p[128];
  snprintf(p, sizeof p, "%s/%s", dir, name);
  return p;
}

static struct rc_skey *make_key(void) {
  uint8_t seed[32];
  struct rc_error err;
  memset(seed, 0x42, sizeof seed);
  struct rc_skey *k = rc_skey_new();
  assert_non_null(k);
  assert_int_equal(rc_skey_from_seed(k, "station.test", seed, &err), RC_OK);
  return k;
}

static void same_key(const struct rc_skey *a, const struct rc_skey *b) {
  assert_int_equal(a->namelen, b->namelen);
  assert_memory_equal(a->name, b->name, a->namelen);
  assert_memory_equal(a->id, b->id, 4);
  assert_memory_equal(a->pk, b->pk, 32);
  assert_memory_equal(a->sk, b->sk, 64);
}

static void test_plain(void **state) {
  (void)state;
  struct rc_error err;
  struct rc_skey *k = make_key(), *l = rc_skey_new();
  const char *p = path_in("plain.key");
  assert_int_equal(rc_skey_save(p, k, NULL, 0, 0, 0, &err), RC_OK);
  struct stat st;
  assert_int_equal(stat(p, &st), 0);
  assert_int_equal(st.st_mode & 0777, 0600);
  assert_int_equal(rc_skey_file_encrypted(p), 0);
  int enc = -1;
  assert_int_equal(rc_skey_load(p, NULL, 0, l, &enc, &err), RC_OK);
  assert_int_equal(enc, 0);
  same_key(k, l);
  /* never overwritten */
  assert_int_equal(rc_skey_save(p, k, NULL, 0, 0, 0, &err), RC_ERR_EXISTS);
  /* readable by the group: refused */
  assert_int_equal(chmod(p, 0640), 0);
  assert_int_not_equal(rc_skey_load(p, NULL, 0, l, &enc, &err), RC_OK);
  assert_int_equal(rc_skey_file_encrypted(path_in("missing.key")), -1);
  rc_skey_free(k);
  rc_skey_free(l);
}

/* The encrypted file of key k under passphrase "pw" (fast parameters). */
static uint8_t *encrypted_file(const struct rc_skey *k, const char *name,
                               size_t *len) {
  struct rc_error err;
  const char *p = path_in(name);
  assert_int_equal(rc_skey_save(p, k, "pw", 2, crypto_pwhash_OPSLIMIT_MIN,
                                crypto_pwhash_MEMLIMIT_MIN, &err),
                   RC_OK);
  return tu_read_file(p, len);
}

/* Writes text (0600) as name and loads it with passphrase "pw". */
static int load_text(const char *name, const uint8_t *text, size_t n,
                     struct rc_skey *k, struct rc_error *err) {
  const char *p = path_in(name);
  unlink(p);
  tu_write_file(p, text, n);
  assert_int_equal(chmod(p, 0600), 0);
  return rc_skey_load(p, "pw", 2, k, NULL, err);
}

static void test_encrypted(void **state) {
  (void)state;
  struct rc_error err;
  struct rc_skey *k = make_key(), *l = rc_skey_new();
  size_t len;
  uint8_t *file = encrypted_file(k, "enc.key", &len);
  const char *p = path_in("enc.key");
  assert_int_equal(rc_skey_file_encrypted(p), 1);
  int enc = -1;
  assert_int_equal(rc_skey_load(p, "pw", 2, l, &enc, &err), RC_OK);
  assert_int_equal(enc, 1);
  same_key(k, l);
  assert_int_equal(rc_skey_load(p, "px", 2, l, &enc, &err), RC_ERR_KEY);
  assert_string_equal(err.field, "passphrase");
  assert_int_equal(rc_skey_load(p, NULL, 0, l, &enc, &err), RC_ERR_USAGE);
  /* a flipped byte of the sealed box */
  uint8_t *alt = malloc(len);
  memcpy(alt, file, len);
  alt[len - 5] ^= 1;
  int rc = load_text("alt.key", alt, len, l, &err);
  assert_true(rc == RC_ERR_KEY);
  free(alt);
  rc_skey_free(k);
  rc_skey_free(l);
  free(file);
}

/* The kdf line "kdf argon2id <opslimit> <memlimit>": each edit refused
 * (or, for the first, the file still opens). */
static void test_kdf_line(void **state) {
  (void)state;
  struct rc_skey *k = make_key(), *l = rc_skey_new();
  size_t len;
  uint8_t *file = encrypted_file(k, "kdf.key", &len);
  char want[64];
  snprintf(want, sizeof want, "kdf argon2id %llu %zu\n",
           (unsigned long long)crypto_pwhash_OPSLIMIT_MIN,
           (size_t)crypto_pwhash_MEMLIMIT_MIN);
  assert_non_null(memmem(file, len, want, strlen(want)));
  static const struct {
    const char *to; /* "%o" and "%m" stand for the saved values */
    int ok;
  } cases[] = {
      {"kdf argon2id %o %m\n", 1},
      {"kdf argon2id 0%o %m\n", 0}, /* leading zero */
      {"kdf argon2id %o 0%m\n", 0},
      {"kdf argon2id +%o %m\n", 0},                  /* sign */
      {"kdf argon2id %o  %m\n", 0},                  /* two spaces */
      {"kdf argon2id %o\n", 0},                      /* memlimit missing */
      {"kdf argon2id 18446744073709551616 %m\n", 0}, /* 2^64 */
      {"kdf argon2id 0 %m\n", 0},                    /* below OPSLIMIT_MIN */
      {"kdf argon2id %o 1024\n", 0},                 /* below MEMLIMIT_MIN */
      {"kdf argon2i %o %m\n", 0},                    /* another algorithm */
      {"kdf argon2id %o %m \n", 0},                  /* trailing space */
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char to[96], ops[24], mem[24];
    snprintf(ops, sizeof ops, "%llu",
             (unsigned long long)crypto_pwhash_OPSLIMIT_MIN);
    snprintf(mem, sizeof mem, "%zu", (size_t)crypto_pwhash_MEMLIMIT_MIN);
    size_t o = 0;
    for (const char *c = cases[i].to; *c && o < sizeof to - 24; c++) {
      if (c[0] == '%' && (c[1] == 'o' || c[1] == 'm')) {
        const char *v = c[1] == 'o' ? ops : mem;
        memcpy(to + o, v, strlen(v));
        o += strlen(v);
        c++;
      } else {
        to[o++] = *c;
      }
    }
    size_t n = 0;
    uint8_t *text = tu_replace(file, len, want, strlen(want), to, o, &n);
    assert_non_null(text);
    struct rc_error err;
    int rc = load_text("kdf-edit.key", text, n, l, &err);
    if (cases[i].ok) {
      assert_int_equal(rc, RC_OK);
      same_key(k, l);
    } else {
      if (rc == RC_OK) fail_msg("kdf line '%.*s' accepted", (int)o - 1, to);
      assert_int_equal(rc, RC_ERR_KEY);
      assert_string_equal(err.field, "kdf");
    }
    free(text);
  }
  rc_skey_free(k);
  rc_skey_free(l);
  free(file);
}

/* Keys from a descriptor (rc_skey_read): a pipe is read through
 * "/dev/fd/N" although that path is a link; a file reached that way must
 * still be 0600; a real path that is a symbolic link is refused; a pipe
 * of more than RC_KEYFILE_MAX bytes is refused, not cut. */
static void test_pipe(void **state) {
  (void)state;
  struct rc_error err;
  struct rc_skey *k = make_key(), *l = rc_skey_new();
  char *text = sodium_malloc(RC_SKEY_TEXT_MAX), *buf = NULL;
  size_t tl = rc_skey_encode(k, text), len = 0;
  char path[32];
  int fds[2];
  assert_int_equal(pipe(fds), 0);
  assert_int_equal(write(fds[1], text, tl), (ssize_t)tl);
  close(fds[1]);
  snprintf(path, sizeof path, "/dev/fd/%d", fds[0]);
  assert_int_equal(rc_skey_read(path, &buf, &len, &err), RC_OK);
  assert_int_equal(rc_skey_buf_encrypted(buf, len), 0);
  assert_int_equal(rc_skey_load_buf(buf, len, path, NULL, 0, l, NULL, &err),
                   RC_OK);
  same_key(k, l);
  rc_skey_buf_free(buf);
  close(fds[0]);
  /* more than RC_KEYFILE_MAX bytes through a pipe */
  assert_int_equal(pipe(fds), 0);
  static char big[RC_KEYFILE_MAX + 2];
  memset(big, 'a', sizeof big);
  assert_int_equal(write(fds[1], big, sizeof big), (ssize_t)sizeof big);
  close(fds[1]);
  snprintf(path, sizeof path, "/proc/self/fd/%d", fds[0]);
  assert_int_equal(rc_skey_read(path, &buf, &len, &err), RC_ERR_LIMIT);
  close(fds[0]);
  /* a file by descriptor: its permissions still count */
  char p[160];
  snprintf(p, sizeof p, "%s", path_in("fd.key"));
  assert_int_equal(rc_skey_save(p, k, NULL, 0, 0, 0, &err), RC_OK);
  int fd = open(p, O_RDONLY);
  assert_true(fd >= 0);
  snprintf(path, sizeof path, "/dev/fd/%d", fd);
  assert_int_equal(rc_skey_read(path, &buf, &len, &err), RC_OK);
  rc_skey_buf_free(buf);
  assert_int_equal(chmod(p, 0644), 0);
  assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
  assert_int_equal(rc_skey_read(path, &buf, &len, &err), RC_ERR_KEY);
  close(fd);
  assert_int_equal(chmod(p, 0600), 0);
  /* a descriptor that is not open */
  assert_int_equal(rc_skey_read("/dev/fd/999", &buf, &len, &err), RC_ERR_IO);
  /* a real path that is a link: O_NOFOLLOW */
  char link[160];
  snprintf(link, sizeof link, "%s", path_in("link.key"));
  assert_int_equal(symlink("fd.key", link), 0);
  assert_int_equal(rc_skey_read(link, &buf, &len, &err), RC_ERR_IO);
  assert_non_null(strstr(err.msg, "symbolic link"));
  unlink(link);
  unlink(p);
  sodium_free(text);
  rc_skey_free(k);
  rc_skey_free(l);
}

static int setup(void **state) {
  (void)state;
  snprintf(dir, sizeof dir, "/tmp/recount-skey-XXXXXX");
  return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  static const char *const names[] = {"plain.key", "enc.key", "alt.key",
                                      "kdf.key", "kdf-edit.key"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    unlink(path_in(names[i]));
  return rmdir(dir);
}

int main(void) {
  if (rc_crypto_init() != 0) return 1;
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_plain),
      cmocka_unit_test(test_encrypted),
      cmocka_unit_test(test_kdf_line),
      cmocka_unit_test(test_pipe),
  };
  return cmocka_run_group_tests_name("skey", tests, setup, teardown);
}
