/* fuzz_csv.c — RFC 4180 tables (formats/csv.h).
 *
 * A table that parses must have consistent shape (every row the header's
 * number of fields, each field at most RC_CSV_FIELD_MAX bytes, without
 * NUL, valid UTF-8), and its canonical encoding must parse back to the
 * same fields and re-encode to the same bytes. A refusal must name a row
 * inside the input and be a syntax or limit error.
 *
 * Then the table step of `recount-sign manifest` (sign/manifest_tables.h):
 * the input split at its first line "%%%" into districts.csv and
 * stations.csv (without that line the input is stations.csv, with a fixed
 * districts table), fixed options and one witness, no key files. A
 * refusal has at least one message, each naming a table (or --witness)
 * and holding no control character; a manifest built must parse, re-encode
 * to the same bytes, and hold exactly the table's stations with their
 * districts and counts. */
#include <string.h>

#include "manifest_tables.h"
#include "csv.h"
#include "fuzz_common.h"
#include "texts.h"

/* 1 if the two tables hold the same fields. */
static int same_fields(const struct rc_csv *a, const struct rc_csv *b) {
  if (a->ncols != b->ncols || a->nrows != b->nrows) return 0;
  for (size_t r = 0; r < a->nrows; r++)
    for (size_t i = 0; i < a->ncols; i++) {
      size_t an, bn;
      const char *af = rc_csv_field(a, r, i, &an);
      const char *bf = rc_csv_field(b, r, i, &bn);
      if (an != bn || memcmp(af, bf, an) != 0) return 0;
    }
  return 1;
}

static void check_shape(const struct rc_csv *t, size_t len) {
  FUZZ_CHECK(t->nrows >= 1 && t->nrows <= RC_CSV_ROWS_MAX);
  FUZZ_CHECK(t->ncols >= 1 && t->ncols <= RC_CSV_COLS_MAX);
  size_t total = 0;
  for (size_t r = 0; r < t->nrows; r++)
    for (size_t i = 0; i < t->ncols; i++) {
      size_t n;
      const char *f = rc_csv_field(t, r, i, &n);
      FUZZ_CHECK(n <= RC_CSV_FIELD_MAX);
      FUZZ_CHECK(strlen(f) == n);
      total += n + 1;
    }
  /* the copy never outgrows the input (csv.c's sizing argument) */
  FUZZ_CHECK(total <= len + 1);
  FUZZ_CHECK(t->off[t->nrows * t->ncols] == total);
}

static const char fixed_districts[] = "id,name\nd1,North\nd2,South\n";
static const char witness_key[] =
    "TEST-KEY.observers.example+a14e5357+"
    "AcBgcXkPpibWo+jxsEVWHhpsrqMXjXP9keiB3UVX/VEW";

/* Each message line starts with a table's name or "--witness " and holds
 * no control character. */
static void check_messages(const struct rc_buf *b) {
  size_t i = 0;
  FUZZ_CHECK(b->len > 0 && b->p[b->len - 1] == '\n');
  while (i < b->len) {
    const uint8_t *nl = memchr(b->p + i, '\n', b->len - i);
    FUZZ_CHECK(nl != NULL);
    size_t n = (size_t)(nl - (b->p + i));
    const char *l = (const char *)b->p + i;
    FUZZ_CHECK((n >= 13 && !memcmp(l, "districts.csv", 13)) ||
               (n >= 12 && !memcmp(l, "stations.csv", 12)) ||
               (n >= 10 && !memcmp(l, "--witness ", 10)));
    for (size_t k = 0; k < n; k++)
      FUZZ_CHECK((uint8_t)l[k] >= 0x20 && (uint8_t)l[k] != 0x7f);
    i += n + 1;
  }
}

/* The built manifest holds exactly the stations table's rows. */
static void check_built(const struct rc_buf *out, const uint8_t *sb, size_t sn,
                        const uint8_t *db, size_t dn) {
  struct rc_manifest m;
  struct rc_csv st, dt;
  struct rc_buf again = {0};
  FUZZ_CHECK(rc_parse_manifest(out->p, out->len, &m, NULL) == RC_OK);
  FUZZ_CHECK(rc_encode_manifest(&m, &again) == RC_OK || again.oom);
  fuzz_same_bytes("manifest from tables", &again, out->p, out->len);
  rc_buf_free(&again);
  FUZZ_CHECK(rc_csv_parse(sb, sn, &st, NULL) == RC_OK);
  FUZZ_CHECK(rc_csv_parse(db, dn, &dt, NULL) == RC_OK);
  FUZZ_CHECK(m.nstations == st.nrows - 1);
  FUZZ_CHECK(m.ndistricts == dt.nrows - 1);
  FUZZ_CHECK(m.nwitnesses == 1 && m.nchoices == 2);
  long ci = rc_csv_column(&st, "id"), cd = rc_csv_column(&st, "district");
  long cr = rc_csv_column(&st, "registered");
  FUZZ_CHECK(ci >= 0 && cd >= 0 && cr >= 0);
  for (size_t r = 1; r < st.nrows; r++) {
    size_t n;
    const char *id = rc_csv_field(&st, r, (size_t)ci, &n);
    long k = rc_manifest_station(&m, id, n);
    FUZZ_CHECK(k >= 0);
    const struct rc_station *s = &m.stations[k];
    FUZZ_CHECK(!strcmp(m.districts[s->district].id,
                       rc_csv_field(&st, r, (size_t)cd, NULL)));
    char cnt[24];
    snprintf(cnt, sizeof cnt, "%llu", (unsigned long long)s->registered);
    FUZZ_CHECK(!strcmp(cnt, rc_csv_field(&st, r, (size_t)cr, NULL)));
  }
  rc_csv_free(&st);
  rc_csv_free(&dt);
  rc_manifest_free(&m);
}

