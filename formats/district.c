/* district.c — district records and districts.txt (RECORD.md §3–4):
 *
 *   recount district v1
 *   election <id>  district <id>
 *   stations, sheets <count>
 *   root <base64 of 32 bytes>
 *   registered, ballots, invalid, blank, excluded <total>
 *   vote <choice-id> <total>     (1..RC_MAX_CHOICES)
 *
 * <count> is a count (< 10^15), <total> any value below 2^64 (v1.1).
 */
#include <stdlib.h>
#include <string.h>

#include "b64.h"
#include "text.h"
#include "texts.h"

static const char *const district_kws[] = {
    "election", "district", "stations", "sheets",   "root", "registered",
    "ballots",  "invalid",  "blank",    "excluded", "vote", NULL};

int rc_parse_district(const uint8_t *buf, size_t len,
                      struct rc_district_rec *out, struct rc_error *err) {
  struct rc_error local;
  struct rc_cur c;
  const char *s;
  size_t n;
  int rc;
  if (!err) err = &local;
  memset(out, 0, sizeof *out);
  if (len > RC_SMALL_TEXT_MAX) {
    rc = rc_fail(err, RC_ERR_LIMIT, 0, "district",
                 "district record of %zu bytes: at most %u", len,
                 RC_SMALL_TEXT_MAX);
    goto out;
  }
  rc_cur_init(&c, buf, len, district_kws);
  if ((rc = rc_text_ascii(buf, len, "district record", err)) ||
      (rc = rc_cur_header(&c, "recount district v1", "district record", err)) ||
      (rc = rc_cur_id_line(&c, "election", out->election, err)) ||
      (rc = rc_cur_id_line(&c, "district", out->district, err)) ||
      (rc = rc_cur_count_line(&c, "stations", &out->stations, err)) ||
      (rc = rc_cur_count_line(&c, "sheets", &out->sheets, err)) ||
      (rc = rc_cur_expect(&c, "root", &s, &n, err)) ||
      (rc = rc_read_b64_32(&c, "root", s, n, out->root, err)) ||
      (rc = rc_cur_total_line(&c, "registered", &out->registered, err)) ||
      (rc = rc_cur_total_line(&c, "ballots", &out->ballots, err)) ||
      (rc = rc_cur_total_line(&c, "invalid", &out->invalid, err)) ||
      (rc = rc_cur_total_line(&c, "blank", &out->blank, err)) ||
      (rc = rc_cur_total_line(&c, "excluded", &out->excluded, err)) ||
      (rc = rc_read_total_votes(&c, out->votes, &out->nvotes, err)))
    goto out;
out:
  if (rc != RC_OK) memset(out, 0, sizeof *out);
  return rc;
}

int rc_encode_district(const struct rc_district_rec *d, struct rc_buf *b) {
  if (!rc_id_ok(d->election) || !rc_id_ok(d->district) || d->nvotes < 1 ||
      d->nvotes > RC_MAX_CHOICES)
    return RC_ERR_USAGE;
  /* stations and sheets are counts (< 10^15); the sums are totals, any
   * 64-bit value (RECORD.md §2, v1.1) */
  int ok = rc_count_ok(d->stations) && rc_count_ok(d->sheets);
  for (size_t i = 0; i < d->nvotes; i++) {
    if (!rc_id_ok(d->votes[i].choice)) return RC_ERR_USAGE;
    for (size_t j = 0; j < i; j++)
      if (strcmp(d->votes[i].choice, d->votes[j].choice) == 0)
        return RC_ERR_USAGE;
  }
  if (!ok) return RC_ERR_LIMIT;
  char root[48];
  rc_b64_encode(d->root, 32, root);
  rc_buf_printf(b,
                "recount district v1\nelection %s\ndistrict %s\nstations "
                "%llu\nsheets %llu\nroot %s\nregistered %llu\nballots "
                "%llu\ninvalid %llu\nblank %llu\nexcluded %llu\n",
                d->election, d->district, (unsigned long long)d->stations,
                (unsigned long long)d->sheets, root,
                (unsigned long long)d->registered,
                (unsigned long long)d->ballots, (unsigned long long)d->invalid,
                (unsigned long long)d->blank, (unsigned long long)d->excluded);
  for (size_t i = 0; i < d->nvotes; i++)
    rc_buf_printf(b, "vote %s %llu\n", d->votes[i].choice,
                  (unsigned long long)d->votes[i].count);
  return b->oom ? RC_ERR_NOMEM : RC_OK;
}

/* Appends (start, len) to the growing arrays. Returns 0 or -1. */
static int push_rec(size_t **st, size_t **ln, size_t *cap, size_t k,
                    size_t start, size_t len) {
  if (k == *cap) {
    size_t nc = *cap ? *cap * 2 : 64;
    size_t *a = realloc(*st, nc * sizeof *a);
    if (!a) return -1;
    *st = a;
    size_t *b = realloc(*ln, nc * sizeof *b);
    if (!b) return -1;
    *ln = b;
    *cap = nc;
  }
  (*st)[k] = start;
  (*ln)[k] = len;
  return 0;
}

int rc_split_districts(const uint8_t *buf, size_t len, size_t **starts,
                       size_t **lens, size_t *n, struct rc_error *err) {
  struct rc_error local;
  size_t *st = NULL, *ln = NULL, cap = 0, k = 0;
  size_t line = 1, start = 0; /* line: number of the line at offset i */
  int rc = RC_OK;
  if (!err) err = &local;
  *starts = NULL;
  *lens = NULL;
  *n = 0;
  if (len > RC_DISTRICTS_FILE_MAX) {
    rc = rc_fail(err, RC_ERR_LIMIT, 0, "districts.txt",
                 "districts.txt of %zu bytes: at most %llu", len,
                 (unsigned long long)RC_DISTRICTS_FILE_MAX);
    goto out;
  }
  if (len == 0) goto out; /* no records */
  if (buf[len - 1] != '\n') {
    size_t l = 1;
    for (size_t i = 0; i < len; i++) l += buf[i] == '\n';
    rc = rc_fail(err, RC_ERR_SYNTAX, l, "districts.txt",
                 "the file does not end with a newline (the last line is "
                 "cut off)");
    goto out;
  }
  for (size_t i = 0; i < len; i++) {
    if (buf[i] != '\n') continue;
    if (i == start) { /* an empty line where a record should start */
      rc = rc_fail(err, RC_ERR_SYNTAX, line, "districts.txt",
                   start == 0 ? "the file starts with an empty line"
                   : i + 1 == len
                       ? "the file ends with an empty line"
                       : "two empty lines in a row: records are separated "
                         "by exactly one");
      goto out;
    }
    line++;
    if (i + 1 < len && buf[i + 1] != '\n') continue;
    /* the record ends here: at the end of the file or before an empty
     * line, which is skipped */
    if (push_rec(&st, &ln, &cap, k, start, i + 1 - start) != 0) {
      rc = rc_fail(err, RC_ERR_NOMEM, line, "districts.txt", "out of memory");
      goto out;
    }
    k++;
    if (i + 1 == len) break;
    if (i + 2 == len) {
      rc = rc_fail(err, RC_ERR_SYNTAX, line, "districts.txt",
                   "the file ends with an empty line");
      goto out;
    }
    i++; /* the empty line */
    line++;
    start = i + 1;
  }
out:
  if (rc != RC_OK) {
    free(st);
    free(ln);
    return rc;
  }
  *starts = st;
  *lens = ln;
  *n = k;
  return RC_OK;
}
