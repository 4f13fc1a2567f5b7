/* csv.c — RFC 4180 tables (csv.h).
 *
 * One pass over the input. The fields are copied unquoted into one buffer
 * of len + 1 bytes, each followed by a NUL: every field but the last of
 * the input is ended by at least one byte (',', LF or CRLF) and a quoted
 * field is never longer than its text, so the copy fits. The offsets grow
 * by doubling: linear in the input. */
#include "csv.h"

#include <stdlib.h>
#include <string.h>

/* How a field ended. */
enum csv_end { END_COMMA, END_ROW, END_FILE };

struct csv_parser {
  const uint8_t *buf;
  size_t len, pos;
  size_t row;     /* 1-based row being read */
  size_t col;     /* 0-based field of the row being read */
  size_t offcap;  /* capacity of t->off */
  size_t nfields; /* fields stored */
  size_t dlen;    /* bytes used in t->data */
  struct rc_csv *t;
  struct rc_error *err;
};

/* The field name for messages: the header's name of column col when the
 * header has been read and has that column, else "column N". */
static void col_name(const struct csv_parser *p, size_t col, char *out,
                     size_t outn) {
  if (p->row > 1 && col < p->t->ncols) {
    size_t n = p->t->off[col + 1] - p->t->off[col] - 1;
    if (n > outn - 1) n = outn - 1;
    if (n > 0) {
      memcpy(out, p->t->data + p->t->off[col], n);
      out[n] = 0;
      return;
    }
  }
  /* snprintf of a size_t cannot fail here; keep it simple */
  size_t v = col + 1, i = 0;
  char digits[24];
  do {
    digits[i++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  size_t k = 0;
  const char *pre = "column ";
  while (*pre && k < outn - 1) out[k++] = *pre++;
  while (i && k < outn - 1) out[k++] = digits[--i];
  out[k] = 0;
}

/* Fails for the current row and field with code and message. */
#define CSV_FAIL(p, code, ...)                                                 \
  do {                                                                         \
    char fname_[32];                                                           \
    col_name((p), (p)->col, fname_, sizeof fname_);                            \
    return rc_fail((p)->err, (code), (p)->row, fname_, __VA_ARGS__);           \
  } while (0)

/* Length of the UTF-8 sequence at s[0..avail) (shortest form, no
 * surrogate, at most U+10FFFF), or 0 if it is not one. s[0] >= 0x80. */
static size_t utf8_len(const uint8_t *s, size_t avail) {
  uint8_t c = s[0];
  size_t n;
  uint32_t cp;
  if (c >= 0xC2 && c <= 0xDF) n = 2, cp = c & 0x1Fu;
  else if ((c & 0xF0) == 0xE0) n = 3, cp = c & 0x0Fu;
  else if (c >= 0xF0 && c <= 0xF4) n = 4, cp = c & 0x07u;
  else return 0;
  if (n > avail) return 0;
  for (size_t k = 1; k < n; k++) {
    if ((s[k] & 0xC0) != 0x80) return 0;
    cp = cp << 6 | (s[k] & 0x3Fu);
  }
  if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
      (cp >= 0xD800 && cp <= 0xDFFF))
    return 0;
  return n;
}

/* Copies the character at p->pos (not a delimiter) into the field,
 * checking it. Returns RC_OK or an error. */
static int put_char(struct csv_parser *p, size_t fstart) {
  uint8_t c = p->buf[p->pos];
  size_t n = 1;
  if (c == 0) CSV_FAIL(p, RC_ERR_SYNTAX, "a NUL byte");
  if ((c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7f)
    CSV_FAIL(p, RC_ERR_SYNTAX, "control character 0x%02x", c);
  if (c >= 0x80 && !(n = utf8_len(p->buf + p->pos, p->len - p->pos)))
    CSV_FAIL(p, RC_ERR_SYNTAX, "invalid UTF-8 (byte 0x%02x)", c);
  if (p->dlen - fstart + n > RC_CSV_FIELD_MAX)
    CSV_FAIL(p, RC_ERR_LIMIT, "field longer than %d bytes", RC_CSV_FIELD_MAX);
  memcpy(p->t->data + p->dlen, p->buf + p->pos, n);
  p->dlen += n;
  p->pos += n;
  return RC_OK;
}

/* Reads the delimiter at p->pos that ends a field (after a closing quote,
 * or where an unquoted field stops). Returns 1 if there is one (*end set,
 * consumed), 0 if the byte is not a delimiter. A CR alone is an error. */
static int delimiter(struct csv_parser *p, enum csv_end *end, int *bad_cr) {
  *bad_cr = 0;
  if (p->pos == p->len) {
    *end = END_FILE;
    return 1;
  }
  uint8_t c = p->buf[p->pos];
  if (c == ',') {
    p->pos++;
    *end = END_COMMA;
    return 1;
  }
  if (c == '\n') {
    p->pos++;
    *end = END_ROW;
    return 1;
  }
  if (c == '\r') {
    if (p->pos + 1 < p->len && p->buf[p->pos + 1] == '\n') {
      p->pos += 2;
      *end = END_ROW;
      return 1;
    }
    *bad_cr = 1;
  }
  return 0;
}

/* Reads one field into the data buffer and its NUL; *end says how it
 * ended. */
static int read_field(struct csv_parser *p, enum csv_end *end) {
  size_t fstart = p->dlen;
  int bad_cr, rc;
  if (p->pos < p->len && p->buf[p->pos] == '"') {
    p->pos++;
    for (;;) {
      if (p->pos == p->len)
        CSV_FAIL(p, RC_ERR_SYNTAX,
                 "quoted field not closed: the file ends inside it");
      if (p->buf[p->pos] == '"') {
        if (p->pos + 1 < p->len && p->buf[p->pos + 1] == '"') {
          if (p->dlen - fstart + 1 > RC_CSV_FIELD_MAX)
            CSV_FAIL(p, RC_ERR_LIMIT, "field longer than %d bytes",
                     RC_CSV_FIELD_MAX);
          p->t->data[p->dlen++] = '"';
          p->pos += 2;
          continue;
        }
        p->pos++;
        break;
      }
      if ((rc = put_char(p, fstart))) return rc;
    }
    if (!delimiter(p, end, &bad_cr))
      CSV_FAIL(p, RC_ERR_SYNTAX,
               bad_cr ? "a CR after the closing quote is not followed by LF"
                      : "text after the closing quote (a quote inside a "
                        "quoted field is written \"\")");
  } else {
    while (!delimiter(p, end, &bad_cr)) {
      if (bad_cr)
        CSV_FAIL(p, RC_ERR_SYNTAX,
                 "a CR not followed by LF (rows end with CRLF or LF)");
      if (p->buf[p->pos] == '"')
        CSV_FAIL(p, RC_ERR_SYNTAX,
                 "a quote inside an unquoted field (quote the whole field "
                 "and write the quote as \"\")");
      if ((rc = put_char(p, fstart))) return rc;
    }
  }
  p->t->data[p->dlen++] = 0;
  return RC_OK;
}

/* Records the offset of the next field (and the sentinel). */
static int push_off(struct csv_parser *p, size_t off) {
  if (p->nfields == p->offcap) {
    size_t nc = p->offcap ? p->offcap * 2 : 64;
    size_t *q = realloc(p->t->off, nc * sizeof *q);
    if (!q) return rc_fail(p->err, RC_ERR_NOMEM, p->row, "", "out of memory");
    p->t->off = q;
    p->offcap = nc;
  }
  p->t->off[p->nfields++] = off;
  return RC_OK;
}

/* 1 if a row ends at p->pos (LF or CRLF). */
static int row_end_here(const struct csv_parser *p) {
  const uint8_t *b = p->buf + p->pos;
  size_t left = p->len - p->pos;
  return (left >= 1 && b[0] == '\n') ||
         (left >= 2 && b[0] == '\r' && b[1] == '\n');
}

static int read_row(struct csv_parser *p) {
  enum csv_end end;
  int rc;
  p->col = 0;
  if (row_end_here(p))
    CSV_FAIL(p, RC_ERR_SYNTAX,
             p->row == 1 ? "the header row is empty" : "the row is empty");
  for (;;) {
    if (p->row > 1 && p->col == p->t->ncols)
      CSV_FAIL(p, RC_ERR_SYNTAX, "more fields than the header's %zu",
               p->t->ncols);
    if (p->col == RC_CSV_COLS_MAX)
      CSV_FAIL(p, RC_ERR_LIMIT, "more than %d fields", RC_CSV_COLS_MAX);
    if ((rc = push_off(p, p->dlen)) || (rc = read_field(p, &end))) return rc;
    p->col++;
    if (end != END_COMMA) break;
  }
  if (p->row == 1) {
    p->t->ncols = p->col;
    /* the header's names are needed by messages about later rows */
    if ((rc = push_off(p, p->dlen))) return rc;
    p->nfields--;
  } else if (p->col != p->t->ncols) {
    size_t got = p->col; /* p->col names the first missing column */
    CSV_FAIL(p, RC_ERR_SYNTAX,
             "missing: the row has %zu field%s, the "
             "header has %zu",
             got, got == 1 ? "" : "s", p->t->ncols);
  }
  return RC_OK;
}

static int parse(struct csv_parser *p) {
  int rc;
  struct rc_csv *t = p->t;
  if (p->len >= 3 && !memcmp(p->buf, "\xEF\xBB\xBF", 3)) {
    t->bom = 1;
    p->pos = 3;
  }
  if (!(t->data = malloc(p->len + 1)))
    return rc_fail(p->err, RC_ERR_NOMEM, 0, "", "out of memory");
  p->row = 1;
  if (p->pos == p->len)
    return rc_fail(p->err, RC_ERR_SYNTAX, 1, "",
                   "the file is empty (a header row is required)");
  while (p->pos < p->len) {
    if (p->row > RC_CSV_ROWS_MAX)
      return rc_fail(p->err, RC_ERR_LIMIT, p->row, "", "more than %u rows",
                     (unsigned)RC_CSV_ROWS_MAX);
    if ((rc = read_row(p))) return rc;
    p->row++;
  }
  if ((rc = push_off(p, p->dlen))) return rc;
  t->nrows = p->row - 1;
  return RC_OK;
}

int rc_csv_parse(const uint8_t *buf, size_t len, struct rc_csv *out,
                 struct rc_error *err) {
  struct rc_error local;
  if (!err) err = &local;
  memset(out, 0, sizeof *out);
  if (len > RC_CSV_FILE_MAX)
    return rc_fail(err, RC_ERR_LIMIT, 0, "", "larger than %llu bytes",
                   (unsigned long long)RC_CSV_FILE_MAX);
  struct csv_parser p = {.buf = buf, .len = len, .t = out, .err = err};
  int rc = parse(&p);
  if (rc != RC_OK) rc_csv_free(out);
  return rc;
}

void rc_csv_free(struct rc_csv *c) {
  free(c->data);
  free(c->off);
  memset(c, 0, sizeof *c);
}

long rc_csv_column(const struct rc_csv *c, const char *name) {
  for (size_t i = 0; i < c->ncols; i++)
    if (strcmp(rc_csv_field(c, 0, i, NULL), name) == 0) return (long)i;
  return -1;
}

int rc_csv_encode(const struct rc_csv *c, struct rc_buf *b) {
  for (size_t r = 0; r < c->nrows && !b->oom; r++) {
    for (size_t i = 0; i < c->ncols; i++) {
      size_t n;
      const char *f = rc_csv_field(c, r, i, &n);
      /* an empty only field would be an empty row; a field starting the
       * table with a BOM's bytes would be read as a BOM */
      int quote =
          (n == 0 && c->ncols == 1) ||
          (r == 0 && i == 0 && n >= 3 && !memcmp(f, "\xEF\xBB\xBF", 3)) ||
          strpbrk(f, ",\"\r\n") != NULL;
      if (i) rc_buf_putc(b, ',');
      if (!quote) {
        rc_buf_put(b, f, n);
        continue;
      }
      rc_buf_putc(b, '"');
      for (size_t k = 0; k < n; k++) {
        if (f[k] == '"') rc_buf_putc(b, '"');
        rc_buf_putc(b, f[k]);
      }
      rc_buf_putc(b, '"');
    }
    rc_buf_put(b, "\r\n", 2);
  }
  return b->oom ? RC_ERR_NOMEM : RC_OK;
}
