/* tally.c — sums: each counted sheet into its district's totals (and out
 * again when its station turns out to equivocate), then the districts
 * into the election totals. A sum that would exceed 64 bits sticks at
 * UINT64_MAX and is a finding, never a wrapped figure. */
#include "engine.h"

/* Adds v to *acc; on overflow *acc sticks at UINT64_MAX (never a wrapped
 * value in a report) and 1 is returned. */
int sat_add(uint64_t *acc, uint64_t v) {
  if (rc_add_u64(acc, v) == 0) return 0;
  *acc = UINT64_MAX;
  return 1;
}

void tally_add(struct rc_totals *t, const struct counts *c, size_t nchoices) {
  int bad = 0;
  bad |= sat_add(&t->registered, c->registered);
  bad |= sat_add(&t->ballots, c->ballots);
  bad |= sat_add(&t->invalid, c->invalid);
  bad |= sat_add(&t->blank, c->blank);
  bad |= sat_add(&t->excluded, c->excluded);
  for (size_t i = 0; i < nchoices; i++) {
    bad |= sat_add(&t->votes[i], c->votes[i]);
    bad |= sat_add(&t->valid, c->votes[i]);
  }
  t->sheets_counted++;
  if (bad) t->overflow = 1;
}

void tally_sub(struct rc_totals *t, const struct counts *c, size_t nchoices) {
  if (t->overflow) return; /* meaningless already; reported as overflow */
  t->registered -= c->registered;
  t->ballots -= c->ballots;
  t->invalid -= c->invalid;
  t->blank -= c->blank;
  t->excluded -= c->excluded;
  for (size_t i = 0; i < nchoices; i++) {
    t->votes[i] -= c->votes[i];
    t->valid -= c->votes[i];
  }
  t->sheets_counted--;
}

/* Adds district totals x into the election totals t; 1 on overflow. */
static int add_district(struct rc_totals *t, const struct rc_totals *x,
                        size_t nchoices) {
  int bad = 0;
  bad |= sat_add(&t->registered, x->registered);
  bad |= sat_add(&t->ballots, x->ballots);
  bad |= sat_add(&t->invalid, x->invalid);
  bad |= sat_add(&t->blank, x->blank);
  bad |= sat_add(&t->excluded, x->excluded);
  bad |= sat_add(&t->valid, x->valid);
  for (size_t c = 0; c < nchoices; c++)
    bad |= sat_add(&t->votes[c], x->votes[c]);
  t->sheets_counted += x->sheets_counted;
  return bad;
}

/* Sums district totals into the election totals; overflow findings. */
void sum_totals(struct engine *eng) {
  const struct rc_manifest *m = eng->m;
  struct rc_record_report *rep = eng->rep;
  struct rc_totals *t = &rep->totals;
  for (size_t d = 0; d < m->ndistricts; d++) {
    const struct rc_totals *x = &rep->districts[d].totals;
    if (x->overflow)
      findings_add(&eng->found, RC_F_COUNT_OVERFLOW, m->districts[d].id, NULL,
                   NULL, 0,
                   "a figure of district %s exceeds 64 bits when summed",
                   m->districts[d].id);
    if (add_district(t, x, m->nchoices) || x->overflow) t->overflow = 1;
    if (x->changed) t->changed = 1;
  }
  if (t->overflow)
    findings_add(&eng->found, RC_F_COUNT_OVERFLOW, NULL, NULL, NULL, 0,
                 "an election-wide figure exceeds 64 bits when summed");
}
