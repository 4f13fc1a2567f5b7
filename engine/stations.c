/* stations.c — per-station state, fed in file order by the pool: each
 * distinct parseable sheet text of a station is kept (leaf hash and place,
 * not the text), the same text again is a duplicate, two validly signed
 * texts are an equivocation (and none of them is counted), and after the
 * sheets every registered station without a sheet is missing. */
#include <openssl/crypto.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "text.h"

#if UINTPTR_MAX == UINT64_MAX
/* one per manifest station (4 million at most): keep it small */
_Static_assert(sizeof(struct station_texts) <= 104, "station_texts grew");
#endif

struct text_entry *station_text(struct station_texts *s, uint32_t i) {
  return i == 0 ? &s->first : &s->more->v[i - 1];
}

uint32_t station_nvalid(const struct station_texts *s) {
  return s->more ? s->more->nvalid : s->n ? s->first.sigvalid : 0;
}

/* One more of the station's texts is validly signed (it is marked
 * already); returns how many are. */
static uint32_t add_valid(struct station_texts *s) {
  return s->more ? ++s->more->nvalid : 1;
}

static uint64_t fnv(const char *s) {
  uint64_t h = 1469598103934665603ULL;
  for (; *s; s++) h = (h ^ (uint8_t)*s) * 1099511628211ULL;
  return h;
}

static int grow_unknown_index(struct stations *st) {
  size_t ncap = st->unknown_index_cap ? st->unknown_index_cap * 2 : 64;
  size_t *nidx = malloc(ncap * sizeof *nidx);
  if (!nidx) return -1;
  for (size_t i = 0; i < ncap; i++) nidx[i] = SIZE_MAX;
  for (size_t i = 0; i < st->nunknown; i++) {
    size_t h = (size_t)fnv(st->unknown[i].id) & (ncap - 1);
    while (nidx[h] != SIZE_MAX) h = (h + 1) & (ncap - 1);
    nidx[h] = i;
  }
  free(st->unknown_index);
  st->unknown_index = nidx;
  st->unknown_index_cap = ncap;
  return 0;
}

/* The texts of the station id not in the manifest (created when new). */
static struct station_texts *unknown_station(struct stations *st,
                                             const char *id) {
  if (st->nunknown * 2 >= st->unknown_index_cap && grow_unknown_index(st) != 0)
    return NULL;
  size_t mask = st->unknown_index_cap - 1;
  size_t h = (size_t)fnv(id) & mask;
  while (st->unknown_index[h] != SIZE_MAX) {
    struct unknown_station *u = &st->unknown[st->unknown_index[h]];
    if (!strcmp(u->id, id)) return &u->texts;
    h = (h + 1) & mask;
  }
  if (st->nunknown == st->capunknown) {
    size_t cap = st->capunknown ? st->capunknown * 2 : 16;
    struct unknown_station *v = realloc(st->unknown, cap * sizeof *v);
    if (!v) return NULL;
    st->unknown = v;
    st->capunknown = cap;
  }
  struct unknown_station *u = &st->unknown[st->nunknown];
  memset(u, 0, sizeof *u);
  u->id = engine_strdup(id);
  if (!u->id) return NULL;
  st->unknown_index[h] = st->nunknown++;
  return &u->texts;
}

/* Un-counts a counted entry (re-reads and re-parses its text). */
static void uncount(struct engine *eng, struct text_entry *e, long station) {
  if (!e->counted) return;
  e->counted = 0;
  const struct rc_manifest *m = eng->m;
  const struct rc_station *st = &m->stations[station];
  struct rc_totals *t = &eng->st.district_totals[st->district];
  uint8_t *text = reread_text(eng, e, st->id);
  struct rc_sheet *s = malloc(sizeof *s);
  struct rc_error err;
  if (!s) {
    eng->found.oom = 1;
  } else if (text && rc_parse_sheet(text, e->len, s, &err) == RC_OK) {
    struct counts c = {s->registered, s->ballots,  s->invalid,
                       s->blank,      s->excluded, {0}};
    for (size_t i = 0; i < s->nvotes && i < RC_MAX_CHOICES; i++)
      c.votes[i] = s->votes[i].count;
    tally_sub(t, &c, m->nchoices);
  } else {
    /* the file changed since it was counted (reread_text reported it; a
     * text that hashes to its leaf parses as before): the figures it
     * added cannot be taken out again */
    t->changed = 1;
  }
  free(text);
  free(s);
}

