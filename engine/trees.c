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

/* Station, then leaf hash: puts each station's texts together, cheaply. */
static int cmp_station_leaf(const void *a, const void *b) {
  const struct leafref *x = a, *y = b;
  int c = strcmp(x->station, y->station);
  return c ? c : memcmp(x->e->leaf, y->e->leaf, 32);
}

/* Texts of one station are compared by their bytes; a text that cannot be
 * read again as it was (reported by reread_text) sorts by its leaf. */
struct text_ref {
  struct leafref ref;
  uint8_t *text; /* NULL: not readable as first read */
};

static int cmp_text(const void *a, const void *b) {
  const struct text_ref *x = a, *y = b;
  if (!x->text || !y->text) {
    if (x->text || y->text) return x->text ? -1 : 1;
    return memcmp(x->ref.e->leaf, y->ref.e->leaf, 32);
  }
  uint32_t xl = x->ref.e->len, yl = y->ref.e->len;
  int c = memcmp(x->text, y->text, xl < yl ? xl : yl);
  return c ? c : (xl > yl) - (xl < yl);
}

/* Above this many bytes of one station's texts in one district, they are
 * compared by re-reading pairs (slow, bounded memory) instead of held. */
#define STATION_TEXTS_BUDGET (64u << 20)

static int cmp_reread(const void *a, const void *b, void *ctx) {
  struct engine *eng = ctx;
  struct text_ref x = {*(const struct leafref *)a, NULL};
  struct text_ref y = {*(const struct leafref *)b, NULL};
  if (x.ref.e == y.ref.e) return 0;
  x.text = reread_text(eng, x.ref.e, x.ref.station);
  y.text = reread_text(eng, y.ref.e, y.ref.station);
  int c = cmp_text(&x, &y);
  free(x.text);
  free(y.text);
  return c;
}

