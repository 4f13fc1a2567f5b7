/* test_csv.c — the RFC 4180 table parser (formats/csv.h).
 *
 *   - accepted tables, field by field: quotes, "" escapes, commas and
 *     newlines inside quotes, CRLF, LF and mixed row ends, a missing final
 *     row end, empty fields, a BOM, UTF-8;
 *   - refusals, each with its code, row, column and message: unterminated
 *     quote, a quote inside an unquoted field, text after a closing quote,
 *     lone CR, wrong number of fields, empty rows, NUL, control characters,
 *     invalid UTF-8 (overlong, surrogate, truncated, above U+10FFFF);
 *   - the limits RC_CSV_FIELD_MAX, RC_CSV_COLS_MAX, RC_CSV_ROWS_MAX and
 *     RC_CSV_FILE_MAX, each at the limit and one past;
 *   - the canonical encoding parses back to the same fields, and every
 *     prefix of the samples either fails or re-encodes stably;
 *   - the table step of `recount-sign manifest` (rc_manifest_from_tables):
 *     ids sorted bytewise, repeats reported in row order naming the first
 *     row, reused keys, the cap on kept messages, refused options. */
#include "manifest_tables.h"
#include "csv.h"
#include "ed25519.h"
#include "keys.h"
#include "testutil.h"
#include "texts.h"

/* Parses s (len n) and checks its fields against want: rows joined by
 * '|', fields by '^' (the samples use neither). */
static void expect_table(const char *s, size_t n, const char *want) {
  struct rc_csv t;
  struct rc_error err;
  int rc = rc_csv_parse((const uint8_t *)s, n, &t, &err);
  if (rc != RC_OK)
    fail_msg("refused: row %zu %s: %s", err.line, err.field, err.msg);
  struct rc_buf b = {0};
  for (size_t r = 0; r < t.nrows; r++) {
    if (r) rc_buf_putc(&b, '|');
    for (size_t i = 0; i < t.ncols; i++) {
      size_t fn;
      const char *f = rc_csv_field(&t, r, i, &fn);
      assert_int_equal(strlen(f), fn);
      if (i) rc_buf_putc(&b, '^');
      rc_buf_put(&b, f, fn);
    }
  }
  rc_buf_putc(&b, 0);
  assert_string_equal((const char *)b.p, want);
  rc_buf_free(&b);
  rc_csv_free(&t);
}
#define TABLE(lit, want) expect_table(lit, sizeof lit - 1, want)

static void test_accepts(void **state) {
  (void)state;
  TABLE("id,name\nd1,North\n", "id^name|d1^North");
  TABLE("id,name\r\nd1,North\r\n", "id^name|d1^North");
  TABLE("id,name\r\nd1,North\nd2,South\r\n", "id^name|d1^North|d2^South");
  TABLE("id,name\nd1,North", "id^name|d1^North"); /* no final LF */
  TABLE("id,name\nd1,", "id^name|d1^");           /* empty, at EOF */
  TABLE("a,b,c\n,,\n", "a^b^c|^^");               /* empty fields */
  TABLE("a,b\n\"x,y\",\"say \"\"hi\"\"\"\n", "a^b|x,y^say \"hi\"");
  TABLE("a,b\n\"line1\nline2\",z\n", "a^b|line1\nline2^z");
  TABLE("a,b\n\"cr\r\nlf\",\"\"\n", "a^b|cr\r\nlf^"); /* kept verbatim */
  TABLE("a\n\"\"\n", "a|");                           /* one empty field */
  TABLE("a\n\"\"\"\"\n", "a|\"");
  TABLE("a,b\n x , y \n", "a^b| x ^ y "); /* never trimmed */
  TABLE("a,b\nt\tab,1\n", "a^b|t\tab^1"); /* TAB allowed */
  TABLE("a\nNörth €𝄞\n", "a|Nörth €𝄞");
  TABLE("a\n", "a"); /* header only */
  TABLE("\"a,b\"\n1\n", "a,b|1");
}

