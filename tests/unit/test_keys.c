/* test_keys.c — key names, key ids, verifier keys and key files
 * (formats/keys.c), and the signer-key encoding (sign/skey.c) on the same
 * published keys: testvectors/notes/signed_notes.txt (see SOURCES.md
 * there) gives verifier and signer keys, and bad verifier keys; every
 * substring and single-byte substitution of the published keys is refused;
 * the key names and verifier keys of testvectors/limits/keys.txt give
 * their result (code and field); key files (good,
 * malformed, oversized, symlink, FIFO, directory, missing). */
#include "notetest.h"

/* ---- key names, ids, verifier keys ------------------------------------- */

/* testvectors/limits/keys.txt: key names and verifier keys with the
 * result each must give. */
static void test_key_cases(void **state) {
  (void)state;
  size_t flen, names[2] = {0}, vkeys = 0;
  char *file = (char *)tu_read_file("testvectors/limits/keys.txt", &flen);
  char *cur = file, *line;
  while ((line = tu_case_line(&cur, "keys.txt"))) {
    char *f[4];
    if (tu_tabs(line, f, 4) != 3) fail_msg("keys.txt: bad case '%s'", line);
    struct rc_buf in = {0};
    tu_unescape(f[1], strlen(f[1]), &in);
    const char *str = in.p ? (const char *)in.p : "";
    if (!strcmp(f[0], "name")) {
      int want = !strcmp(f[2], "ok");
      if (rc_keyname_valid(str, in.len) != want)
        fail_msg("key name '%s': expected %s", f[1], f[2]);
      names[want]++;
    } else if (!strcmp(f[0], "vkey")) {
      struct rc_vkey k;
      struct rc_error err;
      rc_error_clear(&err);
      int rc = rc_vkey_parse(str, in.len, &k, &err);
      if (!strcmp(f[2], "ok")) {
        if (rc != RC_OK) fail_msg("vkey '%s': %s", f[1], err.msg);
      } else {
        char *field = strchr(f[2], '/');
        if (!field) fail_msg("keys.txt: result '%s' has no field", f[2]);
        *field++ = 0;
        if (rc != tu_code(f[2]) || strcmp(err.field, field) != 0)
          fail_msg("vkey '%s': got %s field '%s' (%s), expected %s field "
                   "'%s'",
                   f[1], rc_err_str((enum rc_err)rc), err.field, err.msg, f[2],
                   field);
        assert_null(k.name); /* outputs cleared on failure */
      }
      vkeys++;
    } else {
      fail_msg("keys.txt: unknown case type '%s'", f[0]);
    }
    rc_buf_free(&in);
  }
  free(file);
  assert_true(names[0] > 0 && names[1] > 0 && vkeys > 0);
  printf("keys.txt: %zu valid and %zu invalid key names, %zu verifier keys "
         "with the expected code and field\n",
         names[1], names[0], vkeys);
}

/* Key parsers under test, as "does s[0..n) parse" (ctx: an rc_skey for
 * the signer-key parser). */
typedef int (*parses_fn)(const char *s, size_t n, void *ctx);

static int vkey_parses(const char *s, size_t n, void *ctx) {
  (void)ctx;
  struct rc_vkey x;
  struct rc_error err;
  return rc_vkey_parse(s, n, &x, &err) == RC_OK;
}

static int skey_parses(const char *s, size_t n, void *ctx) {
  struct rc_error err;
  return rc_skey_parse(s, n, ctx, &err) == RC_OK;
}

/* Every proper prefix and proper substring of s[0..L) is refused; returns
 * how many were tried. */
static size_t refuse_substrings(const char *what, const char *s, size_t L,
                                parses_fn parses, void *ctx) {
  size_t tried = 0;
  for (size_t i = 0; i < L; i++)
    for (size_t j = i; j <= L; j++) {
      if (i == 0 && j == L) continue;
      if (parses(s + i, j - i, ctx))
        fail_msg("%s substring [%zu,%zu) accepted", what, i, j);
      tried++;
    }
  return tried;
}

/* Every single-byte substitution of s[0..L) is refused; returns how many
 * were tried. */
static size_t refuse_substitutions(const char *what, const char *s, size_t L,
                                   parses_fn parses, void *ctx) {
  size_t tried = 0;
  char *mut = strndup(s, L);
  assert_non_null(mut);
  for (size_t i = 0; i < L; i++) {
    for (int v = 0; v < 256; v++) {
      if ((char)v == s[i]) continue;
      mut[i] = (char)v;
      if (parses(mut, L, ctx))
        fail_msg("%s with byte %zu = 0x%02x accepted", what, i, v);
      tried++;
    }
    mut[i] = s[i];
  }
  free(mut);
  return tried;
}

/* Every published key: the verifier key parses, its key id (also via
 * libsodium's SHA-256) and canonical re-encoding, every single-byte
 * substitution refused; the signer key (where published) parses to the
 * same key and re-encodes. For PeterNeumann also every proper substring of
 * both keys and every single-byte substitution of the signer key. */
