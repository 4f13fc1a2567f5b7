/* completeness.c — what the counted evidence covers (RECORD.md v1.1 §6):
 * per registered station whether it was counted, has no sheet or only
 * rejected ones; the figures the rejected stations' sheets claim (the
 * first parseable text of each in bytewise order, re-read: such stations
 * are few, and each text is read once); R, the leader, the margin and
 * whether the stations not counted could change the leading choice. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "text.h"

/* Station figures are kept packed: each column (registered, ballots, ...,
 * the votes of each choice) in the fewest bytes that hold every value of
 * it kept so far, rep->station_figs_width[k], in the machine's byte order
 * (they never leave it); a station's values take station_figs_stride
 * bytes. */
static unsigned width_of(uint64_t v) {
  return v <= UINT8_MAX ? 1 : v <= UINT16_MAX ? 2 : v <= UINT32_MAX ? 4 : 8;
}

static uint64_t get_fig(const uint8_t *p, unsigned w) {
  uint8_t v8;
  uint16_t v16;
  uint32_t v32;
  uint64_t v64;
  switch (w) {
  case 1: memcpy(&v8, p, 1); return v8;
  case 2: memcpy(&v16, p, 2); return v16;
  case 4: memcpy(&v32, p, 4); return v32;
  default: memcpy(&v64, p, 8); return v64;
  }
}

static void put_fig(uint8_t *p, unsigned w, uint64_t v) {
  uint8_t v8 = (uint8_t)v;
  uint16_t v16 = (uint16_t)v;
  uint32_t v32 = (uint32_t)v;
  switch (w) {
  case 1: memcpy(p, &v8, 1); break;
  case 2: memcpy(p, &v16, 2); break;
  case 4: memcpy(p, &v32, 4); break;
  default: memcpy(p, &v, 8); break;
  }
}

static void unpack(const struct rc_record_report *rep, const uint8_t *p,
                   size_t nv, uint64_t *out) {
  for (size_t k = 0; k < nv; k++) {
    out[k] = get_fig(p, rep->station_figs_width[k]);
    p += rep->station_figs_width[k];
  }
}

int rc_station_figures(const struct rc_record_report *rep, size_t i,
                       uint64_t out[5 + RC_MAX_CHOICES]) {
  if (!rep->station_figs || !rep->station_figs_known ||
      !rep->station_figs_known[i])
    return 0;
  unpack(rep, rep->station_figs + i * rep->station_figs_stride,
         RC_STATION_FIGS(&rep->manifest), out);
  return 1;
}

/* Widens the columns to w (bytes per value of each), in place from the
 * last station (a station's values never move down, so none is
 * overwritten before it is read). */
static int widen(struct engine *eng, const uint8_t *w) {
  struct rc_record_report *rep = eng->rep;
  size_t n = eng->m->nstations ? eng->m->nstations : 1;
  size_t nv = 5 + eng->m->nchoices, os = rep->station_figs_stride, ns = 0;
  for (size_t k = 0; k < nv; k++) ns += w[k];
  uint8_t *p = realloc(rep->station_figs, n * ns);
  if (!p) return -1;
  rep->station_figs = p;
  uint64_t f[5 + RC_MAX_CHOICES];
  for (size_t i = n; i-- > 0;) {
    unpack(rep, p + i * os, nv, f);
    uint8_t *q = p + i * ns;
    for (size_t k = 0; k < nv; k++) {
      put_fig(q, w[k], f[k]);
      q += w[k];
    }
  }
  memcpy(rep->station_figs_width, w, nv);
  rep->station_figs_stride = ns;
  return 0;
}

static void store_figures(struct engine *eng, long station,
                          const struct counts *c) {
  struct rc_record_report *rep = eng->rep;
  size_t nv = 5 + eng->m->nchoices;
  uint64_t f[5 + RC_MAX_CHOICES] = {c->registered, c->ballots, c->invalid,
                                    c->blank, c->excluded};
  memcpy(f + 5, c->votes, (nv - 5) * sizeof *f);
  uint8_t w[5 + RC_MAX_CHOICES];
  int wider = 0;
  for (size_t k = 0; k < nv; k++) {
    w[k] = rep->station_figs_width[k];
    if (width_of(f[k]) > w[k]) {
      w[k] = (uint8_t)width_of(f[k]);
      wider = 1;
    }
  }
  if (wider && widen(eng, w) != 0) {
    eng->found.oom = 1;
    return;
  }
  uint8_t *q = rep->station_figs + (size_t)station * rep->station_figs_stride;
  for (size_t k = 0; k < nv; k++) {
    put_fig(q, w[k], f[k]);
    q += w[k];
  }
  rep->station_figs_known[station] = 1;
}

