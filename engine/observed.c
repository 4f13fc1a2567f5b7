/* observed.c — observers' own copies (`--observed DIR`, RECORD.md v1.1
 * §6) and the evidence of each equivocation. Runs after every other stage,
 * on the station state of the sheets stage; it never changes a total.
 *
 * Each --observed DIR is walked like sheets/ (read.c: bytewise order, no
 * link followed, special files and excess are findings) and each file is
 * read with the bounded read and cut into notes by the framing rule. An
 * observed sheet validly signed by its station's registered key is matched
 * when its text is one the record holds validly signed for that station,
 * SHEET_EQUIVOCATION when the record holds another validly signed text of
 * the station, OBSERVED_WITHHELD when the record holds none; anything else
 * is OBSERVED_INVALID; of two different validly signed observed sheets
 * of a station the record holds none of, the first is OBSERVED_WITHHELD
 * and the second SHEET_EQUIVOCATION. With keep_evidence, each equivocating
 * station's two signed notes are kept (exact bytes): the record's own pair when
 * it holds two, else the record's sheet (or the first observed one) and the
 * first differing observed one. */
#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine.h"
#include "hash.h"
#include "merkle.h"
#include "observed.h"
#include "sheet_rules.h"

/* The first observed, validly signed sheet of a station the record holds
 * none of: a second, different one is an equivocation among observers. */
struct withheld {
  rc_hash leaf;
  uint8_t *note;
  size_t len;
  char *file;
};

struct obs {
  struct engine *eng;
  struct rc_observed_report *r;
  uint8_t *has_evidence;      /* per manifest station */
  struct withheld **withheld; /* per manifest station, NULL when none */
};

static void add_sheet(struct obs *ob, enum rc_observed_status status,
                      const char *file, size_t line, long station) {
  struct rc_observed_report *r = ob->r;
  r->sheets++;
  if (status == RC_OBS_MATCHED) r->matched++;
  else if (status == RC_OBS_MISMATCHED) r->mismatched++;
  else if (status == RC_OBS_WITHHELD) r->withheld++;
  else r->invalid++;
  if (r->n == r->cap) {
    size_t cap = r->cap ? r->cap * 2 : 16;
    struct rc_observed_sheet *v = realloc(r->v, cap * sizeof *v);
    if (!v) {
      ob->eng->found.oom = 1;
      return;
    }
    r->v = v;
    r->cap = cap;
  }
  struct rc_observed_sheet *s = &r->v[r->n];
  s->file = engine_strdup(file);
  if (!s->file) {
    ob->eng->found.oom = 1;
    return;
  }
  s->status = status;
  s->line = line;
  s->station = station;
  r->n++;
}

/* Keeps a (copied) and b (copied) as the evidence of station i, in
 * bytewise order. */
static void keep_evidence(struct obs *ob, long i, const uint8_t *a, size_t alen,
                          const uint8_t *b, size_t blen) {
  struct rc_observed_report *r = ob->r;
  if (!ob->eng->o->keep_evidence || ob->has_evidence[i]) return;
  size_t min = alen < blen ? alen : blen;
  int c = memcmp(a, b, min);
  if (c > 0 || (c == 0 && alen > blen)) {
    const uint8_t *t = a;
    size_t tl = alen;
    a = b, alen = blen, b = t, blen = tl;
  }
  if (r->nevidence == r->evidence_cap) {
    size_t cap = r->evidence_cap ? r->evidence_cap * 2 : 8;
    struct rc_evidence *v = realloc(r->evidence, cap * sizeof *v);
    if (!v) goto oom;
    r->evidence = v;
    r->evidence_cap = cap;
  }
  struct rc_evidence *e = &r->evidence[r->nevidence];
  e->a = malloc(alen ? alen : 1);
  e->b = malloc(blen ? blen : 1);
  if (!e->a || !e->b) {
    free(e->a);
    free(e->b);
    goto oom;
  }
  memcpy(e->a, a, alen);
  memcpy(e->b, b, blen);
  e->alen = alen;
  e->blen = blen;
  e->station = i;
  r->nevidence++;
  ob->has_evidence[i] = 1;
  return;
oom:
  ob->eng->found.oom = 1;
}

/* The whole signed note whose text is entry t of the record (the text
 * must still hash to its leaf): malloc'd, or NULL (a SHEET_FORMAT finding
 * names a file that changed). Reads at most one note's bytes. */