static void test_bom(void **state) {
  (void)state;
  const char s[] = "\xEF\xBB\xBFid,name\r\nd1,x\r\n";
  struct rc_csv t;
  assert_int_equal(rc_csv_parse((const uint8_t *)s, sizeof s - 1, &t, NULL),
                   RC_OK);
  assert_int_equal(t.bom, 1);
  assert_string_equal(rc_csv_field(&t, 0, 0, NULL), "id");
  assert_int_equal(rc_csv_column(&t, "name"), 1);
  assert_int_equal(rc_csv_column(&t, "id"), 0);
  assert_int_equal(rc_csv_column(&t, "key"), -1);
  rc_csv_free(&t);
  assert_int_equal(rc_csv_parse((const uint8_t *)"id\n", 3, &t, NULL), RC_OK);
  assert_int_equal(t.bom, 0);
  rc_csv_free(&t);
  /* a BOM anywhere else is a character of its field */
  TABLE("a\n\xEF\xBB\xBFx\n", "a|\xEF\xBB\xBFx");
}

struct bad {
  const char *in;
  size_t len; /* 0: strlen(in) */
  enum rc_err code;
  size_t row;
  const char *field;
  const char *msg; /* substring of the message */
};

static const struct bad bads[] = {
    {"", 0, RC_ERR_SYNTAX, 1, "", "empty"},
    {"\xEF\xBB\xBF", 0, RC_ERR_SYNTAX, 1, "", "empty"},
    {"\n", 0, RC_ERR_SYNTAX, 1, "column 1", "header row is empty"},
    {"a,b\n\"x\n", 0, RC_ERR_SYNTAX, 2, "a", "not closed"},
    {"a,b\n1,2\n\"multi\nline\n3,4\n", 0, RC_ERR_SYNTAX, 3, "a", "not closed"},
    {"a,b\nx\"y,z\n", 0, RC_ERR_SYNTAX, 2, "a", "quote inside an unquoted"},
    {"a,b\nx,y\"\n", 0, RC_ERR_SYNTAX, 2, "b", "quote inside an unquoted"},
    {"a,b\n\"x\"y,z\n", 0, RC_ERR_SYNTAX, 2, "a", "after the closing quote"},
    {"a,b\n\"x\" ,z\n", 0, RC_ERR_SYNTAX, 2, "a", "after the closing quote"},
    {"a,b\n\"x\"\r,z\n", 0, RC_ERR_SYNTAX, 2, "a", "not followed by LF"},
    {"a,b\rx,y\n", 0, RC_ERR_SYNTAX, 1, "column 2", "CR not followed by LF"},
    {"a,b\n1,2\r", 0, RC_ERR_SYNTAX, 2, "b", "CR not followed by LF"},
    {"a,b\n1,2,3\n", 0, RC_ERR_SYNTAX, 2, "column 3", "more fields than"},
    {"a,b,c\n1,2\n", 0, RC_ERR_SYNTAX, 2, "c", "the row has 2 fields"},
    {"a,b,c\n1\n", 0, RC_ERR_SYNTAX, 2, "b", "the row has 1 field,"},
    {"a,b\n1,2\n\n3,4\n", 0, RC_ERR_SYNTAX, 3, "a", "the row is empty"},
    {"a,b\n1,2\n\r\n", 0, RC_ERR_SYNTAX, 3, "a", "the row is empty"},
    {"a\nx\n\n", 0, RC_ERR_SYNTAX, 3, "a", "the row is empty"},
    {"a,b\n1,x\0y\n", 10, RC_ERR_SYNTAX, 2, "b", "NUL"},
    {"a,b\n1,\"x\0y\"\n", 12, RC_ERR_SYNTAX, 2, "b", "NUL"},
    {"a,b\n1,x\x01y\n", 0, RC_ERR_SYNTAX, 2, "b", "control character 0x01"},
    {"a,b\n1,\"x\x1b\"\n", 0, RC_ERR_SYNTAX, 2, "b", "control character 0x1b"},
    {"a,b\n1,x\x7f\n", 0, RC_ERR_SYNTAX, 2, "b", "control character 0x7f"},
    {"a,b\n\xff,1\n", 0, RC_ERR_SYNTAX, 2, "a", "invalid UTF-8 (byte 0xff)"},
    {"a,b\n\xc0\xaf,1\n", 0, RC_ERR_SYNTAX, 2, "a", "invalid UTF-8"},
    {"a,b\n\xe0\x80\xaf,1\n", 0, RC_ERR_SYNTAX, 2, "a", "invalid UTF-8"},
    {"a,b\n\xed\xa0\x80,1\n", 0, RC_ERR_SYNTAX, 2, "a", "invalid UTF-8"},
    {"a,b\n\xf4\x90\x80\x80,1\n", 0, RC_ERR_SYNTAX, 2, "a", "invalid UTF-8"},
    {"a,b\n1,\xc3", 0, RC_ERR_SYNTAX, 2, "b", "invalid UTF-8"},
    {"a,b\n1,\xc3,\n", 0, RC_ERR_SYNTAX, 2, "b", "invalid UTF-8"},
    {"a,b\n1,\"\x80\"\n", 0, RC_ERR_SYNTAX, 2, "b", "invalid UTF-8"},
    {"a\xff\n", 0, RC_ERR_SYNTAX, 1, "column 1", "invalid UTF-8"},
};

