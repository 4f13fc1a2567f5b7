/* manifest_msgs.c — the messages `recount-sign manifest` collects (each
 * naming table, row and column), the string arena, and the checks of
 * one cell or one table header (sign/manifest_tables_int.h). */
#include "manifest_tables_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ed25519.h"
#include "text.h"
#include "texts.h"

/* ------------------------------------------------------------ report --- */

void rc_mtab_report_free(struct rc_mtab_report *rep) {
  rc_buf_free(&rep->errors);
  rc_buf_free(&rep->notes);
  memset(rep, 0, sizeof *rep);
}

static void vline(struct rc_buf *b, const char *fmt, va_list ap) {
  char tmp[1400];
  vsnprintf(tmp, sizeof tmp, fmt, ap);
  /* cells are quoted with escapes; this catches the rest (a path) */
  for (char *c = tmp; *c; c++)
    if ((unsigned char)*c < 0x20 || *c == 0x7f) *c = '?';
  rc_buf_puts(b, tmp);
  rc_buf_putc(b, '\n');
}

/* An error line (printf-style, without the newline). */
void mtab_add_error(struct rc_mtab_report *rep, const char *fmt, ...) {
  rep->nerrors++;
  if (rep->nkept == RC_MTAB_MSGS_MAX) return;
  rep->nkept++;
  va_list ap;
  va_start(ap, fmt);
  vline(&rep->errors, fmt, ap);
  va_end(ap);
}

/* "<table> row <row>, column <col>: <message>". row is 1-based. */
void mtab_cell_error(struct rc_mtab_report *rep, const char *table, size_t row,
                     const char *col, const char *fmt, ...) {
  char msg[1100];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  mtab_add_error(rep, "%s row %zu, column %s: %s", table, row, col, msg);
}

/* s[0..n) quoted for a message: '"' and '\' escaped, control bytes as
 * \xNN, cut (at a character boundary) after QUOTE_MAX bytes with "...". */
const char *mtab_quote(const char *s, size_t n, char out[4 * QUOTE_MAX + 8]) {
  size_t k = 0, lim = n;
  if (lim > QUOTE_MAX) {
    lim = QUOTE_MAX;
    while (lim > 0 && ((unsigned char)s[lim] & 0xC0) == 0x80) lim--;
  }
  out[k++] = '"';
  for (size_t i = 0; i < lim; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '"' || c == '\\') {
      out[k++] = '\\';
      out[k++] = (char)c;
    } else if (c < 0x20 || c == 0x7f) {
      static const char hex[] = "0123456789abcdef";
      out[k++] = '\\';
      out[k++] = 'x';
      out[k++] = hex[c >> 4];
      out[k++] = hex[c & 15];
    } else {
      out[k++] = (char)c;
    }
  }
  out[k++] = '"';
  if (lim < n) {
    memcpy(out + k, "...", 3);
    k += 3;
  }
  out[k] = 0;
  return out;
}

/* ------------------------------------------------------------- arena --- */

char *mtab_arena_dup(struct chunk **a, const char *s, size_t n) {
  if (n + 1 > sizeof((*a)->data)) return NULL;
  if (!*a || sizeof((*a)->data) - (*a)->used < n + 1) {
    struct chunk *c = malloc(sizeof *c);
    if (!c) return NULL;
    c->next = *a;
    c->used = 0;
    *a = c;
  }
  char *p = (*a)->data + (*a)->used;
  memcpy(p, s, n);
  p[n] = 0;
  (*a)->used += n + 1;
  return p;
}

void mtab_arena_free(struct chunk *a) {
  while (a) {
    struct chunk *n = a->next;
    free(a);
    a = n;
  }
}

/* -------------------------------------------------------- the checks --- */

/* Why a display name is refused, or NULL if it is fine. */
const char *mtab_name_problem(const char *s, size_t n) {
  if (n == 0) return "is empty";
  if (n > RC_NAME_MAX) return "is longer than 256 bytes";
  if (!rc_utf8_text_valid(s, n))
    return "holds a control, line separator, byte order mark or "
           "bidirectional character";
  if (s[0] == ' ' || s[n - 1] == ' ' || strstr(s, "  "))
    return "has a leading, trailing or double space";
  return NULL;
}

/* "0" or [1-9][0-9]{0,14}: 0, or -1. */
int mtab_read_count(const char *s, size_t n, uint64_t *v) {
  return rc_parse_u64(s, n, RC_COUNT_DIGITS, v) == RC_OK ? 0 : -1;
}

/* Why a parsed key cannot be in a manifest, or NULL. */
const char *mtab_key_problem(const struct rc_vkey *k) {
  enum rc_key_class c = rc_pubkey_check(k->pk);
  if (c == RC_KEY_NONCANONICAL) return "the public key is not canonical";
  if (c != RC_KEY_GOOD) return "weak key (a point of small order)";
  if (!rc_vkey_ascii_ok(k))
    return "the key name must be printable ASCII in a manifest";
  return NULL;
}

/* Matches the header of c against want (any order). cols[i] gets the
 * column of want[i]. Returns 1 if every column is accounted for. */
int mtab_header(struct rc_mtab_report *rep, const char *table,
                const struct rc_csv *c, const char *const *want, size_t nwant,
                size_t *cols, const char *expect) {
  int ok = 1;
  char q[4 * QUOTE_MAX + 8];
  for (size_t i = 0; i < nwant; i++) cols[i] = SIZE_MAX;
  for (size_t j = 0; j < c->ncols; j++) {
    size_t n;
    const char *h = rc_csv_field(c, 0, j, &n);
    size_t i = 0;
    while (i < nwant && strcmp(h, want[i]) != 0) i++;
    char cn[32];
    snprintf(cn, sizeof cn, "%zu", j + 1);
    if (i == nwant) {
      mtab_cell_error(rep, table, 1, cn, "unknown column %s (the header is %s)",
                      mtab_quote(h, n, q), expect);
      ok = 0;
    } else if (cols[i] != SIZE_MAX) {
      mtab_cell_error(rep, table, 1, cn, "column %s appears twice",
                      mtab_quote(h, n, q));
      ok = 0;
    } else {
      cols[i] = j;
    }
  }
  for (size_t i = 0; i < nwant; i++)
    if (cols[i] == SIZE_MAX) {
      mtab_add_error(rep, "%s row 1: no column \"%s\" (the header is %s)",
                     table, want[i], expect);
      ok = 0;
    }
  return ok;
}

/* Parses a table; a refusal is one error line. Notes a BOM. */
int mtab_read_table(struct rc_mtab_report *rep, const char *table,
                    const uint8_t *buf, size_t len, struct rc_csv *c) {
  struct rc_error err;
  int rc = rc_csv_parse(buf, len, c, &err);
  if (rc == RC_ERR_NOMEM) return rc;
  if (rc != RC_OK) {
    if (err.line && err.field[0])
      mtab_cell_error(rep, table, err.line, err.field, "%s", err.msg);
    else if (err.line)
      mtab_add_error(rep, "%s row %zu: %s", table, err.line, err.msg);
    else mtab_add_error(rep, "%s: %s", table, err.msg);
    return rc;
  }
  if (c->bom) {
    rc_buf_puts(&rep->notes, table);
    rc_buf_puts(&rep->notes,
                " starts with a UTF-8 byte order mark; it is skipped\n");
  }
  return RC_OK;
}