static uint8_t *record_note(struct engine *eng, struct text_entry *t,
                            long station, size_t *len) {
  const struct rc_station *st = &eng->m->stations[station];
  uint8_t *text = reread_text(eng, t, st->id);
  if (!text) return NULL;
  free(text);
  int fd = openat(eng->rootfd, eng->files[t->file],
                  O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return NULL;
  uint8_t *p = malloc(RC_NOTE_MAX + 1);
  size_t got = 0;
  while (p && got < RC_NOTE_MAX) {
    ssize_t r = pread(fd, p + got, RC_NOTE_MAX - got, (off_t)(t->off + got));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    got += (size_t)r;
  }
  close(fd);
  if (!p) {
    eng->found.oom = 1;
    return NULL;
  }
  struct rc_error err;
  size_t used = 0;
  rc_hash leaf;
  if (got < t->len || rc_note_span(p, got, &used, &err) != RC_OK ||
      used < t->len) {
    free(p);
    return NULL;
  }
  rc_merkle_leaf_hash(p, t->len, leaf);
  if (CRYPTO_memcmp(leaf, t->leaf, 32) != 0) {
    free(p);
    return NULL;
  }
  *len = used;
  return p;
}

/* A validly signed text of the station in the record: the counted one,
 * else the first. */
static struct text_entry *record_text(struct station_texts *sl) {
  struct text_entry *first = NULL;
  for (uint32_t k = 0; k < sl->n; k++) {
    struct text_entry *t = station_text(sl, k);
    if (t->counted) return t;
    if (t->sigvalid && !first) first = t;
  }
  return first;
}

/* The record's own equivocations: the first two validly signed texts. */
static void record_evidence(struct obs *ob) {
  struct engine *eng = ob->eng;
  for (size_t i = 0; i < eng->m->nstations && !eng->found.oom; i++) {
    struct station_texts *sl = &eng->st.known[i];
    if (!sl->equivocated) continue;
    struct text_entry *two[2] = {NULL, NULL};
    for (uint32_t k = 0; k < sl->n && !two[1]; k++) {
      struct text_entry *t = station_text(sl, k);
      if (t->sigvalid) two[two[0] ? 1 : 0] = t;
    }
    if (!two[1]) continue;
    size_t alen = 0, blen = 0;
    uint8_t *a = record_note(eng, two[0], (long)i, &alen);
    uint8_t *b = a ? record_note(eng, two[1], (long)i, &blen) : NULL;
    if (a && b) keep_evidence(ob, (long)i, a, alen, b, blen);
    free(a);
    free(b);
  }
}

struct sig_seen {
  int disagree;
};

static void on_sig(void *ctx, const struct rc_sig_event *ev) {
  struct sig_seen *s = ctx;
  if (!ev->witness && ev->result == RC_SIG_DISAGREE) s->disagree = 1;
}

static int remember_withheld(struct obs *ob, long i, const rc_hash leaf,
                             const uint8_t *p, size_t n, const char *name) {
  struct withheld *w = calloc(1, sizeof *w);
  if (w) {
    w->note = malloc(n ? n : 1);
    w->file = engine_strdup(name);
  }
  if (!w || !w->note || !w->file) {
    if (w) {
      free(w->note);
      free(w->file);
    }
    free(w);
    ob->eng->found.oom = 1;
    return -1;
  }
  memcpy(w->leaf, leaf, 32);
  memcpy(w->note, p, n);
  w->len = n;
  ob->withheld[i] = w;
  return 0;
}

/* One framed observed note. */
static void observed_note(struct obs *ob, const char *name, size_t line,
                          const uint8_t *p, size_t n, struct rc_sheet *s) {
  struct engine *eng = ob->eng;
  const struct rc_manifest *m = eng->m;
  struct rc_note note;
  struct rc_error err;
  size_t used = 0;
  if (rc_note_next(p, n, &used, &note, &err) != RC_OK || used != n) {
    findings_add(&eng->found, RC_F_OBSERVED_INVALID, NULL, NULL, name,
                 line + (err.line ? err.line - 1 : 0), "not a signed note: %s",
                 err.msg);
    add_sheet(ob, RC_OBS_INVALID, name, line, -1);
    return;
  }
  if (rc_parse_sheet(note.text, note.textlen, s, &err) != RC_OK) {
    findings_add(&eng->found, RC_F_OBSERVED_INVALID, NULL, NULL, name,
                 line + (err.line ? err.line - 1 : 0), "count sheet: %s%s%s",
                 err.field[0] ? err.field : "", err.field[0] ? ": " : "",
                 err.msg);
    add_sheet(ob, RC_OBS_INVALID, name, line, -1);
    return;
  }
  long i = rc_manifest_station(m, s->station, strlen(s->station));
  if (i < 0) {
    findings_add(&eng->found, RC_F_OBSERVED_INVALID, NULL, s->station, name,
                 line, "station %s is not in the manifest", s->station);
    add_sheet(ob, RC_OBS_INVALID, name, line, -1);
    return;
  }
  const struct rc_station *st = &m->stations[i];
  const char *d = m->districts[st->district].id;
  struct rc_sheet_sigs sigs;
  struct sig_seen seen = {0};
  rc_sheet_signatures(&note, &st->key, eng->station_weak[i], NULL, 0,
                      eng->o->mode, on_sig, &seen, &sigs);
  if (!sigs.valid) {
    findings_add(&eng->found, RC_F_OBSERVED_INVALID, d, st->id, name, line,
                 "%s; it proves nothing",
                 eng->station_weak[i] ? "the station's registered key is weak"
                 : seen.disagree      ? "libsodium and OpenSSL disagree on the "
                                        "station's signature"
                 : sigs.station_line
                     ? "the signature by the station's registered key does "
                       "not verify"
                     : "no signature line by the station's registered key");
    add_sheet(ob, RC_OBS_INVALID, name, line, i);
    return;
  }
  rc_hash leaf;
  rc_merkle_leaf_hash(note.text, note.textlen, leaf);
  struct station_texts *sl = &eng->st.known[i];
  struct text_entry *e = find_text(sl, leaf);
  if (e && e->sigvalid) {
    add_sheet(ob, RC_OBS_MATCHED, name, line, i);
    return;
  }
  struct text_entry *ref = station_nvalid(sl) ? record_text(sl) : NULL;
  struct withheld *w = ob->withheld[i];
  if (!ref && w && CRYPTO_memcmp(w->leaf, leaf, 32) != 0) {
    findings_add(&eng->found, RC_F_SHEET_EQUIVOCATION, d, st->id, name, line,
                 "validly signed by station %s, which has no sheet in the "
                 "record, but not the sheet observed in %s: the station's "
                 "key signed two different sheets",
                 st->id, w->file);
    add_sheet(ob, RC_OBS_MISMATCHED, name, line, i);
    keep_evidence(ob, i, w->note, w->len, p, n);
    return;
  }
  if (!ref) {
    if (!w && remember_withheld(ob, i, leaf, p, n, name) != 0) return;
    findings_add(&eng->found, RC_F_OBSERVED_WITHHELD, d, st->id, name, line,
                 "validly signed by station %s, which has no validly signed "
                 "sheet in the record%s",
                 st->id,
                 e ? " (the record holds this text without a valid "
                     "signature)"
                   : "");
    add_sheet(ob, RC_OBS_WITHHELD, name, line, i);
    return;
  }
  findings_add(&eng->found, RC_F_SHEET_EQUIVOCATION, d, st->id, name, line,
               "validly signed by station %s, but not the sheet the record "
               "holds for it (%s): the station's key signed two different "
               "sheets",
               st->id, eng->files[ref->file]);
  add_sheet(ob, RC_OBS_MISMATCHED, name, line, i);
  if (!eng->o->keep_evidence || ob->has_evidence[i]) return;
  size_t rlen = 0;
  uint8_t *rn = record_note(eng, ref, i, &rlen);
  if (rn) keep_evidence(ob, i, rn, rlen, p, n);
  free(rn);
}

/* One observed file: read whole (bounded), cut into notes. */
static void observed_file(struct obs *ob, const char *dir, const char *rel,
                          struct rc_sheet *s) {
  struct engine *eng = ob->eng;
  char path[8192], name[8192];
  snprintf(path, sizeof path, "%s/%s", dir, rel);
  snprintf(name, sizeof name, "observed:%s", rel);
  uint8_t *buf = NULL;
  size_t len = 0;
  struct rc_error err;
  if (rc_read_file_as(path, name, RC_SHEETS_FILE_MAX, &buf, &len, &err) !=
      RC_OK) {
    if (err.code == RC_ERR_NOMEM) eng->found.oom = 1;
    findings_add(&eng->found, RC_F_OBSERVED_INVALID, NULL, NULL, name, 0, "%s",
                 err.msg);
    add_sheet(ob, RC_OBS_INVALID, name, 0, -1);
    return;
  }
  if (len == 0) {
    findings_add(&eng->found, RC_F_OBSERVED_INVALID, NULL, NULL, name, 0,
                 "empty file: it holds no signed count sheet");
    add_sheet(ob, RC_OBS_INVALID, name, 0, -1);
  }
  size_t pos = 0, line = 1;
  while (pos < len && !eng->found.oom) {
    size_t used = 0;
    if (rc_note_span(buf + pos, len - pos, &used, &err) != RC_OK) {
      findings_add(&eng->found, RC_F_OBSERVED_INVALID, NULL, NULL, name,
                   line + (err.line ? err.line - 1 : 0),
                   "cannot frame a signed count sheet here: %s; the rest of "
                   "the file is not read",
                   err.msg);
      add_sheet(ob, RC_OBS_INVALID, name, line, -1);
      break;
    }
    observed_note(ob, name, line, buf + pos, used, s);
    for (size_t k = 0; k < used; k++)
      if (buf[pos + k] == '\n') line++;
    pos += used;
  }
  free(buf);
}

static void observed_dir(struct obs *ob, const char *dir, struct rc_sheet *s) {
  struct engine *eng = ob->eng;
  int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    findings_add(&eng->found, RC_F_OBSERVED_INVALID, NULL, NULL, "observed:", 0,
                 "cannot open the observed directory: %s", strerror(errno));
    add_sheet(ob, RC_OBS_INVALID, "observed:", 0, -1);
    return;
  }
  char **files = NULL;
  size_t nfiles = 0, before = eng->found.n;
  walk_files(&eng->found, fd, RC_F_OBSERVED_INVALID,
             "observed:", "the observed directory", RC_OBSERVED_FILES_MAX,
             &files, &nfiles);
  close(fd);
  /* each special entry, unreadable directory or excess is one invalid
   * observed sheet */
  for (size_t k = before; k < eng->found.n && !eng->found.oom; k++)
    add_sheet(ob, RC_OBS_INVALID, eng->found.v[k].file, 0, -1);
  for (size_t f = 0; f < nfiles && !eng->found.oom; f++)
    observed_file(ob, dir, files[f], s);
  for (size_t f = 0; f < nfiles; f++) free(files[f]);
  free(files);
}