static void test_refusals(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof bads / sizeof bads[0]; i++) {
    const struct bad *b = &bads[i];
    size_t len = b->len ? b->len : strlen(b->in);
    struct rc_csv t;
    struct rc_error err;
    int rc = rc_csv_parse((const uint8_t *)b->in, len, &t, &err);
    if (rc != (int)b->code || err.line != b->row ||
        strcmp(err.field, b->field) != 0 || !strstr(err.msg, b->msg))
      fail_msg("case %zu: got %s row %zu field '%s': %s", i,
               rc_err_str((enum rc_err)rc), err.line, err.field, err.msg);
    assert_null(t.data);
    assert_null(t.off);
  }
}

/* A table of one header and one row whose single field has n bytes
 * (quoted when q). */
static char *one_field(size_t n, int q, size_t *len) {
  char *s = malloc(n + 16);
  assert_non_null(s);
  size_t k = 0;
  memcpy(s, "a\n", 2);
  k = 2;
  if (q) s[k++] = '"';
  memset(s + k, 'x', n);
  k += n;
  if (q) s[k++] = '"';
  s[k++] = '\n';
  *len = k;
  return s;
}

static void test_limits(void **state) {
  (void)state;
  struct rc_csv t;
  struct rc_error err;
  size_t len;
  for (int q = 0; q < 2; q++) {
    char *s = one_field(RC_CSV_FIELD_MAX, q, &len);
    assert_int_equal(rc_csv_parse((uint8_t *)s, len, &t, &err), RC_OK);
    rc_csv_free(&t);
    free(s);
    s = one_field(RC_CSV_FIELD_MAX + 1, q, &len);
    assert_int_equal(rc_csv_parse((uint8_t *)s, len, &t, &err), RC_ERR_LIMIT);
    assert_int_equal(err.line, 2);
    assert_string_equal(err.field, "a");
    free(s);
  }
  /* escaped quotes count once */
  {
    size_t n = RC_CSV_FIELD_MAX;
    char *s = malloc(2 * n + 8);
    assert_non_null(s);
    memcpy(s, "a\n\"", 3);
    for (size_t i = 0; i < n; i++) memcpy(s + 3 + 2 * i, "\"\"", 2);
    memcpy(s + 3 + 2 * n, "\"\n", 2);
    assert_int_equal(rc_csv_parse((uint8_t *)s, 2 * n + 5, &t, &err), RC_OK);
    assert_int_equal(strlen(rc_csv_field(&t, 1, 0, NULL)), n);
    rc_csv_free(&t);
    memcpy(s + 3 + 2 * n, "\"\"\"\n", 4);
    assert_int_equal(rc_csv_parse((uint8_t *)s, 2 * n + 7, &t, &err),
                     RC_ERR_LIMIT);
    free(s);
  }
  /* columns */
  {
    struct rc_buf b = {0};
    for (int i = 0; i < RC_CSV_COLS_MAX; i++) rc_buf_puts(&b, i ? ",c" : "c");
    rc_buf_putc(&b, '\n');
    assert_int_equal(rc_csv_parse(b.p, b.len, &t, &err), RC_OK);
    assert_int_equal(t.ncols, RC_CSV_COLS_MAX);
    rc_csv_free(&t);
    b.len--;
    rc_buf_puts(&b, ",c\n");
    assert_int_equal(rc_csv_parse(b.p, b.len, &t, &err), RC_ERR_LIMIT);
    assert_int_equal(err.line, 1);
    rc_buf_free(&b);
  }
  /* rows: RC_CSV_ROWS_MAX rows of "x\n" (the header included) */
  {
    size_t rows = RC_CSV_ROWS_MAX;
    uint8_t *s = malloc(2 * rows + 2);
    assert_non_null(s);
    for (size_t i = 0; i < rows + 1; i++) memcpy(s + 2 * i, "x\n", 2);
    assert_int_equal(rc_csv_parse(s, 2 * rows, &t, &err), RC_OK);
    assert_int_equal(t.nrows, rows);
    assert_string_equal(rc_csv_field(&t, rows - 1, 0, NULL), "x");
    rc_csv_free(&t);
    assert_int_equal(rc_csv_parse(s, 2 * rows + 2, &t, &err), RC_ERR_LIMIT);
    assert_int_equal(err.line, rows + 1);
    free(s);
  }
  /* the file cap is checked before anything is read */
  assert_int_equal(
      rc_csv_parse((const uint8_t *)"a\n", RC_CSV_FILE_MAX + 1, &t, &err),
      RC_ERR_LIMIT);
  assert_null(t.data);
}

