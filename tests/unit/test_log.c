/* test_log.c — the release log, log.txt (formats/log.c, RECORD.md v1.1
 * §3):
 *
 *   - the Kurdistan record's log (12,092 lines) parses and re-encodes byte
 *     for byte, and its first entry is the station and hash it names;
 *   - the named rejections, each with its line and field: no space, a
 *     station that is not an identifier, base64 without padding or with
 *     non-zero unused bits, a hash of 31 bytes, CR LF, two spaces, a
 *     trailing space, an empty line, no final newline, a tab, non-ASCII;
 *   - every prefix and every single-byte change of a three-line log either
 *     fails (output empty) or re-encodes to exactly itself;
 *   - the empty log; the encoder refusing a station id the parser would. */
#include "log.h"
#include "testutil.h"
#include "texts.h"

#define KRD_LOG "testvectors/krd-2017/record/log.txt"

static const char sample[] =
    "akre.0001 jSW/pt2KWP/5+K5VotdnlipGQ6ar3QinJ+Cfpfzp9vE=\n"
    "akre.0002 97VkSKVMy4xEg6+kqlgw7p0lUAbpqll4bEEKnYbuvlc=\n"
    "diaspora.e0001 LcF0C5+t4qzv67TfkritVJoSa3F2YwdSGQ6LS8+SaqU=\n";

/* Parses buf; on success requires the exact bytes back. */
static int parse_round(const uint8_t *buf, size_t len, struct rc_error *err) {
  struct rc_log l;
  int rc = rc_parse_log(buf, len, &l, err);
  if (rc != RC_OK) {
    assert_null(l.v);
    assert_int_equal(l.n, 0);
    assert_int_equal(err->code, rc);
    return rc;
  }
  struct rc_buf b = {0};
  assert_int_equal(rc_encode_log(&l, buf, &b), RC_OK);
  assert_int_equal(b.len, len);
  assert_memory_equal(b.p, buf, len);
  rc_buf_free(&b);
  rc_log_free(&l);
  return RC_OK;
}

static void test_krd(void **state) {
  (void)state;
  size_t len;
  uint8_t *buf = tu_read_file(KRD_LOG, &len);
  struct rc_log l;
  struct rc_error err;
  assert_int_equal(parse_round(buf, len, &err), RC_OK);
  assert_int_equal(rc_parse_log(buf, len, &l, &err), RC_OK);
  assert_int_equal(l.n, 12092);
  assert_int_equal(l.v[0].id_off, 0);
  assert_memory_equal(buf, "erbil-centre.0001 ", 18);
  assert_int_equal(l.v[0].id_len, 17);
  rc_log_free(&l);
  free(buf);
}

struct bad {
  const char *what, *text, *field;
  enum rc_err code;
  size_t line;
};