/* The manifest's exact bytes for the evidence: read again, they must be
 * signed by the anchor and hold the text the record was checked with. */
static void keep_manifest(struct obs *ob) {
  struct engine *eng = ob->eng;
  struct rc_observed_report *r = ob->r;
  char path[8192];
  snprintf(path, sizeof path, "%s/manifest.note", eng->root);
  uint8_t *buf = NULL;
  size_t len = 0;
  struct rc_error err;
  struct rc_note n;
  struct rc_note_check chk;
  int ks = 0;
  uint8_t h[32];
  if (rc_read_file_as(path, "manifest.note", RC_MANIFEST_MAX, &buf, &len,
                      &err) != RC_OK) {
    if (err.code == RC_ERR_NOMEM) eng->found.oom = 1;
    snprintf(r->manifest_why, sizeof r->manifest_why, "%s", err.msg);
    return;
  }
  if (rc_note_parse(buf, len, &n, &err) != RC_OK ||
      rc_note_verify(&n, eng->o->anchor, 1, eng->o->mode, &chk, &ks) != RC_OK) {
    snprintf(r->manifest_why, sizeof r->manifest_why,
             "manifest.note is not validly signed by the anchor key");
    free(buf);
    return;
  }
  rc_sha256(n.text, n.textlen, h);
  if (CRYPTO_memcmp(h, eng->rep->manifest_text_hash, 32) != 0) {
    snprintf(r->manifest_why, sizeof r->manifest_why,
             "manifest.note changed while the record was checked");
    free(buf);
    return;
  }
  r->manifest = buf;
  r->manifest_len = len;
}