static void check_tables(const uint8_t *data, size_t size) {
  const uint8_t *db = (const uint8_t *)fixed_districts, *sb = data;
  size_t dn = sizeof fixed_districts - 1, sn = size;
  for (size_t i = 0; i + 4 <= size; i++)
    if ((i == 0 || data[i - 1] == '\n') && !memcmp(data + i, "%%%\n", 4)) {
      db = data;
      dn = i;
      sb = data + i + 4;
      sn = size - i - 4;
      break;
    }
  /* exact-size copies: reading past a table is caught by ASan */
  uint8_t *dcopy = fuzz_copy(db, dn), *scopy = fuzz_copy(sb, sn);
  static const char *const choices[] = {"yes=Yes", "no=No"};
  static const char *const wnames[] = {"observers.vkey"};
  struct rc_vkey w;
  FUZZ_CHECK(rc_vkey_parse(witness_key, sizeof witness_key - 1, &w, NULL) ==
             RC_OK);
  struct rc_mtab_in in = {.election = "e1",
                          .origin = "o.example/e1",
                          .title = "T",
                          .choices = choices,
                          .nchoices = 2,
                          .witnesses = &w,
                          .witness_names = wnames,
                          .nwitnesses = 1,
                          .dname = "districts.csv",
                          .dbuf = dcopy,
                          .dlen = dn,
                          .sname = "stations.csv",
                          .sbuf = scopy,
                          .slen = sn,
                          .keydir = NULL};
  struct rc_mtab_report rep;
  struct rc_buf out = {0};
  memset(&rep, 0, sizeof rep);
  if (!dcopy || !scopy) goto done;
  int rc = rc_manifest_from_tables(&in, &out, &rep);
  FUZZ_CHECK(rc == RC_OK || rc == RC_ERR_SYNTAX || rc == RC_ERR_NOMEM);
  if (rc == RC_ERR_SYNTAX) {
    FUZZ_CHECK(rep.nerrors >= 1 && rep.nkept >= 1);
    FUZZ_CHECK(rep.nkept <= RC_MTAB_MSGS_MAX && rep.nkept <= rep.nerrors);
    FUZZ_CHECK(out.len == 0);
    if (!rep.errors.oom) check_messages(&rep.errors);
  } else if (rc == RC_OK) {
    FUZZ_CHECK(rep.nerrors == 0);
    check_built(&out, scopy, sn, dcopy, dn);
  }
done:
  rc_buf_free(&out);
  rc_mtab_report_free(&rep);
  free(dcopy);
  free(scopy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz_crypto_init();
  check_tables(data, size);
  struct rc_csv t, u;
  struct rc_error err;
  if (rc_csv_parse(data, size, &t, &err) != RC_OK) {
    FUZZ_CHECK(err.code == RC_ERR_SYNTAX || err.code == RC_ERR_LIMIT ||
               err.code == RC_ERR_NOMEM);
    FUZZ_CHECK(err.line >= 1 || err.code != RC_ERR_SYNTAX);
    /* a row can start at most once per input byte, plus the header */
    FUZZ_CHECK(err.line <= size + 1);
    FUZZ_CHECK(err.msg[0] != 0);
    FUZZ_CHECK(t.data == NULL && t.off == NULL);
    return 0;
  }
  check_shape(&t, size);
  FUZZ_CHECK(t.bom == (size >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3)));
  for (size_t i = 0; i < t.ncols; i++) {
    long c = rc_csv_column(&t, rc_csv_field(&t, 0, i, NULL));
    FUZZ_CHECK(c >= 0 && (size_t)c <= i);
  }
  struct rc_buf b = {0}, b2 = {0};
  if (rc_csv_encode(&t, &b) == RC_OK) {
    int rc = rc_csv_parse(b.p, b.len, &u, &err);
    if (rc == RC_ERR_NOMEM) goto out;
    if (rc != RC_OK) {
      fprintf(stderr, "re-encoded table refused: row %zu %s: %s\n", err.line,
              err.field, err.msg);
      abort();
    }
    FUZZ_CHECK(u.bom == 0);
    FUZZ_CHECK(same_fields(&t, &u));
    if (rc_csv_encode(&u, &b2) == RC_OK)
      fuzz_same_bytes("rc_csv_encode", &b2, b.p, b.len);
    rc_csv_free(&u);
  }
out:
  rc_buf_free(&b);
  rc_buf_free(&b2);
  rc_csv_free(&t);
  return 0;
}
