/* sheet.c — count sheets (RECORD.md §3) and identifiers. */
#include <string.h>

#include "text.h"
#include "texts.h"

int rc_id_valid(const char *s, size_t n) {
  if (n == 0 || n > RC_ID_MAX) return 0;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    int ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
             (i > 0 && (c == '.' || c == '_' || c == '-'));
    if (!ok) return 0;
  }
  return 1;
}

/* "kw <count>" on the next line */
static int count_line(struct rc_cur *c, const char *kw, uint64_t *v,
                      struct rc_error *err) {
  const char *s;
  size_t n;
  int rc = rc_cur_expect(c, kw, &s, &n, err);
  if (rc) return rc;
  return rc_read_count(c, kw, s, n, v, err);
}

static int id_line(struct rc_cur *c, const char *kw, char *out,
                   struct rc_error *err) {
  const char *s;
  size_t n;
  int rc = rc_cur_expect(c, kw, &s, &n, err);
  if (rc) return rc;
  return rc_read_id(c, kw, s, n, out, err);
}

/* Reads "vote <choice> <count>" lines to the end of the text. */
int rc_read_votes(struct rc_cur *c, struct rc_vote *votes, size_t *nvotes,
                  struct rc_error *err) {
  *nvotes = 0;
  for (;;) {
    int r = rc_cur_next(c, err);
    if (r < 0) return (int)err->code;
    if (r == 0) break;
    const char *v, *id, *cnt;
    size_t vn, idn, cn;
    int rc = rc_cur_value(c, "vote", &v, &vn, err);
    if (rc) return rc;
    if (*nvotes == RC_MAX_CHOICES)
      return rc_fail(err, RC_ERR_LIMIT, c->line, "vote",
                     "more than %d vote lines", RC_MAX_CHOICES);
    if (rc_split(v, vn, &id, &idn, &cnt, &cn) != 0)
      return rc_fail(err, RC_ERR_SYNTAX, c->line, "vote",
                     "expected 'vote <choice> <count>'");
    struct rc_vote *vo = &votes[*nvotes];
    if ((rc = rc_read_id(c, "vote", id, idn, vo->choice, err)) ||
        (rc = rc_read_count(c, "vote", cnt, cn, &vo->count, err)))
      return rc;
    for (size_t i = 0; i < *nvotes; i++)
      if (!strcmp(votes[i].choice, vo->choice))
        return rc_fail(err, RC_ERR_DUP, c->line, "vote",
                       "second vote line for choice %s", vo->choice);
    (*nvotes)++;
  }
  if (*nvotes == 0)
    return rc_fail(err, RC_ERR_SYNTAX, c->line + 1, "vote",
                   "at least one vote line is required");
  return RC_OK;
}

int rc_parse_sheet(const uint8_t *buf, size_t len, struct rc_sheet *out,
                   struct rc_error *err) {
  struct rc_cur c;
  int rc;
  const char *s;
  size_t n;
  out->nvotes = 0;
  if (len > RC_SHEET_TEXT_MAX)
    return rc_fail(err, RC_ERR_LIMIT, 0, "sheet",
                   "count sheet longer than %d bytes", RC_SHEET_TEXT_MAX);
  if (!rc_ascii_text(buf, len))
    return rc_fail(err, RC_ERR_SYNTAX, rc_first_nonascii_line(buf, len),
                   "line", "non-ASCII byte in a count sheet");
  rc_cur_init(&c, buf, len);
  int r = rc_cur_next(&c, err);
  if (r <= 0)
    return r < 0 ? (int)err->code
                 : rc_fail(err, RC_ERR_SYNTAX, 1, "header", "empty text");
  if (c.n != 22 || memcmp(c.s, "recount count-sheet v1", 22) != 0)
    return rc_fail(err, RC_ERR_SYNTAX, 1, "header",
                   "expected 'recount count-sheet v1'");
  if ((rc = id_line(&c, "election", out->election, err)) ||
      (rc = id_line(&c, "district", out->district, err)) ||
      (rc = id_line(&c, "station", out->station, err)) ||
      (rc = count_line(&c, "registered", &out->registered, err)) ||
      (rc = count_line(&c, "ballots", &out->ballots, err)) ||
      (rc = count_line(&c, "invalid", &out->invalid, err)) ||
      (rc = count_line(&c, "blank", &out->blank, err)) ||
      (rc = count_line(&c, "excluded", &out->excluded, err)))
    return rc;
  (void)s;
  (void)n;
  return rc_read_votes(&c, out->votes, &out->nvotes, err);
}

int rc_encode_sheet(const struct rc_sheet *s, struct rc_buf *b) {
  rc_buf_printf(b,
                "recount count-sheet v1\nelection %s\ndistrict %s\nstation "
                "%s\nregistered %llu\nballots %llu\ninvalid %llu\nblank "
                "%llu\nexcluded %llu\n",
                s->election, s->district, s->station,
                (unsigned long long)s->registered,
                (unsigned long long)s->ballots,
                (unsigned long long)s->invalid, (unsigned long long)s->blank,
                (unsigned long long)s->excluded);
  for (size_t i = 0; i < s->nvotes; i++)
    rc_buf_printf(b, "vote %s %llu\n", s->votes[i].choice,
                  (unsigned long long)s->votes[i].count);
  return b->oom ? RC_ERR_NOMEM : RC_OK;
}

int rc_sheet_arith(const struct rc_sheet *s, struct rc_error *err) {
  uint64_t sum = 0;
  int over = rc_add_u64(&sum, s->invalid) | rc_add_u64(&sum, s->blank) |
             rc_add_u64(&sum, s->excluded);
  for (size_t i = 0; i < s->nvotes; i++) over |= rc_add_u64(&sum, s->votes[i].count);
  if (over)
    return rc_fail(err, RC_ERR_OVERFLOW, 0, "ballots",
                   "the figures overflow 64 bits when added");
  if (sum != s->ballots)
    return rc_fail(err, RC_ERR_ARITH, 6, "ballots",
                   "invalid + blank + excluded + votes = %llu, but ballots "
                   "is %llu",
                   (unsigned long long)sum, (unsigned long long)s->ballots);
  return RC_OK;
}