/* Called by stations.c each time a sheet is counted: the last counted
 * figures of a station are its counted sheet's (an equivocating station
 * is not counted and gets its claimed figures in check_completeness). */
void keep_counted_figures(struct engine *eng, long station,
                          const struct counts *c) {
  struct rc_record_report *rep = eng->rep;
  if (!eng->o->keep_station_figures || station < 0) return;
  if (!rep->station_figs) {
    size_t n = eng->m->nstations ? eng->m->nstations : 1;
    size_t nv = 5 + eng->m->nchoices;
    rep->station_figs = calloc(n * nv, 1);
    memset(rep->station_figs_width, 1, nv);
    rep->station_figs_stride = nv;
    rep->station_figs_known = calloc(n, 1);
    if (!rep->station_figs || !rep->station_figs_known) {
      eng->found.oom = 1;
      free(rep->station_figs);
      free(rep->station_figs_known);
      rep->station_figs = NULL;
      rep->station_figs_known = NULL;
      return;
    }
  }
  store_figures(eng, station, c);
}

/* The first of the station's texts in bytewise order that can be read
 * again as it was, or NULL (each text read once; two held at a time). */
static uint8_t *first_text(struct engine *eng, struct station_texts *sl,
                           const char *station, uint32_t *len) {
  uint8_t *best = NULL;
  uint32_t blen = 0;
  for (uint32_t k = 0; k < sl->n && !eng->found.oom; k++) {
    struct text_entry *e = station_text(sl, k);
    uint8_t *t = reread_text(eng, e, station);
    if (!t) continue;
    int c = 1;
    if (best) {
      c = memcmp(t, best, e->len < blen ? e->len : blen);
      if (!c) c = e->len < blen ? -1 : 1;
    }
    if (!best || c < 0) {
      free(best);
      best = t;
      blen = e->len;
    } else {
      free(t);
    }
  }
  *len = blen;
  return best;
}

/* The figures a rejected station's first sheet claims, into uncounted
 * (votes by choice id: a rejected sheet may name other choices). */
static void claim(struct engine *eng, size_t i, struct station_texts *sl) {
  const struct rc_manifest *m = eng->m;
  const struct rc_station *st = &m->stations[i];
  uint32_t len;
  uint8_t *text = first_text(eng, sl, st->id, &len);
  struct rc_sheet *s = text ? malloc(sizeof *s) : NULL;
  struct rc_error err;
  if (text && !s) eng->found.oom = 1;
  if (s && rc_parse_sheet(text, len, s, &err) == RC_OK) {
    struct counts c = {s->registered, s->ballots,  s->invalid,
                       s->blank,      s->excluded, {0}};
    for (size_t v = 0; v < s->nvotes; v++) {
      const char *id = s->votes[v].choice;
      for (size_t k = 0; k < m->nchoices; k++)
        if (!strcmp(m->choices[k].id, id)) c.votes[k] = s->votes[v].count;
    }
    tally_add(&eng->rep->uncounted, &c, m->nchoices);
    tally_add(&eng->rep->district_uncounted[st->district], &c, m->nchoices);
    struct rc_record_report *rep = eng->rep;
    if (rep->nclaims < RC_CLAIMS_KEPT) {
      uint64_t *f = rep->claim_figs[rep->nclaims];
      f[0] = c.registered, f[1] = c.ballots, f[2] = c.invalid;
      f[3] = c.blank, f[4] = c.excluded;
      memcpy(f + 5, c.votes, m->nchoices * sizeof *f);
      rep->claim_station[rep->nclaims++] = i;
    }
    keep_counted_figures(eng, (long)i, &c); /* with keep_station_figures */
  }
  free(s);
  free(text);
}

static int station_counted(struct station_texts *sl) {
  if (sl->equivocated) return 0;
  for (uint32_t k = 0; k < sl->n; k++)
    if (station_text(sl, k)->counted) return 1;
  return 0;
}