/* parse → encode → parse gives the same fields; encode is a fixpoint. */
static void roundtrip(const uint8_t *s, size_t n) {
  struct rc_csv t, u;
  if (rc_csv_parse(s, n, &t, NULL) != RC_OK) return;
  struct rc_buf b = {0}, c = {0};
  assert_int_equal(rc_csv_encode(&t, &b), RC_OK);
  assert_int_equal(rc_csv_parse(b.p, b.len, &u, NULL), RC_OK);
  assert_int_equal(u.nrows, t.nrows);
  assert_int_equal(u.ncols, t.ncols);
  for (size_t i = 0; i < t.nrows * t.ncols; i++) {
    size_t tn, un;
    const char *tf = rc_csv_field(&t, i / t.ncols, i % t.ncols, &tn);
    const char *uf = rc_csv_field(&u, i / t.ncols, i % t.ncols, &un);
    assert_int_equal(tn, un);
    assert_memory_equal(tf, uf, tn);
  }
  assert_int_equal(rc_csv_encode(&u, &c), RC_OK);
  assert_int_equal(c.len, b.len);
  assert_memory_equal(c.p, b.p, b.len);
  rc_buf_free(&b);
  rc_buf_free(&c);
  rc_csv_free(&t);
  rc_csv_free(&u);
}

static void test_encode(void **state) {
  (void)state;
  static const char *const samples[] = {
      "id,name\nd1,North\nd2,\"South, East\"\n",
      "a,b\n\"x\"\"y\",\"line\r\nbreak\"\n",
      "a\n\"\"\nx\n",
      "\xEF\xBB\xBFid\n1",
      "\"\xEF\xBB\xBFid\"\n1\n",
      "a,b\n,\n",
  };
  for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
    size_t n = strlen(samples[i]);
    for (size_t k = 0; k <= n; k++) roundtrip((const uint8_t *)samples[i], k);
  }
  struct rc_csv t;
  struct rc_buf b = {0};
  const char s[] = "a,b\n\"x,y\",z\n\"\",q\n";
  assert_int_equal(rc_csv_parse((const uint8_t *)s, sizeof s - 1, &t, NULL),
                   RC_OK);
  assert_int_equal(rc_csv_encode(&t, &b), RC_OK);
  rc_buf_putc(&b, 0);
  assert_string_equal((char *)b.p, "a,b\r\n\"x,y\",z\r\n,q\r\n");
  rc_buf_free(&b);
  rc_csv_free(&t);
  /* a field of the header starting with a BOM's bytes is quoted */
  const char h[] = "\"\xEF\xBB\xBFid\"\n";
  assert_int_equal(rc_csv_parse((const uint8_t *)h, sizeof h - 1, &t, NULL),
                   RC_OK);
  assert_int_equal(t.bom, 0);
  assert_int_equal(rc_csv_encode(&t, &b), RC_OK);
  assert_int_equal(b.len, 9);
  assert_memory_equal(b.p, "\"\xEF\xBB\xBFid\"\r\n", 9);
  rc_buf_free(&b);
  rc_csv_free(&t);
}