static void test_rejections(void **state) {
  (void)state;
  static const struct bad cases[] = {
      {"no space", "akre.0001\n", "hash", RC_ERR_SYNTAX, 1},
      {"uppercase station",
       "ok.1 jSW/pt2KWP/5+K5VotdnlipGQ6ar3QinJ+Cfpfzp9vE=\n"
       "AKRE.1 jSW/pt2KWP/5+K5VotdnlipGQ6ar3QinJ+Cfpfzp9vE=\n",
       "station", RC_ERR_SYNTAX, 2},
      {"no padding", "a jSW/pt2KWP/5+K5VotdnlipGQ6ar3QinJ+Cfpfzp9vE\n", "hash",
       RC_ERR_BASE64, 1},
      {"non-zero unused bits",
       "a jSW/pt2KWP/5+K5VotdnlipGQ6ar3QinJ+Cfpfzp9vF=\n", "hash",
       RC_ERR_BASE64, 1},
      {"31 bytes", "a jSW/pt2KWP/5+K5VotdnlipGQ6ar3QinJ+Cfpfzp9g==\n", "hash",
       RC_ERR_BASE64, 1},
      {"hash and more", "a jSW/pt2KWP/5+K5VotdnlipGQ6ar3QinJ+Cfpfzp9vE= x\n",
       "hash", RC_ERR_BASE64, 1},
      {"CR LF", "a jSW/pt2KWP/5+K5VotdnlipGQ6ar3QinJ+Cfpfzp9vE=\r\n", "line",
       RC_ERR_SYNTAX, 1},
      {"two spaces", "a  jSW/pt2KWP/5+K5VotdnlipGQ6ar3QinJ+Cfpfzp9vE=\n",
       "line", RC_ERR_SYNTAX, 1},
      {"trailing space", "a jSW/pt2KWP/5+K5VotdnlipGQ6ar3QinJ+Cfpfzp9vE= \n",
       "line", RC_ERR_SYNTAX, 1},
      {"empty line", "a jSW/pt2KWP/5+K5VotdnlipGQ6ar3QinJ+Cfpfzp9vE=\n\n",
       "line", RC_ERR_SYNTAX, 2},
      {"no final newline", "a jSW/pt2KWP/5+K5VotdnlipGQ6ar3QinJ+Cfpfzp9vE=",
       "line", RC_ERR_SYNTAX, 1},
      {"tab", "a\tjSW/pt2KWP/5+K5VotdnlipGQ6ar3QinJ+Cfpfzp9vE=\n", "line",
       RC_ERR_SYNTAX, 1},
      {"non-ASCII station",
       "\xd9\x87 jSW/pt2KWP/5+K5VotdnlipGQ6ar3QinJ+Cfpfzp9vE=\n", NULL,
       RC_ERR_SYNTAX, 1},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const struct bad *c = &cases[i];
    struct rc_error err;
    int rc = parse_round((const uint8_t *)c->text, strlen(c->text), &err);
    if (rc != (int)c->code || err.line != c->line ||
        (c->field && strcmp(err.field, c->field) != 0))
      fail_msg("%s: got %d line %zu field '%s' (%s)", c->what, rc, err.line,
               err.field, err.msg);
  }
}

static void test_mutations(void **state) {
  (void)state;
  size_t n = strlen(sample), parsed = 0;
  uint8_t buf[sizeof sample];
  struct rc_error err;
  assert_int_equal(parse_round((const uint8_t *)sample, n, &err), RC_OK);
  for (size_t k = 0; k < n; k++) /* prefixes: valid only at line ends */
    if (parse_round((const uint8_t *)sample, k, &err) == RC_OK) {
      assert_true(k == 0 || sample[k - 1] == '\n');
      parsed++;
    }
  assert_int_equal(parsed, 3);
  for (size_t k = 0; k < n; k++)
    for (int v = 0; v < 256; v++) {
      memcpy(buf, sample, n);
      if (buf[k] == (uint8_t)v) continue;
      buf[k] = (uint8_t)v;
      (void)parse_round(buf, n, &err);
    }
}

static void test_empty_and_encoder(void **state) {
  (void)state;
  struct rc_log l;
  struct rc_error err;
  assert_int_equal(rc_parse_log((const uint8_t *)"", 0, &l, &err), RC_OK);
  assert_int_equal(l.n, 0);
  rc_log_free(&l);
  assert_int_equal(rc_parse_log(NULL, RC_LOG_FILE_MAX + 1, &l, NULL),
                   RC_ERR_LIMIT);
  struct rc_buf b = {0};
  uint8_t sha[32] = {0};
  assert_int_equal(rc_encode_log_entry("Bad", sha, &b), RC_ERR_USAGE);
  assert_int_equal(rc_encode_log_entry("", sha, &b), RC_ERR_USAGE);
  assert_int_equal(b.len, 0);
  assert_int_equal(rc_encode_log_entry("ok.1", sha, &b), RC_OK);
  assert_int_equal(b.len, 5 + 44 + 1);
  rc_buf_free(&b);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_krd),
      cmocka_unit_test(test_rejections),
      cmocka_unit_test(test_mutations),
      cmocka_unit_test(test_empty_and_encoder),
  };
  return cmocka_run_group_tests_name("log", tests, NULL, NULL);
}