void rc_outcome_bound(struct rc_completeness *c, const uint64_t *votes,
                      size_t nchoices) {
  c->leader = nchoices ? 0 : -1;
  c->runner_up = -1;
  c->margin = 0;
  c->outcome_can_change = 0;
  for (size_t k = 1; k < nchoices; k++)
    if (votes[k] > votes[c->leader]) c->leader = (long)k;
  for (size_t k = 0; k < nchoices; k++) {
    if ((long)k == c->leader) continue;
    if (c->runner_up < 0 || votes[k] > votes[c->runner_up])
      c->runner_up = (long)k;
  }
  if (c->leader < 0) return;
  uint64_t lv = votes[c->leader];
  uint64_t rv = c->runner_up >= 0 ? votes[c->runner_up] : 0;
  c->margin = lv - rv;
  c->outcome_can_change = c->registered_uncounted > 0 && c->runner_up >= 0 &&
                          c->registered_uncounted >= c->margin;
}

void check_completeness(struct engine *eng) {
  const struct rc_manifest *m = eng->m;
  struct rc_record_report *rep = eng->rep;
  struct rc_completeness *c = &rep->completeness;
  rep->station_status = calloc(m->nstations ? m->nstations : 1, 1);
  rep->district_uncounted = calloc(m->ndistricts ? m->ndistricts : 1,
                                   sizeof *rep->district_uncounted);
  if (!rep->station_status || !rep->district_uncounted) {
    eng->found.oom = 1;
    return;
  }
  c->stations = m->nstations;
  int rbad = 0;
  for (size_t i = 0; i < m->nstations && !eng->found.oom; i++) {
    struct station_texts *sl = &eng->st.known[i];
    if (station_counted(sl)) {
      rep->station_status[i] = RC_STATION_COUNTED;
      c->counted++;
      continue;
    }
    if (rep->station_figs_known) rep->station_figs_known[i] = 0;
    rbad |= sat_add(&c->registered_uncounted, m->stations[i].registered);
    if (sl->n == 0 && !sl->unparsed) {
      rep->station_status[i] = RC_STATION_MISSING;
      c->without_sheet++;
    } else {
      /* sheets were found, or one naming the station did not parse */
      rep->station_status[i] = RC_STATION_REJECTED;
      c->rejected++;
      if (sl->n) claim(eng, i, sl);
    }
  }
  (void)rbad; /* saturated: R >= any margin, so the bound still holds */
  rc_outcome_bound(c, rep->totals.votes, m->nchoices);
  if (!c->outcome_can_change || eng->o->sheets_only) return;
  const char *lid = m->choices[c->leader].id;
  const char *rid = m->choices[c->runner_up].id;
  char a[32], b[32], r[32], g[32];
  findings_add(&eng->found, RC_F_OUTCOME_NOT_DETERMINED, NULL, NULL, NULL, 0,
               "%s of %s stations have no counted sheet; their %s "
               "registered voters are at least the margin of %s votes "
               "between %s (leading) and %s, so the counted sheets do not "
               "determine who leads",
               rc_fmt_count(a, c->without_sheet + c->rejected),
               rc_fmt_count(b, c->stations),
               rc_fmt_count(r, c->registered_uncounted),
               rc_fmt_count(g, c->margin), lid, rid);
}

enum rc_verdict rc_record_verdict(const struct rc_record_report *rep) {
  if (rep->nerrors) return RC_VERDICT_DISCREPANCIES;
  return rep->have_published && rep->nfigs ? RC_VERDICT_RECONCILED
                                           : RC_VERDICT_VERIFIED;
}

const char *rc_verdict_str(enum rc_verdict v) {
  switch (v) {
  case RC_VERDICT_RECONCILED: return "reconciled";
  case RC_VERDICT_VERIFIED: return "verified";
  default: return "discrepancies";
  }
}

size_t rc_record_defects(const struct rc_record_report *rep) {
  size_t errors = 0;
  for (size_t i = 0; i < rep->nfindings; i++) {
    enum rc_code c = rep->findings[i].code;
    if (rc_code_severity(c) == RC_SEV_ERROR && c != RC_F_OUTCOME_NOT_DETERMINED)
      errors++;
  }
  return errors;
}