static int by_station(const void *x, const void *y) {
  const struct rc_evidence *a = x, *b = y;
  return (a->station > b->station) - (a->station < b->station);
}

void check_observed(struct engine *eng) {
  struct rc_observed_report *r = calloc(1, sizeof *r);
  struct rc_sheet *s = malloc(sizeof *s);
  size_t ns = eng->m->nstations;
  struct obs ob = {eng, r, calloc(ns + 1, 1),
                   eng->o->nobserved ? calloc(ns + 1, sizeof(void *)) : NULL};
  if (!r || !s || !ob.has_evidence || (eng->o->nobserved && !ob.withheld)) {
    free(r);
    free(s);
    free(ob.has_evidence);
    free(ob.withheld);
    eng->found.oom = 1;
    return;
  }
  eng->rep->observed = r;
  r->given = eng->o->nobserved > 0;
  record_evidence(&ob);
  for (size_t k = 0; k < eng->o->nobserved && !eng->found.oom; k++)
    observed_dir(&ob, eng->o->observed[k], s);
  if (r->nevidence > 1)
    qsort(r->evidence, r->nevidence, sizeof *r->evidence, by_station);
  if (r->nevidence && !eng->found.oom) keep_manifest(&ob);
  free(s);
  free(ob.has_evidence);
  for (size_t i = 0; ob.withheld && i < ns; i++) {
    if (!ob.withheld[i]) continue;
    free(ob.withheld[i]->note);
    free(ob.withheld[i]->file);
    free(ob.withheld[i]);
  }
  free(ob.withheld);
}

void rc_observed_report_free(struct rc_observed_report *o) {
  for (size_t i = 0; i < o->n; i++) free(o->v[i].file);
  free(o->v);
  for (size_t i = 0; i < o->nevidence; i++) {
    free(o->evidence[i].a);
    free(o->evidence[i].b);
  }
  free(o->evidence);
  free(o->manifest);
  memset(o, 0, sizeof *o);
}