static void uncount_all(struct engine *eng, struct station_texts *texts,
                        long station) {
  for (uint32_t k = 0; k < texts->n; k++)
    uncount(eng, station_text(texts, k), station);
}

static void count(struct engine *eng, struct text_entry *e,
                  const struct job *j) {
  const struct rc_manifest *m = eng->m;
  e->counted = 1;
  keep_counted_figures(eng, j->station, &j->c);
  tally_add(&eng->st.district_totals[m->stations[j->station].district], &j->c,
            m->nchoices);
}

/* The job's text is one the station had already: a duplicate, which may
 * carry the valid signature the earlier copy lacked. */
static void fold_duplicate(struct engine *eng, struct station_texts *texts,
                           struct text_entry *e, struct job *j,
                           const char *dname) {
  findings_add(&eng->found, RC_F_SHEET_DUPLICATE, dname, j->station_id,
               eng->files[j->file], j->line,
               "the same sheet text appears again (first in %s line %zu); "
               "counted once",
               eng->files[texts->first.file], (size_t)texts->firstline);
  if (!j->sigvalid || e->sigvalid) return;
  e->sigvalid = 1;
  if (add_valid(texts) > 1) {
    /* once equivocated nothing of the station is counted again */
    if (!texts->equivocated) uncount_all(eng, texts, j->station);
    texts->equivocated = 1;
  } else if (e->textok && j->station >= 0) {
    count(eng, e, j);
  }
}

/* Same-station texts are found by leaf hash: linearly while a station has
 * few, through an open-addressing index over the leaf hashes once it has
 * more than INDEX_FROM (a hostile record may give one station any number
 * of texts; the time must stay linear in them). The index has
 * index_cap(n) slots, rebuilt each time n reaches a power of two. */
#define INDEX_FROM 16u

static uint32_t index_cap(uint32_t n) {
  uint32_t p = INDEX_FROM;
  while (p <= n / 2) p *= 2;
  return 4 * p; /* load below one half */
}

static uint32_t leaf_slot(const rc_hash leaf, uint32_t cap) {
  uint32_t h;
  memcpy(&h, leaf, sizeof h);
  return h & (cap - 1);
}

/* Entry i (0-based) into the index of texts. */
static void index_put(struct station_texts *texts, uint32_t i) {
  uint32_t cap = index_cap(texts->n), mask = cap - 1;
  uint32_t h = leaf_slot(station_text(texts, i)->leaf, cap);
  uint32_t *index = texts->more->index;
  while (index[h]) h = (h + 1) & mask;
  index[h] = i + 1;
}

/* Keeps the index of texts current after entry n-1 was appended. */
static int index_update(struct station_texts *texts) {
  if (texts->n < INDEX_FROM) return 0;
  struct text_more *x = texts->more;
  int fresh = !x->index || index_cap(texts->n) != index_cap(texts->n - 1);
  if (!fresh) {
    index_put(texts, texts->n - 1);
    return 0;
  }
  uint32_t *v = calloc(index_cap(texts->n), sizeof *v);
  if (!v) return -1;
  free(x->index);
  x->index = v;
  for (uint32_t i = 0; i < texts->n; i++) index_put(texts, i);
  return 0;
}

struct text_entry *find_text(struct station_texts *texts, const rc_hash leaf) {
  uint32_t *index = texts->more ? texts->more->index : NULL;
  if (!index) {
    for (uint32_t i = 0; i < texts->n; i++) {
      struct text_entry *e = station_text(texts, i);
      if (CRYPTO_memcmp(e->leaf, leaf, 32) == 0) return e;
    }
    return NULL;
  }
  uint32_t cap = index_cap(texts->n), mask = cap - 1;
  for (uint32_t h = leaf_slot(leaf, cap); index[h]; h = (h + 1) & mask) {
    struct text_entry *e = station_text(texts, index[h] - 1);
    if (CRYPTO_memcmp(e->leaf, leaf, 32) == 0) return e;
  }
  return NULL;
}

