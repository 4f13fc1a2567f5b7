/* district.c — district records and districts.txt (RECORD.md §3–4). */
#include <stdlib.h>
#include <string.h>

#include "b64.h"
#include "text.h"
#include "texts.h"

static int count_line(struct rc_cur *c, const char *kw, uint64_t *v,
                      struct rc_error *err) {
  const char *s;
  size_t n;
  int rc = rc_cur_expect(c, kw, &s, &n, err);
  return rc ? rc : rc_read_count(c, kw, s, n, v, err);
}

int rc_parse_district(const uint8_t *buf, size_t len,
                      struct rc_district_rec *out, struct rc_error *err) {
  struct rc_cur c;
  const char *s;
  size_t n;
  int rc;
  memset(out, 0, sizeof *out);
  if (len > RC_SMALL_TEXT_MAX)
    return rc_fail(err, RC_ERR_LIMIT, 0, "district", "record too long");
  if (!rc_ascii_text(buf, len))
    return rc_fail(err, RC_ERR_SYNTAX, rc_first_nonascii_line(buf, len),
                   "line", "non-ASCII byte in a district record");
  rc_cur_init(&c, buf, len);
  int r = rc_cur_next(&c, err);
  if (r < 0) return (int)err->code;
  if (r == 0 || c.n != 19 || memcmp(c.s, "recount district v1", 19) != 0)
    return rc_fail(err, RC_ERR_SYNTAX, 1, "header",
                   "expected 'recount district v1'");
  if ((rc = rc_cur_expect(&c, "election", &s, &n, err)) ||
      (rc = rc_read_id(&c, "election", s, n, out->election, err)) ||
      (rc = rc_cur_expect(&c, "district", &s, &n, err)) ||
      (rc = rc_read_id(&c, "district", s, n, out->district, err)) ||
      (rc = count_line(&c, "stations", &out->stations, err)) ||
      (rc = count_line(&c, "sheets", &out->sheets, err)) ||
      (rc = rc_cur_expect(&c, "root", &s, &n, err)) ||
      (rc = rc_read_hash(&c, "root", s, n, out->root, err)) ||
      (rc = count_line(&c, "registered", &out->registered, err)) ||
      (rc = count_line(&c, "ballots", &out->ballots, err)) ||
      (rc = count_line(&c, "invalid", &out->invalid, err)) ||
      (rc = count_line(&c, "blank", &out->blank, err)) ||
      (rc = count_line(&c, "excluded", &out->excluded, err)))
    return rc;
  return rc_read_votes(&c, out->votes, &out->nvotes, err);
}

/* counts must stay encodable: a figure >= 10^15 is refused */
static int ok_count(uint64_t v) { return v < RC_COUNT_LIMIT; }

int rc_encode_district(const struct rc_district_rec *d, struct rc_buf *b) {
  int ok = ok_count(d->stations) && ok_count(d->sheets) &&
           ok_count(d->registered) && ok_count(d->ballots) &&
           ok_count(d->invalid) && ok_count(d->blank) && ok_count(d->excluded);
  for (size_t i = 0; i < d->nvotes; i++) ok = ok && ok_count(d->votes[i].count);
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
                (unsigned long long)d->ballots,
                (unsigned long long)d->invalid, (unsigned long long)d->blank,
                (unsigned long long)d->excluded);
  for (size_t i = 0; i < d->nvotes; i++)
    rc_buf_printf(b, "vote %s %llu\n", d->votes[i].choice,
                  (unsigned long long)d->votes[i].count);
  return b->oom ? RC_ERR_NOMEM : RC_OK;
}

int rc_split_districts(const uint8_t *buf, size_t len, size_t **starts,
                       size_t **lens, size_t *n, struct rc_error *err) {
  *starts = NULL;
  *lens = NULL;
  *n = 0;
  if (len == 0) return RC_OK;
  if (buf[len - 1] != '\n')
    return rc_fail(err, RC_ERR_SYNTAX, 0, "districts.txt",
                   "the file does not end with a newline");
  if (buf[0] == '\n')
    return rc_fail(err, RC_ERR_SYNTAX, 1, "districts.txt",
                   "the file starts with an empty line");
  size_t cap = 64, k = 0, line = 1, start = 0;
  size_t *st = malloc(cap * sizeof *st), *ln = malloc(cap * sizeof *ln);
  if (!st || !ln) goto nomem;
  for (size_t i = 0; i < len; i++) {
    if (buf[i] != '\n') continue;
    line++;
    int end_of_record = i + 1 == len || buf[i + 1] == '\n';
    if (!end_of_record) continue;
    if (k == cap) {
      cap *= 2;
      size_t *a = realloc(st, cap * sizeof *st);
      if (!a) goto nomem;
      st = a;
      size_t *b2 = realloc(ln, cap * sizeof *ln);
      if (!b2) goto nomem;
      ln = b2;
    }
    st[k] = start;
    ln[k] = i + 1 - start;
    k++;
    if (i + 1 == len) break;
    /* exactly one empty line between records */
    if (i + 2 >= len || buf[i + 2] == '\n') {
      free(st);
      free(ln);
      return rc_fail(err, RC_ERR_SYNTAX, line + 1, "districts.txt",
                     i + 2 >= len ? "the file ends with an empty line"
                                  : "two empty lines in a row");
    }
    start = i + 2;
    i++;
    line++;
  }
  *starts = st;
  *lens = ln;
  *n = k;
  return RC_OK;
nomem:
  free(st);
  free(ln);
  return rc_fail(err, RC_ERR_NOMEM, 0, "districts.txt", "out of memory");
}
