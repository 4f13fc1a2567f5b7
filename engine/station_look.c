/* station_look.c — the look-up of one station (opts.station): every note
 * that parsed as a sheet naming it is remembered with its place (file,
 * line, offset, length) as it is folded, and at the end of the check each
 * gets the verdict of the text it carries (signed, passed the rules,
 * counted). `recount-verify station` prints them; the notes themselves
 * are re-read by the CLI. Memory: one small entry per note of that one
 * station. Progress (opts.progress) is reported from here too. */
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
  return rc_manifest_station(eng->m, eng->o->station,
                             strlen(eng->o->station));
}

void station_look_finish(struct engine *eng) {
  struct rc_record_report *rep = eng->rep;
  rep->look_station = rep_station_index(eng);
  struct station_texts *t = eng->st.known ? look_texts(eng) : NULL;
  if (t) rep->look_equivocated = t->equivocated;
  for (size_t i = 0; i < rep->nlook; i++) {
    struct rc_station_note *n = &rep->look[i];
    n->file = engine_strdup(eng->files[n->file_index]);
    if (!n->file) eng->found.oom = 1;
    for (size_t k = 0; k < i; k++)
      if (!memcmp(rep->look[k].leaf, n->leaf, sizeof n->leaf)) {
        n->duplicate_of = k + 1;
        break;
      }
    for (uint32_t k = 0; t && k < t->n; k++) {
      struct text_entry *e = station_text(t, k);
      if (!memcmp(e->leaf, n->leaf, sizeof n->leaf)) {
        n->counted = e->counted && !n->duplicate_of;
        n->changed = e->changed;
        break;
      }
    }
  }
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