/* A valid verifier key named TEST-KEY.<i> (public key bytes from i). */
static void make_key(unsigned i, struct rc_buf *b) {
  struct rc_vkey k;
  char name[32];
  int n = snprintf(name, sizeof name, "TEST-KEY.%u", i);
  memset(&k, 0, sizeof k);
  for (int j = 0; j < 32; j++)
    k.pk[j] = (uint8_t)(i * 131u + (unsigned)j * 7u + 1u);
  k.pk[31] &= 0x3f;
  k.pk[0] = (uint8_t)i; /* distinct keys for distinct i < 256 */
  k.pk[1] = (uint8_t)(i >> 8);
  k.name = name;
  k.namelen = (size_t)n;
  rc_key_id(name, k.namelen, k.pk, k.id);
  rc_vkey_encode(&k, b);
}

/* Runs the table step; the stations table is "id,district,registered,
 * key" rows given as "<id>,<district>,<registered>,K<n>" with K<n>
 * replaced by make_key(n). */
static int tables(const char *districts, const char *stations,
                  struct rc_buf *out, struct rc_mtab_report *rep) {
  struct rc_buf st = {0};
  for (const char *p = stations; *p; p++) {
    if (*p == 'K' && (p == stations || p[-1] == ',')) {
      unsigned v = 0;
      while (p[1] >= '0' && p[1] <= '9') v = v * 10 + (unsigned)(*++p - '0');
      make_key(v, &st);
    } else {
      rc_buf_putc(&st, *p);
    }
  }
  static const char *const choices[] = {"yes=Yes", "no=No"};
  struct rc_mtab_in in = {.election = "e1",
                          .origin = "o.example/e1",
                          .title = "T",
                          .choices = choices,
                          .nchoices = 2,
                          .dname = "d.csv",
                          .dbuf = (const uint8_t *)districts,
                          .dlen = strlen(districts),
                          .sname = "s.csv",
                          .sbuf = st.p,
                          .slen = st.len};
  memset(rep, 0, sizeof *rep);
  memset(out, 0, sizeof *out);
  int rc = rc_manifest_from_tables(&in, out, rep);
  rc_buf_free(&st);
  rc_buf_putc(&rep->errors, 0);
  return rc;
}

static void test_tables_sorted(void **state) {
  (void)state;
  struct rc_buf out;
  struct rc_mtab_report rep;
  assert_int_equal(tables("id,name\nz9,Zed\na.1,A\nb-2,B\n",
                          "id,district,registered,key\n"
                          "s10,z9,1,K10\ns2,a.1,0,K2\ns1,b-2,5,K1\n",
                          &out, &rep),
                   RC_OK);
  rc_buf_putc(&out, 0);
  const char *t = (const char *)out.p;
  const char *d1 = strstr(t, "district a.1 A\n"),
             *d2 = strstr(t, "district b-2 B\n"),
             *d3 = strstr(t, "district z9 Zed\n");
  const char *s1 = strstr(t, "station s1 b-2 5 TEST-KEY.1+"),
             *s10 = strstr(t, "station s10 z9 1 TEST-KEY.10+"),
             *s2 = strstr(t, "station s2 a.1 0 TEST-KEY.2+");
  assert_true(d1 && d2 && d3 && d1 < d2 && d2 < d3);
  assert_true(s1 && s10 && s2 && s1 < s10 && s10 < s2); /* bytewise */
  struct rc_manifest m;
  assert_int_equal(rc_parse_manifest(out.p, out.len - 1, &m, NULL), RC_OK);
  assert_int_equal(m.nstations, 3);
  rc_manifest_free(&m);
  rc_buf_free(&out);
  rc_mtab_report_free(&rep);
}

static void test_tables_repeats(void **state) {
  (void)state;
  struct rc_buf out;
  struct rc_mtab_report rep;
  /* rows 2..6: b a b a b; keys: row 7 reuses row 3's */
  assert_int_equal(tables("id,name\nd,D\n",
                          "id,district,registered,key\n"
                          "b,d,1,K1\na,d,1,K2\nb,d,1,K3\na,d,1,K4\n"
                          "b,d,1,K5\nc,d,1,K2\n",
                          &out, &rep),
                   RC_ERR_SYNTAX);
  assert_string_equal(
      (const char *)rep.errors.p,
      "s.csv row 4, column id: station \"b\" is already in row 2\n"
      "s.csv row 5, column id: station \"a\" is already in row 3\n"
      "s.csv row 6, column id: station \"b\" is already in row 2\n"
      "s.csv row 7, column key: the same public key as row 3 (station "
      "\"a\")\n");
  assert_int_equal(rep.nerrors, 4);
  assert_int_equal(out.len, 0);
  rc_mtab_report_free(&rep);
  /* districts too, and an unknown district */
  assert_int_equal(tables("id,name\nx,X\nd,D\nx,Y\n",
                          "id,district,registered,key\na,q,1,K1\n", &out, &rep),
                   RC_ERR_SYNTAX);
  assert_string_equal((const char *)rep.errors.p,
                      "d.csv row 4, column id: district \"x\" is already "
                      "in row 2\n"
                      "s.csv row 2, column district: district \"q\" is not "
                      "in d.csv\n");
  rc_mtab_report_free(&rep);
}

