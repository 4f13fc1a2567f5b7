/* publish.c — published figures recomputed from a checked record
 * (publish.h). The figures are the engine's own totals, the ones the
 * verifier reconciles against, so what is published reconciles exactly. */
#include "publish.h"

#include <stdio.h>
#include <string.h>

#include "texts.h"

/* A percent num/den at d decimals; 0/0 is zero. */
static int percent(uint64_t num, uint64_t den, unsigned d, struct rc_buf *b) {
  struct rc_percent p = {0, (uint8_t)d, 0};
  if (den != 0 && rc_percent_from_ratio(num, den, (uint8_t)d, &p) != 0)
    return -1;
  rc_percent_encode(&p, b);
  return 0;
}

/* The figure lines of totals t, each prefixed with pfx ("" or
 * "district <id> "). */
static int figures(const struct rc_manifest *m, const struct rc_totals *t,
                   const char *pfx, unsigned d, struct rc_buf *b) {
  static const char *const kw[] = {"registered", "ballots",  "invalid",
                                   "blank",      "excluded", "valid"};
  const uint64_t v[] = {t->registered, t->ballots,  t->invalid,
                        t->blank,      t->excluded, t->valid};
  if (t->overflow || t->changed) return -1;
  for (size_t i = 0; i < 6; i++)
    rc_buf_printf(b, "%s%s %llu\n", pfx, kw[i], (unsigned long long)v[i]);
  for (size_t c = 0; c < m->nchoices; c++)
    rc_buf_printf(b, "%svote %s %llu\n", pfx, m->choices[c].id,
                  (unsigned long long)t->votes[c]);
  for (size_t c = 0; c < m->nchoices; c++) {
    rc_buf_printf(b, "%sshare %s ", pfx, m->choices[c].id);
    if (percent(t->votes[c], t->valid, d, b) != 0) return -1;
    rc_buf_putc(b, '\n');
  }
  rc_buf_printf(b, "%sturnout ", pfx);
  if (percent(t->ballots, t->registered, d, b) != 0) return -1;
  rc_buf_putc(b, '\n');
  return 0;
}

int rc_publish_text(const struct rc_record_report *rep, unsigned decimals,
                    int districts, struct rc_buf *out, struct rc_error *err) {
  if (decimals > RC_PERCENT_DECIMALS_MAX)
    return rc_fail(err, RC_ERR_USAGE, 0, "decimals", "at most %d decimals",
                   RC_PERCENT_DECIMALS_MAX);
  if (!rep->have_manifest)
    return rc_fail(err, RC_ERR_USAGE, 0, "manifest",
                   "the record's manifest could not be read");
  const struct rc_manifest *m = &rep->manifest;
  struct rc_buf b = {0};
  struct rc_published p = {0};
  int rc = RC_OK;
  rc_buf_printf(&b, "recount published v1\nelection %s\n", m->election);
  if (figures(m, &rep->totals, "", decimals, &b) != 0) {
    rc = rc_fail(err, RC_ERR_OVERFLOW, 0, "totals",
                 "the recomputed totals are not usable (a sum overflowed, "
                 "or a file changed while it was read)");
    goto out;
  }
  for (size_t d = 0; districts && d < m->ndistricts; d++) {
    char pfx[RC_ID_MAX + 16];
    snprintf(pfx, sizeof pfx, "district %s ", m->districts[d].id);
    if (figures(m, &rep->districts[d].totals, pfx, decimals, &b) != 0) {
      rc = rc_fail(err, RC_ERR_OVERFLOW, 0, "totals",
                   "the recomputed totals of district %s are not usable",
                   m->districts[d].id);
      goto out;
    }
  }
  if (b.oom) {
    rc = rc_fail(err, RC_ERR_NOMEM, 0, "", "out of memory");
    goto out;
  }
  /* what is written must read back as published figures of this
   * manifest (and fit the grammar's limits) */
  if ((rc = rc_parse_published(b.p, b.len, &p, err)) != RC_OK ||
      (rc = rc_published_check_manifest(&p, m, err)) != RC_OK)
    goto out;
  rc_buf_put(out, b.p, b.len);
  if (out->oom) rc = rc_fail(err, RC_ERR_NOMEM, 0, "", "out of memory");
out:
  rc_published_free(&p);
  rc_buf_free(&b);
  return rc;
}
