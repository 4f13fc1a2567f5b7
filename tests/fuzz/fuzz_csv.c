/* fuzz_csv.c — RFC 4180 tables (formats/csv.h).
 *
 * A table that parses must have consistent shape (every row the header's
 * number of fields, each field at most RC_CSV_FIELD_MAX bytes, without
 * NUL, valid UTF-8), and its canonical encoding must parse back to the
 * same fields and re-encode to the same bytes. A refusal must name a row
 * inside the input and be a syntax or limit error. */
#include <string.h>

#include "csv.h"
#include "fuzz_common.h"

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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
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
