/* csv.h — RFC 4180 tables, as registries export them.
 *
 * A table is rows of fields separated by ',', each row ended by CRLF or LF
 * (RFC 4180 says CRLF; exports use both, even mixed), the last row's end
 * optional. A field is either unquoted (any bytes but ',', '"', CR, LF) or
 * quoted: '"', then any bytes with '"' written as '""' (commas, CR and LF
 * included), then '"' and the end of the field. The first row is the
 * header; every row has as many fields as the header.
 *
 * Where RFC 4180 is silent or lenient, this parser is strict, so that what
 * a spreadsheet shows is what is read:
 *   - a UTF-8 byte order mark at the very start is skipped and reported
 *     (out->bom): Excel's "CSV UTF-8" export always writes one;
 *   - the whole input must be UTF-8 (shortest form, no surrogates);
 *   - no NUL and no control character other than TAB, and CR and LF only
 *     as row ends or inside a quoted field;
 *   - a '"' inside an unquoted field, text after a closing quote, a CR not
 *     followed by LF outside quotes, an unterminated quote, an empty row and
 *     a row with another number of fields than the header are errors;
 *   - white space is part of the field (never trimmed).
 * Rows are numbered as a spreadsheet shows them: the header is row 1, a
 * row holding a quoted newline is still one row. An error gives the row in
 * err->line, the column's header name in err->field (or "column N" when
 * the header itself fails) and says what is wrong in err->msg. */
#ifndef RC_CSV_H
#define RC_CSV_H
#include "rc.h"

#define RC_CSV_FIELD_MAX 4096 /* bytes of one field, after unquoting */
#define RC_CSV_COLS_MAX 64    /* fields per row */
#define RC_CSV_ROWS_MAX (RC_MAX_STATIONS + 1u) /* rows, the header included */
#define RC_CSV_FILE_MAX (1ull << 30)           /* bytes of one table file */

struct rc_csv {
  size_t ncols; /* fields per row, >= 1 */
  size_t nrows; /* rows, the header included, >= 1 */
  int bom;      /* 1 if the input started with a UTF-8 BOM (skipped) */
  char *data;   /* every field unquoted, each followed by a NUL */
  size_t *off;  /* nrows * ncols + 1 offsets into data: field i is
                 * data[off[i] .. off[i+1] - 1) */
};

/* Parses buf[0..len) as described above. Inputs longer than
 * RC_CSV_FILE_MAX are refused before they are read. On success out owns
 * its memory (rc_csv_free); on failure out is empty. err may be NULL. */
RC_WUR int rc_csv_parse(const uint8_t *buf, size_t len, struct rc_csv *out,
                        struct rc_error *err);
void rc_csv_free(struct rc_csv *c);

/* Field (row, col), rows counted from 0 (= the header, spreadsheet row 1).
 * Returns the NUL-terminated field (it holds no NUL); *n gets its length
 * if n is non-NULL. Requires row < c->nrows and col < c->ncols. */
static inline const char *rc_csv_field(const struct rc_csv *c, size_t row,
                                       size_t col, size_t *n) {
  size_t i = row * c->ncols + col;
  if (n) *n = c->off[i + 1] - c->off[i] - 1;
  return c->data + c->off[i];
}

/* Index of the header column named name, or -1 (first match). */
long rc_csv_column(const struct rc_csv *c, const char *name);

/* Appends the table in canonical form: rows ended by CRLF, a field quoted
 * only when it is empty in a one-column table's row (so the row is not
 * empty) or holds ',', '"', CR or LF; no BOM. Parsing the result gives the
 * same fields. Returns RC_OK or RC_ERR_NOMEM. */
RC_WUR int rc_csv_encode(const struct rc_csv *c, struct rc_buf *b);
#endif
