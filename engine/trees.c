/* trees.c — the district trees: every distinct parseable sheet text naming
 * a district is a leaf, in the order of RECORD.md §4 (station id, then the
 * text's bytes), and the root is recomputed. */
#include <stdlib.h>
#include <string.h>

#include "engine.h"

/* a leaf of a district tree, with what orders it */
struct leafref {
  const char *station;
  struct text_entry *e;
};

static int cmp_leafref(const void *a, const void *b, void *ctx) {
  struct engine *eng = ctx;
  const struct leafref *x = a, *y = b;
  int c = strcmp(x->station, y->station);
  if (c) return c;
  if (x->e == y->e) return 0;
  uint8_t *tx = reread_text(eng, x->e, NULL, x->station);
  uint8_t *ty = reread_text(eng, y->e, NULL, y->station);
  if (!tx || !ty) {
    free(tx);
    free(ty);
    return memcmp(x->e->leaf, y->e->leaf, 32);
  }
  size_t n = x->e->len < y->e->len ? x->e->len : y->e->len;
  c = memcmp(tx, ty, n);
  if (!c) c = x->e->len < y->e->len ? -1 : x->e->len > y->e->len;
  free(tx);
  free(ty);
  return c;
}

/* The station texts of slot k (manifest stations first, then unknown). */
static struct station_texts *slot_at(struct engine *eng, size_t k,
                                     const char **id) {
  const struct rc_manifest *m = eng->m;
  if (k < m->nstations) {
    *id = m->stations[k].id;
    return &eng->st.known[k];
  }
  *id = eng->st.unknown[k - m->nstations].id;
  return &eng->st.unknown[k - m->nstations].texts;
}

/* Distributes every text naming a district into lists[district]. */
static int collect_leaves(struct engine *eng, struct leafref **lists,
                          size_t *fill) {
  const struct rc_manifest *m = eng->m;
  size_t nd = m->ndistricts, nslots = m->nstations + eng->st.nunknown;
  size_t *cnt = calloc(nd + 1, sizeof *cnt);
  if (!cnt) return -1;
  const char *id;
  for (size_t k = 0; k < nslots; k++) {
    struct station_texts *sl = slot_at(eng, k, &id);
    for (uint32_t i = 0; i < sl->n; i++) {
      struct text_entry *e = station_text(sl, i);
      if (e->district >= 0) cnt[e->district]++;
    }
  }
  int rc = 0;
  for (size_t d = 0; d < nd && !rc; d++) {
    lists[d] = malloc((cnt[d] ? cnt[d] : 1) * sizeof **lists);
    if (!lists[d]) rc = -1;
  }
  for (size_t k = 0; k < nslots && !rc; k++) {
    struct station_texts *sl = slot_at(eng, k, &id);
    for (uint32_t i = 0; i < sl->n; i++) {
      struct text_entry *e = station_text(sl, i);
      if (e->district < 0) continue;
      lists[e->district][fill[e->district]++] = (struct leafref){id, e};
    }
  }
  free(cnt);
  return rc;
}

/* Orders the leaves of one district (already in station order unless a
 * station has several texts or unknown stations are mixed in). */
static void order_leaves(struct engine *eng, struct leafref *L, size_t n) {
  int sorted = 1;
  for (size_t i = 1; i < n && sorted; i++)
    if (strcmp(L[i - 1].station, L[i].station) >= 0) sorted = 0;
  if (!sorted) qsort_r(L, n, sizeof *L, cmp_leafref, eng);
}

static int keep_leaves(struct rc_district_result *dr,
                       const struct leafref *L, size_t n) {
  dr->leaves = malloc((n ? n : 1) * sizeof *dr->leaves);
  /* calloc: rc_record_report_free frees every entry, even on failure */
  dr->leaf_station = calloc(n ? n : 1, sizeof *dr->leaf_station);
  if (!dr->leaves || !dr->leaf_station) return -1;
  int rc = 0;
  for (size_t i = 0; i < n; i++) {
    memcpy(dr->leaves[i], L[i].e->leaf, 32);
    dr->leaf_station[i] = engine_strdup(L[i].station);
    if (!dr->leaf_station[i]) rc = -1;
  }
  return rc;
}

void build_trees(struct engine *eng) {
  const struct rc_manifest *m = eng->m;
  struct rc_record_report *rep = eng->rep;
  size_t nd = m->ndistricts;
  struct leafref **lists = calloc(nd ? nd : 1, sizeof *lists);
  size_t *fill = calloc(nd ? nd : 1, sizeof *fill);
  if (!lists || !fill || collect_leaves(eng, lists, fill) != 0) {
    eng->found.oom = 1;
    goto out;
  }
  for (size_t d = 0; d < nd; d++) {
    struct rc_district_result *dr = &rep->districts[d];
    struct leafref *L = lists[d];
    size_t n = fill[d];
    order_leaves(eng, L, n);
    struct rc_merkle_stream ms;
    rc_merkle_stream_init(&ms);
    for (size_t i = 0; i < n; i++) rc_merkle_stream_push(&ms, L[i].e->leaf);
    rc_merkle_stream_root(&ms, dr->root);
    dr->sheets = n;
    dr->stations = m->districts[d].nstations;
    dr->totals = eng->st.district_totals[d];
    if (eng->o->keep_leaves && keep_leaves(dr, L, n) != 0) {
      eng->found.oom = 1;
      goto out;
    }
  }
out:
  if (lists)
    for (size_t d = 0; d < nd; d++) free(lists[d]);
  free(lists);
  free(fill);
}
