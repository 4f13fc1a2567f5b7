/* sheet.c — count sheets (RECORD.md §3):
 *
 *   recount count-sheet v1
 *   election <id>  district <id>  station <id>
 *   registered, ballots, invalid, blank, excluded <count>
 *   vote <choice-id> <count>     (1..RC_MAX_CHOICES)
 *
 * The parser checks the text alone; the balance rule is rc_sheet_arith and
 * the comparison with the manifest is the verifier's. */
#include <string.h>

#include "text.h"
#include "texts.h"

static const char *const sheet_kws[] = {
    "election", "district", "station",  "registered", "ballots",
    "invalid",  "blank",    "excluded", "vote",       NULL};

int rc_parse_sheet(const uint8_t *buf, size_t len, struct rc_sheet *out,
                   struct rc_error *err) {
  struct rc_error local;
  struct rc_cur c;
  int rc;
  if (!err) err = &local;
  memset(out, 0, sizeof *out);
  if (len > RC_SHEET_TEXT_MAX) {
    rc =
        rc_fail(err, RC_ERR_LIMIT, 0, "sheet",
                "count sheet of %zu bytes: at most %d", len, RC_SHEET_TEXT_MAX);
    goto out;
  }
  rc_cur_init(&c, buf, len, sheet_kws);
  if ((rc = rc_text_ascii(buf, len, "count sheet", err)) ||
      (rc = rc_cur_header(&c, "recount count-sheet v1", "count sheet", err)) ||
      (rc = rc_cur_id_line(&c, "election", out->election, err)) ||
      (rc = rc_cur_id_line(&c, "district", out->district, err)) ||
      (rc = rc_cur_id_line(&c, "station", out->station, err)) ||
      (rc = rc_cur_count_line(&c, "registered", &out->registered, err)) ||
      (rc = rc_cur_count_line(&c, "ballots", &out->ballots, err)) ||
      (rc = rc_cur_count_line(&c, "invalid", &out->invalid, err)) ||
      (rc = rc_cur_count_line(&c, "blank", &out->blank, err)) ||
      (rc = rc_cur_count_line(&c, "excluded", &out->excluded, err)) ||
      (rc = rc_read_votes(&c, out->votes, &out->nvotes, err)))
    goto out;
out:
  if (rc != RC_OK) memset(out, 0, sizeof *out);
  return rc;
}

/* 1 if s can be encoded as a text rc_parse_sheet accepts */
static int sheet_ok(const struct rc_sheet *s) {
  if (!rc_id_ok(s->election) || !rc_id_ok(s->district) ||
      !rc_id_ok(s->station) || !rc_count_ok(s->registered) ||
      !rc_count_ok(s->ballots) || !rc_count_ok(s->invalid) ||
      !rc_count_ok(s->blank) || !rc_count_ok(s->excluded) || s->nvotes < 1 ||
      s->nvotes > RC_MAX_CHOICES)
    return 0;
  for (size_t i = 0; i < s->nvotes; i++) {
    if (!rc_id_ok(s->votes[i].choice) || !rc_count_ok(s->votes[i].count))
      return 0;
    for (size_t j = 0; j < i; j++)
      if (strcmp(s->votes[i].choice, s->votes[j].choice) == 0) return 0;
  }
  return 1;
}

int rc_encode_sheet(const struct rc_sheet *s, struct rc_buf *b) {
  if (!sheet_ok(s)) return RC_ERR_USAGE;
  rc_buf_printf(b,
                "recount count-sheet v1\nelection %s\ndistrict %s\nstation "
                "%s\nregistered %llu\nballots %llu\ninvalid %llu\nblank "
                "%llu\nexcluded %llu\n",
                s->election, s->district, s->station,
                (unsigned long long)s->registered,
                (unsigned long long)s->ballots, (unsigned long long)s->invalid,
                (unsigned long long)s->blank, (unsigned long long)s->excluded);
  for (size_t i = 0; i < s->nvotes; i++)
    rc_buf_printf(b, "vote %s %llu\n", s->votes[i].choice,
                  (unsigned long long)s->votes[i].count);
  return b->oom ? RC_ERR_NOMEM : RC_OK;
}

int rc_sheet_arith(const struct rc_sheet *s, struct rc_error *err) {
  uint64_t sum = 0;
  int over = rc_add_u64(&sum, s->invalid) | rc_add_u64(&sum, s->blank) |
             rc_add_u64(&sum, s->excluded);
  size_t n = s->nvotes <= RC_MAX_CHOICES ? s->nvotes : RC_MAX_CHOICES;
  for (size_t i = 0; i < n; i++) over |= rc_add_u64(&sum, s->votes[i].count);
  /* line 6 is the ballots line of every sheet */
  if (over)
    return rc_fail(err, RC_ERR_OVERFLOW, 6, "ballots",
                   "invalid + blank + excluded + votes exceeds 64 bits");
  char a[32], b[32]; /* read by people: the finding's message */
  if (sum != s->ballots)
    return rc_fail(err, RC_ERR_ARITH, 6, "ballots",
                   "invalid + blank + excluded + votes = %s, but ballots "
                   "is %s",
                   rc_fmt_count(a, sum), rc_fmt_count(b, s->ballots));
  return RC_OK;
}