static void test_keys(void **state) {
  (void)state;
  size_t len, nkeys = 0, nskeys = 0, nbad = 0;
  size_t vsubs = 0, vsubstr = 0, ssubs = 0, ssubstr = 0;
  char *buf = (char *)tu_read_file("testvectors/notes/signed_notes.txt", &len);
  char *cur = buf, *f[8];
  size_t nf;
  while ((nf = tu_fields(&cur, f, 8)) > 0) {
    struct rc_vkey k;
    struct rc_error err;
    if (!strcmp(f[0], "badvkey")) {
      assert_int_not_equal(rc_vkey_parse(f[1], strlen(f[1]), &k, &err), RC_OK);
      nbad++;
      continue;
    }
    if (strcmp(f[0], "key")) continue;
    assert_int_equal(nf, 4);
    size_t L = strlen(f[1]);
    assert_int_equal(rc_vkey_parse(f[1], L, &k, &err), RC_OK);
    assert_ptr_equal(k.name, f[1]);
    size_t idn;
    uint8_t *id = tu_unhex(f[3], 8, &idn);
    assert_non_null(id);
    assert_memory_equal(k.id, id, 4);
    free(id);
    /* key id = SHA-256(name || 0x0A || 0x01 || pk)[:4], independently */
    uint8_t h[32], in[RC_KEYNAME_MAX + 34], id2[4];
    memcpy(in, k.name, k.namelen);
    in[k.namelen] = 0x0a;
    in[k.namelen + 1] = 0x01;
    memcpy(in + k.namelen + 2, k.pk, 32);
    crypto_hash_sha256(h, in, k.namelen + 34);
    assert_memory_equal(h, k.id, 4);
    rc_key_id(k.name, k.namelen, k.pk, id2);
    assert_memory_equal(id2, k.id, 4);
    struct rc_buf b = {0};
    rc_vkey_encode(&k, &b);
    assert_int_equal(b.len, L);
    assert_memory_equal(b.p, f[1], L);
    rc_buf_free(&b);
    vsubs += refuse_substitutions(f[1], f[1], L, vkey_parses, NULL);
    int peter = !strncmp(f[1], "PeterNeumann+", 13);
    if (peter) vsubstr += refuse_substrings(f[1], f[1], L, vkey_parses, NULL);
    if (strcmp(f[2], "-")) {
      struct rc_skey *sk = rc_skey_new();
      assert_non_null(sk);
      size_t SL = strlen(f[2]);
      assert_int_equal(rc_skey_parse(f[2], SL, sk, &err), RC_OK);
      assert_memory_equal(sk->pk, k.pk, 32);
      assert_memory_equal(sk->id, k.id, 4);
      char text[RC_SKEY_TEXT_MAX];
      size_t tl = rc_skey_encode(sk, text);
      assert_int_equal(tl, SL + 1);
      assert_memory_equal(text, f[2], SL);
      assert_int_equal(text[SL], '\n');
      sodium_memzero(text, sizeof text);
      if (peter) {
        ssubstr += refuse_substrings(f[2], f[2], SL, skey_parses, sk);
        ssubs += refuse_substitutions(f[2], f[2], SL, skey_parses, sk);
      }
      rc_skey_free(sk);
      nskeys++;
    }
    nkeys++;
  }
  assert_int_equal(nkeys, 12);
  assert_true(nbad >= 2 && nskeys > 0 && vsubstr > 0 && ssubstr > 0 &&
              ssubs > 0);
  printf("keys: %zu verifier keys parsed, ids checked (twice), re-encoded; "
         "%zu signer keys parsed to the same key, re-encoded; %zu bad "
         "verifier keys and %zu single-byte substitutions of verifier keys "
         "rejected; PeterNeumann: %zu verifier-key and %zu signer-key "
         "substrings, %zu signer-key substitutions rejected\n",
         nkeys, nskeys, nbad, vsubs, vsubstr, ssubstr, ssubs);
  free(buf);
}

/* Algorithm byte 0x02 with a key id that matches it: refused for the
 * algorithm, not the id. */
static void test_vkey_algorithm(void **state) {
  (void)state;
  struct rc_vkey k;
  struct rc_error err;
  /* algorithm byte 0x02 with a matching id is still refused */
  uint8_t raw[33], id[4];
  memset(raw, 7, sizeof raw);
  raw[0] = 0x02;
  rc_key_id("x", 1, raw + 1, id);
  char s[128];
  int o =
      snprintf(s, sizeof s, "x+%02x%02x%02x%02x+", id[0], id[1], id[2], id[3]);
  rc_b64_encode(raw, sizeof raw, s + o);
  assert_int_equal(rc_vkey_parse(s, strlen(s), &k, &err), RC_ERR_KEY);
  assert_non_null(strstr(err.msg, "algorithm"));
  assert_string_equal(err.field, "key");
}

/* ---- key files ---------------------------------------------------------- */

static char tmpdir[64];