static struct text_entry *append_text(struct station_texts *texts,
                                      const struct job *j) {
  struct text_entry ne = {0};
  memcpy(ne.leaf, j->leaf, 32);
  memcpy(ne.sha, j->sha, 32);
  ne.off = (uint32_t)j->off;
  ne.file = j->file;
  ne.len = j->textlen;
  ne.district = (int32_t)j->district;
  ne.sigvalid = (uint8_t)j->sigvalid;
  ne.textok = (uint8_t)j->textok;
  if (texts->n == 0) {
    texts->firstline = (uint32_t)j->line;
    texts->first = ne;
  } else {
    struct text_more *x = texts->more;
    if (!x || texts->n - 1 == x->cap) {
      uint32_t cap = x ? x->cap * 2 : 2;
      struct text_more *v =
          realloc(x, sizeof *v + (size_t)cap * sizeof(struct text_entry));
      if (!v) return NULL;
      if (!x) {
        v->index = NULL;
        v->nvalid = texts->first.sigvalid; /* the new one is added after */
      }
      v->cap = cap;
      texts->more = x = v;
    }
    x->v[texts->n - 1] = ne;
  }
  texts->n++;
  if (index_update(texts) != 0) return NULL;
  return station_text(texts, texts->n - 1);
}

void fold_job(struct engine *eng, struct job *j) {
  struct rc_record_report *rep = eng->rep;
  const struct rc_manifest *m = eng->m;
  rep->signatures_checked += j->sigs_checked;
  findings_move(&eng->found, &j->found);
  if (!j->parsed) {
    if (j->station >= 0) eng->st.known[j->station].unparsed = 1;
    return;
  }
  rep->sheets_parsed++;
  if (eng->o->station) station_look_job(eng, j);
  struct station_texts *texts = j->station >= 0
                                    ? &eng->st.known[j->station]
                                    : unknown_station(&eng->st, j->station_id);
  if (!texts) {
    eng->found.oom = 1;
    return;
  }
  const char *dname = j->station >= 0
                          ? m->districts[m->stations[j->station].district].id
                      : j->district >= 0 ? m->districts[j->district].id
                                         : NULL;
  struct text_entry *e = find_text(texts, j->leaf);
  if (e) {
    fold_duplicate(eng, texts, e, j, dname);
    return;
  }
  e = append_text(texts, j);
  if (!e) {
    eng->found.oom = 1;
    return;
  }
  if (!e->sigvalid) return;
  if (add_valid(texts) > 1) {
    if (!texts->equivocated) {
      texts->equivocated = 1;
      uncount_all(eng, texts, j->station);
    }
    return;
  }
  if (e->textok && j->station >= 0) count(eng, e, j);
}

/* Per station, in manifest order: missing sheets and equivocation. */
void check_stations(struct engine *eng) {
  char n[32];
  const struct rc_manifest *m = eng->m;
  for (size_t i = 0; i < m->nstations; i++) {
    struct station_texts *texts = &eng->st.known[i];
    const struct rc_station *st = &m->stations[i];
    const char *d = m->districts[st->district].id;
    if (texts->n == 0 && !texts->unparsed) {
      eng->rep->stations_missing++;
      findings_add(&eng->found, RC_F_SHEET_MISSING, d, st->id, NULL, 0,
                   "no count sheet for registered station %s (registered "
                   "%s)",
                   st->id, rc_fmt_count(n, st->registered));
    }
    if (texts->equivocated)
      findings_add(&eng->found, RC_F_SHEET_EQUIVOCATION, d, st->id,
                   eng->files[texts->first.file], (size_t)texts->firstline,
                   "%s different sheets validly signed by station %s; none "
                   "is counted",
                   rc_fmt_count(n, station_nvalid(texts)), st->id);
  }
}

void stations_free(struct stations *st, size_t nknown) {
  if (st->known) {
    for (size_t i = 0; i < nknown; i++) {
      if (st->known[i].more) free(st->known[i].more->index);
      free(st->known[i].more);
    }
    free(st->known);
  }
  for (size_t i = 0; i < st->nunknown; i++) {
    if (st->unknown[i].texts.more) free(st->unknown[i].texts.more->index);
    free(st->unknown[i].texts.more);
    free(st->unknown[i].id);
  }
  free(st->unknown);
  free(st->unknown_index);
  free(st->district_totals);
}
