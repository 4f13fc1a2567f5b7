/* gen_table.c — the district table recount-gen spreads over stations
 * (testvectors/krd-2017/districts.csv), read with the project's RFC 4180
 * parser (formats/csv.h) and its strict count reader. An empty count cell
 * means 0: the diaspora's e-voting row has no centres and no polling
 * stations. */
#include "gen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "read.h"
#include "text.h"
#include "texts.h"

#define TABLE_COLS 14
#define TABLE_ROWS_MAX 256

static int cmp_drow(const void *a, const void *b) {
  return strcmp(((const struct drow *)a)->id, ((const struct drow *)b)->id);
}

/* One row (1-based spreadsheet row r of the table) into d; 0 or -1 after
 * saying why. */
static int read_row(const char *path, const struct rc_csv *c, size_t r,
                    struct drow *d) {
  size_t n;
  const char *id = rc_csv_field(c, r, 0, &n);
  if (!rc_id_valid(id, n)) {
    fprintf(stderr, "recount-gen: %s row %zu: id is not an identifier\n", path,
            r + 1);
    return -1;
  }
  snprintf(d->id, sizeof d->id, "%s", id);
  snprintf(d->name, sizeof d->name, "%s", rc_csv_field(c, r, 3, NULL));
  snprintf(d->kind, sizeof d->kind, "%s", rc_csv_field(c, r, 4, NULL));
  uint64_t *dst[] = {&d->stations, &d->registered, &d->ballots, &d->yes,
                     &d->no,       &d->invalid,    &d->blank,   &d->excluded};
  for (size_t i = 0; i < 8; i++) {
    const char *s = rc_csv_field(c, r, 6 + i, &n);
    *dst[i] = 0;
    if (n && rc_parse_u64(s, n, RC_COUNT_DIGITS, dst[i]) != RC_OK) {
      fprintf(stderr, "recount-gen: %s row %zu, column %zu: not a count\n",
              path, r + 1, 7 + i);
      return -1;
    }
  }
  if (d->yes + d->no + d->invalid + d->blank + d->excluded != d->ballots ||
      d->ballots > d->registered) {
    fprintf(stderr, "recount-gen: %s row %zu: row does not balance\n", path,
            r + 1);
    return -1;
  }
  return 0;
}

struct drow *gen_read_table(const char *path, size_t *n) {
  uint8_t *buf = NULL;
  size_t len;
  struct rc_error err;
  struct rc_csv c;
  struct drow *rows = NULL;
  if (rc_read_file(path, RC_CSV_FILE_MAX, &buf, &len, &err) != RC_OK ||
      rc_csv_parse(buf, len, &c, &err) != RC_OK) {
    fprintf(stderr, "recount-gen: %s: %s\n", path, err.msg);
    free(buf);
    return NULL;
  }
  free(buf);
  if (c.ncols != TABLE_COLS || c.nrows < 2 || c.nrows - 1 > TABLE_ROWS_MAX) {
    fprintf(stderr,
            "recount-gen: %s: expected a header and 1 to %d rows of %d "
            "columns\n",
            path, TABLE_ROWS_MAX, TABLE_COLS);
    goto out;
  }
  size_t k = c.nrows - 1;
  rows = calloc(k, sizeof *rows);
  if (!rows) {
    fprintf(stderr, "recount-gen: out of memory\n");
    goto out;
  }
  for (size_t i = 0; i < k; i++) {
    rows[i].order = i;
    if (read_row(path, &c, i + 1, &rows[i]) != 0) {
      free(rows);
      rows = NULL;
      goto out;
    }
  }
  qsort(rows, k, sizeof *rows, cmp_drow);
  *n = k;
out:
  rc_csv_free(&c);
  return rows;
}