static const char *put(const char *name, const void *data, size_t n) {
  static char path[128];
  snprintf(path, sizeof path, "%s/%s", tmpdir, name);
  tu_write_file(path, data, n);
  return path;
}

static void test_key_files(void **state) {
  (void)state;
  const char *P = PETER_VKEY;
  snprintf(tmpdir, sizeof tmpdir, "/tmp/rc-keyfile-XXXXXX");
  assert_non_null(mkdtemp(tmpdir));
  struct rc_vkey k;
  struct rc_error err;
  char namebuf[RC_KEYNAME_MAX + 1];
  char line[200];
  snprintf(line, sizeof line, "%s\n", P);
  const char *p = put("good.vkey", line, strlen(line));
  assert_int_equal(rc_vkey_read_file(p, &k, namebuf, &err), RC_OK);
  assert_ptr_equal(k.name, namebuf);
  assert_string_equal(namebuf, "PeterNeumann");
  assert_int_equal(k.namelen, 12);
  size_t cases = 1;
  /* malformed contents: each refused, the message names the file */
  static const struct {
    const char *what, *data;
    int code;
  } bad[] = {
      {"no newline",
       "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
       RC_ERR_KEY},
      {"two newlines",
       "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW\n\n",
       RC_ERR_KEY},
      {"CRLF",
       "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW\r\n",
       RC_ERR_KEY},
      {"empty", "", RC_ERR_KEY},
      {"newline only", "\n", RC_ERR_KEY},
      {"leading space",
       " PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW\n",
       RC_ERR_KEY},
      {"two keys",
       "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW\n"
       "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW\n",
       RC_ERR_KEY},
      {"wrong id",
       "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW\n",
       RC_ERR_KEYID},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++, cases++) {
    p = put("bad.vkey", bad[i].data, strlen(bad[i].data));
    rc_error_clear(&err);
    int rc = rc_vkey_read_file(p, &k, namebuf, &err);
    if (rc != bad[i].code)
      fail_msg("%s: got %d (%s)", bad[i].what, rc, err.msg);
    assert_non_null(strstr(err.msg, p));
    assert_int_equal(err.line, 1);
    assert_null(k.name);
  }
  /* larger than RC_KEYFILE_MAX: refused whatever it holds */
  char *big = malloc(RC_KEYFILE_MAX + 2);
  memset(big, 'a', RC_KEYFILE_MAX + 1);
  big[RC_KEYFILE_MAX] = '\n';
  p = put("big.vkey", big, RC_KEYFILE_MAX + 1);
  assert_int_equal(rc_vkey_read_file(p, &k, namebuf, &err), RC_ERR_LIMIT);
  assert_non_null(strstr(err.msg, p));
  free(big);
  cases++;
  /* a symlink to a good key is not followed */
  char good[128], link[128];
  snprintf(good, sizeof good, "%s/good.vkey", tmpdir);
  snprintf(link, sizeof link, "%s/link.vkey", tmpdir);
  assert_int_equal(symlink(good, link), 0);
  assert_int_equal(rc_vkey_read_file(link, &k, namebuf, &err), RC_ERR_IO);
  assert_non_null(strstr(err.msg, link));
  cases++;
  /* a FIFO is neither blocked on nor read */
  char fifo[128];
  snprintf(fifo, sizeof fifo, "%s/fifo.vkey", tmpdir);
  assert_int_equal(mkfifo(fifo, 0600), 0);
  assert_int_equal(rc_vkey_read_file(fifo, &k, namebuf, &err), RC_ERR_IO);
  cases++;
  /* a directory, a missing file */
  assert_int_equal(rc_vkey_read_file(tmpdir, &k, namebuf, &err), RC_ERR_IO);
  char missing[128];
  snprintf(missing, sizeof missing, "%s/missing.vkey", tmpdir);
  assert_int_equal(rc_vkey_read_file(missing, &k, namebuf, &err), RC_ERR_IO);
  assert_non_null(strstr(err.msg, missing));
  /* err may be NULL */
  assert_int_equal(rc_vkey_read_file(missing, &k, namebuf, NULL), RC_ERR_IO);
  p = put("bad.vkey", "x+00000000+AAAA\n", 16);
  assert_int_not_equal(rc_vkey_read_file(p, &k, namebuf, NULL), RC_OK);
  cases += 4;
  static const char *const names[] = {"good.vkey", "bad.vkey", "big.vkey",
                                      "link.vkey", "fifo.vkey"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    char q[128];
    snprintf(q, sizeof q, "%s/%s", tmpdir, names[i]);
    unlink(q);
  }
  rmdir(tmpdir);
  printf("key files: %zu cases (good, malformed, oversized, symlink, FIFO, "
         "directory, missing)\n",
         cases);
}

int main(void) {
  if (rc_crypto_init() != 0) return 1;
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_key_cases),
      cmocka_unit_test(test_keys),
      cmocka_unit_test(test_vkey_algorithm),
      cmocka_unit_test(test_key_files),
  };
  return cmocka_run_group_tests_name("keys", tests, NULL, NULL);
}