/* Orders the n > 1 texts of one station by their bytes, each read once. */
static void order_station_texts(struct engine *eng, struct leafref *leaves,
                                size_t n) {
  uint64_t bytes = 0;
  for (size_t i = 0; i < n; i++) bytes += leaves[i].e->len;
  struct text_ref *v =
      bytes <= STATION_TEXTS_BUDGET ? calloc(n, sizeof *v) : NULL;
  if (!v) {
    qsort_r(leaves, n, sizeof *leaves, cmp_reread, eng);
    return;
  }
  for (size_t i = 0; i < n; i++) {
    v[i].ref = leaves[i];
    v[i].text = reread_text(eng, leaves[i].e, leaves[i].station);
  }
  qsort(v, n, sizeof *v, cmp_text);
  for (size_t i = 0; i < n; i++) {
    leaves[i] = v[i].ref;
    free(v[i].text);
  }
  free(v);
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

/* Counts the texts naming each district into cnt (nd entries). */
static void count_leaves(struct engine *eng, size_t *cnt) {
  const struct rc_manifest *m = eng->m;
  size_t nslots = m->nstations + eng->st.nunknown;
  const char *id;
  for (size_t k = 0; k < nslots; k++) {
    struct station_texts *texts = slot_at(eng, k, &id);
    for (uint32_t i = 0; i < texts->n; i++) {
      struct text_entry *e = station_text(texts, i);
      if (e->district >= 0) cnt[e->district]++;
    }
  }
}

/* Distributes every text naming a district of [d0, d1) into
 * lists[district] (cnt[district] of them). */
static int collect_leaves(struct engine *eng, size_t d0, size_t d1,
                          const size_t *cnt, struct leafref **lists,
                          size_t *fill) {
  const struct rc_manifest *m = eng->m;
  size_t nslots = m->nstations + eng->st.nunknown;
  for (size_t d = d0; d < d1; d++) {
    lists[d] = malloc((cnt[d] ? cnt[d] : 1) * sizeof **lists);
    if (!lists[d]) return -1;
  }
  const char *id;
  for (size_t k = 0; k < nslots; k++) {
    struct station_texts *texts = slot_at(eng, k, &id);
    for (uint32_t i = 0; i < texts->n; i++) {
      struct text_entry *e = station_text(texts, i);
      if (e->district < 0 || (size_t)e->district < d0 ||
          (size_t)e->district >= d1)
        continue;
      lists[e->district][fill[e->district]++] = (struct leafref){id, e};
    }
  }
  return 0;
}

/* The leaves are collected for a group of districts at a time: about an
 * eighth of them all (at least GROUP_MIN), or one district however large.
 * All at once would be 16 bytes per sheet beside the stations' state (16
 * MB for a million); this way the texts are walked about 16 times at
 * most, and every record of more than a few thousand sheets, the test
 * records among them, is built in several groups. */
#define GROUP_MIN 1024u

/* Orders the leaves of one district: station id, then text bytes. They
 * are already in order unless a station has several texts or unknown
 * stations are mixed in. The stations' texts are grouped by sorting on
 * (station, leaf hash), then each group of several is ordered by bytes,
 * so each text is read once: time linear in the texts of a station. */
static void order_leaves(struct engine *eng, struct leafref *leaves, size_t n) {
  int sorted = 1;
  for (size_t i = 1; i < n && sorted; i++)
    if (strcmp(leaves[i - 1].station, leaves[i].station) >= 0) sorted = 0;
  if (sorted) return;
  qsort(leaves, n, sizeof *leaves, cmp_station_leaf);
  for (size_t a = 0; a < n;) {
    size_t b = a + 1;
    while (b < n && !strcmp(leaves[a].station, leaves[b].station)) b++;
    if (b - a > 1) order_station_texts(eng, leaves + a, b - a);
    a = b;
  }
}

static int keep_leaves(struct rc_district_result *dr,
                       const struct leafref *leaves, size_t n) {
  dr->leaves = malloc((n ? n : 1) * sizeof *dr->leaves);
  /* calloc: rc_record_report_free frees every entry, even on failure */
  dr->leaf_sha = malloc((n ? n : 1) * sizeof *dr->leaf_sha);
  dr->leaf_station = calloc(n ? n : 1, sizeof *dr->leaf_station);
  if (!dr->leaves || !dr->leaf_sha || !dr->leaf_station) return -1;
  int rc = 0;
  for (size_t i = 0; i < n; i++) {
    memcpy(dr->leaves[i], leaves[i].e->leaf, 32);
    memcpy(dr->leaf_sha[i], leaves[i].e->sha, 32);
    dr->leaf_station[i] = engine_strdup(leaves[i].station);
    if (!dr->leaf_station[i]) rc = -1;
  }
  return rc;
}

/* The root (and with keep_leaves the leaves) of district d. */
static int build_tree(struct engine *eng, size_t d, struct leafref *leaves,
                      size_t n) {
  const struct rc_manifest *m = eng->m;
  struct rc_district_result *dr = &eng->rep->districts[d];
  order_leaves(eng, leaves, n);
  struct rc_merkle_stream ms;
  rc_merkle_stream_init(&ms);
  for (size_t i = 0; i < n; i++) rc_merkle_stream_push(&ms, leaves[i].e->leaf);
  rc_merkle_stream_root(&ms, dr->root);
  dr->sheets = n;
  dr->stations = m->districts[d].nstations;
  dr->totals = eng->st.district_totals[d];
  if (eng->o->keep_leaves && keep_leaves(dr, leaves, n) != 0) return -1;
  return 0;
}

void build_trees(struct engine *eng) {
  size_t nd = eng->m->ndistricts;
  struct leafref **lists = calloc(nd ? nd : 1, sizeof *lists);
  size_t *fill = calloc(nd ? nd : 1, sizeof *fill);
  size_t *cnt = calloc(nd ? nd : 1, sizeof *cnt);
  if (!lists || !fill || !cnt) {
    eng->found.oom = 1;
    goto out;
  }
  count_leaves(eng, cnt);
  size_t total = 0, budget = GROUP_MIN;
  for (size_t d = 0; d < nd; d++) total += cnt[d];
  if (total / 8 > budget) budget = total / 8;
  for (size_t d0 = 0, d1; d0 < nd; d0 = d1) {
    size_t sum = cnt[d0];
    for (d1 = d0 + 1; d1 < nd && sum + cnt[d1] <= budget; d1++) sum += cnt[d1];
    if (collect_leaves(eng, d0, d1, cnt, lists, fill) != 0) {
      eng->found.oom = 1;
      goto out;
    }
    for (size_t d = d0; d < d1; d++) {
      if (build_tree(eng, d, lists[d], fill[d]) != 0) {
        eng->found.oom = 1;
        goto out;
      }
      free(lists[d]);
      lists[d] = NULL;
    }
  }
out:
  if (lists)
    for (size_t d = 0; d < nd; d++) free(lists[d]);
  free(lists);
  free(fill);
  free(cnt);
}
