/* station_look.c — the look-up of one station (opts.station): every note
 * that parsed as a sheet naming it is remembered with its place (file,
 * line, offset, length) as it is folded, and at the end of the check each
 * gets the verdict of the text it carries (signed, passed the rules,
 * counted). `recount-verify station` prints them; the notes themselves
 * are re-read by the CLI. Memory: one small entry per note of that one
 * station. Progress (opts.progress) is reported from here too. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"

void station_look_job(struct engine *eng, const struct job *j) {
  struct rc_record_report *rep = eng->rep;
  if (strcmp(j->station_id, eng->o->station) != 0) return;
  if (rep->nlook == rep->look_cap) {
    size_t cap = rep->look_cap ? rep->look_cap * 2 : 8;
    struct rc_station_note *v = realloc(rep->look, cap * sizeof *v);
    if (!v) {
      eng->found.oom = 1;
      return;
    }
    rep->look = v;
    rep->look_cap = cap;
  }
  struct rc_station_note *n = &rep->look[rep->nlook++];
  memset(n, 0, sizeof *n);
  n->file_index = j->file;
  n->line = j->line;
  n->off = j->off;
  n->notelen = j->notelen;
  n->textlen = j->textlen;
  memcpy(n->leaf, j->leaf, sizeof n->leaf);
  n->district = j->district;
  n->sigvalid = j->sigvalid;
  n->textok = j->textok;
}

static struct station_texts *look_texts(struct engine *eng) {
  if (rep_station_index(eng) >= 0)
    return &eng->st.known[rep_station_index(eng)];
  for (size_t i = 0; i < eng->st.nunknown; i++)
    if (!strcmp(eng->st.unknown[i].id, eng->o->station))
      return &eng->st.unknown[i].texts;
  return NULL;
}

long rep_station_index(const struct engine *eng) {
  if (!eng->m) return -1;
  return rc_manifest_station(eng->m, eng->o->station, strlen(eng->o->station));
}

/* A look entry's leaf and index, sorted by leaf, then file order. */
struct leaf_at {
  rc_hash leaf;
  size_t i;
};
static int by_leaf(const void *a, const void *b) {
  const struct leaf_at *x = a, *y = b;
  int c = memcmp(x->leaf, y->leaf, sizeof x->leaf);
  return c ? c : (x->i > y->i) - (x->i < y->i);
}

/* The first entry (in file order) carrying leaf, or SIZE_MAX. */
static size_t find_leaf(const struct leaf_at *v, size_t n,
                        const uint8_t *leaf) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (memcmp(v[mid].leaf, leaf, sizeof(rc_hash)) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo < n && !memcmp(v[lo].leaf, leaf, sizeof(rc_hash)) ? v[lo].i
                                                              : SIZE_MAX;
}

/* Time O(n log n + m log n) for n notes and m distinct texts of the
 * station, so a record with many copies of one sheet stays linear-ish. */
void station_look_finish(struct engine *eng) {
  struct rc_record_report *rep = eng->rep;
  rep->look_station = rep_station_index(eng);
  struct station_texts *t = eng->st.known ? look_texts(eng) : NULL;
  if (t) rep->look_equivocated = t->equivocated;
  size_t n = rep->nlook;
  if (n == 0) return;
  struct leaf_at *ord = malloc(n * sizeof *ord);
  if (!ord) {
    eng->found.oom = 1;
    return;
  }
  for (size_t i = 0; i < n; i++) {
    memcpy(ord[i].leaf, rep->look[i].leaf, sizeof ord[i].leaf);
    ord[i].i = i;
    rep->look[i].file = engine_strdup(eng->files[rep->look[i].file_index]);
    if (!rep->look[i].file) eng->found.oom = 1;
  }
  qsort(ord, n, sizeof *ord, by_leaf);
  size_t first = 0;
  for (size_t i = 1; i < n; i++) {
    if (memcmp(ord[first].leaf, ord[i].leaf, sizeof(rc_hash)) != 0) first = i;
    else rep->look[ord[i].i].duplicate_of = ord[first].i + 1;
  }
  for (uint32_t k = 0; t && k < t->n; k++) {
    struct text_entry *e = station_text(t, k);
    if (!e->counted && !e->changed) continue;
    size_t at = find_leaf(ord, n, e->leaf);
    if (at == SIZE_MAX) continue;
    rep->look[at].counted = e->counted;
    rep->look[at].changed = e->changed;
  }
  free(ord);
}

void engine_progress(struct engine *eng, uint64_t notes_done) {
  if (!eng->o->progress) return;
  struct rc_progress p = {
      .files_done = eng->rep->files_read,
      .files_total = eng->nfiles,
      .notes_done = notes_done,
  };
  eng->o->progress(eng->o->progress_ctx, &p);
}
