/* manifest_tables_int.h — shared inside `recount-sign manifest`'s
 * library step: the messages it collects, the string arena and the
 * per-cell checks (sign/manifest_msgs.c), used by the table walk in
 * sign/manifest_tables.c. Not an interface for anything else. */
#ifndef RC_MANIFEST_TABLES_INT_H
#define RC_MANIFEST_TABLES_INT_H
#include <stddef.h>
#include <stdint.h>

#include "csv.h"
#include "keys.h"
#include "manifest_tables.h"

#define QUOTE_MAX 200 /* bytes of a cell quoted back in a message */
#define ID_RULE "is not an identifier ([a-z0-9][a-z0-9._-]{0,63})"
#define COUNT_RULE                                                             \
  "is not a count (0, or 1 to 15 digits without a leading zero)"

/* Strings of the manifest being built, in 64 KiB chunks. */
struct chunk {
  struct chunk *next;
  size_t used;
  char data[65536];
};

char *mtab_arena_dup(struct chunk **a, const char *s, size_t n);
void mtab_arena_free(struct chunk *a);

/* An error line (printf-style, without the newline). */
__attribute__((format(printf, 2, 3))) void
mtab_add_error(struct rc_mtab_report *rep, const char *fmt, ...);
/* "<table> row <row>, column <col>: <message>". row is 1-based. */
__attribute__((format(printf, 5, 6))) void
mtab_cell_error(struct rc_mtab_report *rep, const char *table, size_t row,
                const char *col, const char *fmt, ...);
/* s[0..n) quoted for a message: '"' and '\' escaped, control bytes as
 * \xNN, cut (at a character boundary) after QUOTE_MAX bytes with "...". */
const char *mtab_quote(const char *s, size_t n, char out[4 * QUOTE_MAX + 8]);

/* Why a display name is refused, or NULL if it is fine. */
const char *mtab_name_problem(const char *s, size_t n);
/* "0" or [1-9][0-9]{0,14}: 0, or -1. */
int mtab_read_count(const char *s, size_t n, uint64_t *v);
/* Why a parsed key cannot be in a manifest, or NULL. */
const char *mtab_key_problem(const struct rc_vkey *k);
/* Matches the header of c against want (any order). cols[i] gets the
 * column of want[i]. Returns 1 if every column is accounted for. */
int mtab_header(struct rc_mtab_report *rep, const char *table,
                const struct rc_csv *c, const char *const *want, size_t nwant,
                size_t *cols, const char *expect);
/* Parses a table; a refusal is one error line. Notes a BOM. */
int mtab_read_table(struct rc_mtab_report *rep, const char *table,
                    const uint8_t *buf, size_t len, struct rc_csv *c);
#endif