static void test_tables_many_errors(void **state) {
  (void)state;
  struct rc_buf st = {0}, out;
  struct rc_mtab_report rep;
  rc_buf_puts(&st, "id,district,registered,key\n");
  for (int i = 0; i < 150; i++) rc_buf_printf(&st, "s%d,d,x,K%d\n", i, i);
  rc_buf_putc(&st, 0);
  assert_int_equal(tables("id,name\nd,D\n", (const char *)st.p, &out, &rep),
                   RC_ERR_SYNTAX);
  assert_int_equal(rep.nerrors, 150);
  assert_int_equal(rep.nkept, RC_MTAB_MSGS_MAX);
  size_t lines = 0;
  for (const char *p = (const char *)rep.errors.p; *p; p++) lines += *p == '\n';
  assert_int_equal(lines, RC_MTAB_MSGS_MAX);
  assert_non_null(strstr((const char *)rep.errors.p,
                         "s.csv row 2, column registered: \"x\" is not a "
                         "count"));
  rc_buf_free(&st);
  rc_mtab_report_free(&rep);
}

static void test_tables_options(void **state) {
  (void)state;
  static const char *const bad_choice[] = {"yes=Yes", "yes=Again"};
  static const char *const ok_choice[] = {"yes=Yes"};
  const char *d = "id,name\nd,D\n", *s = "id,district,registered,key\n";
  struct rc_mtab_in in = {.election = "e1",
                          .origin = "o",
                          .title = "T",
                          .choices = bad_choice,
                          .nchoices = 2,
                          .dname = "d.csv",
                          .dbuf = (const uint8_t *)d,
                          .dlen = strlen(d),
                          .sname = "s.csv",
                          .sbuf = (const uint8_t *)s,
                          .slen = strlen(s)};
  struct rc_mtab_report rep;
  struct rc_buf out = {0};
  memset(&rep, 0, sizeof rep);
  assert_int_equal(rc_manifest_from_tables(&in, &out, &rep), RC_ERR_USAGE);
  rc_buf_putc(&rep.errors, 0);
  assert_string_equal((const char *)rep.errors.p,
                      "--choice \"yes=Again\": choice \"yes\" is given "
                      "twice\n");
  rc_mtab_report_free(&rep);
  in.choices = ok_choice;
  in.nchoices = 1;
  in.title = " T";
  assert_int_equal(rc_manifest_from_tables(&in, &out, &rep), RC_ERR_USAGE);
  rc_mtab_report_free(&rep);
  in.title = "T";
  in.election = "E1";
  assert_int_equal(rc_manifest_from_tables(&in, &out, &rep), RC_ERR_USAGE);
  rc_mtab_report_free(&rep);
  /* valid options, a table of no stations: refused, not a usage error */
  in.election = "e1";
  assert_int_equal(rc_manifest_from_tables(&in, &out, &rep), RC_ERR_SYNTAX);
  rc_buf_putc(&rep.errors, 0);
  assert_string_equal((const char *)rep.errors.p,
                      "s.csv: no stations (the table has only its header "
                      "row)\n");
  rc_mtab_report_free(&rep);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_accepts),
      cmocka_unit_test(test_bom),
      cmocka_unit_test(test_refusals),
      cmocka_unit_test(test_limits),
      cmocka_unit_test(test_encode),
      cmocka_unit_test(test_tables_sorted),
      cmocka_unit_test(test_tables_repeats),
      cmocka_unit_test(test_tables_many_errors),
      cmocka_unit_test(test_tables_options),
  };
  return cmocka_run_group_tests_name("csv", tests, NULL, NULL);
}
