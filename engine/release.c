/* release.c — (v1.1) the release log (RECORD.md §3): log.txt against the
 * record's sheets and the checkpoint (LOG_FORMAT, LOG_MISMATCH), and the
 * --previous checkpoints this release must extend (RELEASE_REWRITTEN).
 *
 * The log's entries are matched to the distinct parseable sheet texts
 * that are leaves of the district trees, by SHA-256 (kept per text by the
 * workers, so no text is read again) through an open-addressing table
 * over the log: time linear in the log and the texts. The log tree is then
 * hashed once over the texts' leaf hashes in log order; a --previous
 * checkpoint of size s needs the root of the first s of them, one more
 * pass of node hashing at most (no sheet text is hashed again). */
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "b64.h"
#include "engine.h"
#include "text.h"
#include "log.h"

/* Findings of one kind listed per line before they are summed up. */
#define LOG_FINDINGS_MAX 100

struct logcheck {
  struct rc_log l;
  uint8_t *buf;   /* log.txt */
  uint32_t *slot; /* open addressing: entry index + 1, 0 empty */
  uint32_t mask;
  rc_hash *leaves;  /* per entry: the leaf hash of its text */
  uint8_t *claimed; /* per entry: a text of the record has its hash */
  size_t unclaimed;
};

static uint32_t sha_slot(const uint8_t *sha, uint32_t mask) {
  uint32_t h;
  memcpy(&h, sha, sizeof h);
  return h & mask;
}

/* The entry with this hash, or -1. */
static long find_entry(const struct logcheck *lc, const uint8_t *sha) {
  for (uint32_t h = sha_slot(sha, lc->mask); lc->slot[h];
       h = (h + 1) & lc->mask) {
    uint32_t i = lc->slot[h] - 1;
    if (CRYPTO_memcmp(lc->l.v[i].sha, sha, 32) == 0) return (long)i;
  }
  return -1;
}

static void entry_station(const struct logcheck *lc, size_t i,
                          char out[RC_ID_MAX + 1]) {
  const struct rc_log_entry *e = &lc->l.v[i];
  memcpy(out, lc->buf + e->id_off, e->id_len);
  out[e->id_len] = 0;
}

/* Reads and parses log.txt. Returns 0, or -1 (reported) when it cannot. */
static int read_log(struct engine *eng, struct logcheck *lc) {
  char path[4096];
  size_t len = 0;
  struct rc_error err;
  snprintf(path, sizeof path, "%s/log.txt", eng->root);
  if (rc_read_file_as(path, "log.txt", RC_LOG_FILE_MAX, &lc->buf, &len, &err) !=
      RC_OK) {
    findings_add(&eng->found, RC_F_LOG_FORMAT, NULL, NULL, "log.txt", 0,
                 "the release log cannot be read: %s", err.msg);
    return -1;
  }
  int rc = rc_parse_log(lc->buf, len, &lc->l, &err);
  if (rc == RC_ERR_NOMEM) {
    eng->found.oom = 1;
    return -1;
  }
  if (rc != RC_OK) {
    findings_add(&eng->found, RC_F_LOG_FORMAT, NULL, NULL, "log.txt", err.line,
                 "%s%s%s", err.field[0] ? err.field : "",
                 err.field[0] ? ": " : "", err.msg);
    return -1;
  }
  return 0;
}

/* Builds the hash table; a hash on two lines is a LOG_MISMATCH. */
static int index_log(struct engine *eng, struct logcheck *lc) {
  size_t n = lc->l.n, cap = 16, dups = 0;
  char nb[32];
  while (cap < 2 * n) cap *= 2;
  lc->slot = calloc(cap, sizeof *lc->slot);
  lc->leaves = malloc((n ? n : 1) * sizeof *lc->leaves);
  lc->claimed = calloc(n ? n : 1, 1);
  if (!lc->slot || !lc->leaves || !lc->claimed) return -1;
  lc->mask = (uint32_t)(cap - 1);
  for (size_t i = 0; i < n; i++) {
    long j = find_entry(lc, lc->l.v[i].sha);
    if (j >= 0) {
      char id[RC_ID_MAX + 1];
      entry_station(lc, i, id);
      if (++dups <= LOG_FINDINGS_MAX)
        findings_add(&eng->found, RC_F_LOG_MISMATCH, NULL, id, "log.txt", i + 1,
                     "the same sheet as line %ld: a log holds each "
                     "sheet once",
                     j + 1);
      lc->claimed[i] = 2; /* never a text's: reported here */
      continue;
    }
    uint32_t h = sha_slot(lc->l.v[i].sha, lc->mask);
    while (lc->slot[h]) h = (h + 1) & lc->mask;
    lc->slot[h] = (uint32_t)i + 1;
  }
  if (dups > LOG_FINDINGS_MAX)
    findings_add(&eng->found, RC_F_LOG_MISMATCH, NULL, NULL, "log.txt", 0,
                 "%s more lines repeat a sheet",
                 rc_fmt_count(nb, dups - LOG_FINDINGS_MAX));
  return 0;
}

/* Each text that is a district-tree leaf claims its log entry. */
static void match_station(struct engine *eng, struct logcheck *lc,
                          struct station_texts *sl, const char *sid,
                          size_t *absent) {
  for (uint32_t k = 0; k < sl->n; k++) {
    const struct text_entry *e = station_text(sl, k);
    if (e->district < 0) continue;
    const char *did = eng->m->districts[e->district].id;
    long i = find_entry(lc, e->sha);
    if (i < 0) {
      if (++*absent <= LOG_FINDINGS_MAX)
        findings_add(&eng->found, RC_F_LOG_MISMATCH, did, sid,
                     eng->files[e->file], k == 0 ? sl->firstline : 0,
                     "a sheet of station %s is not in log.txt", sid);
      continue;
    }
    char id[RC_ID_MAX + 1];
    entry_station(lc, (size_t)i, id);
    if (strcmp(id, sid) != 0)
      findings_add(&eng->found, RC_F_LOG_MISMATCH, did, sid, "log.txt",
                   (size_t)i + 1,
                   "the line names station %s, but its sheet "
                   "is station %s's",
                   id, sid);
    lc->claimed[i] = 1;
    memcpy(lc->leaves[i], e->leaf, 32);
  }
}

static void match_texts(struct engine *eng, struct logcheck *lc) {
  const struct rc_manifest *m = eng->m;
  size_t absent = 0, gone = 0;
  char n[32];
  for (size_t k = 0; k < m->nstations; k++)
    match_station(eng, lc, &eng->st.known[k], m->stations[k].id, &absent);
  for (size_t k = 0; k < eng->st.nunknown; k++)
    match_station(eng, lc, &eng->st.unknown[k].texts, eng->st.unknown[k].id,
                  &absent);
  if (absent > LOG_FINDINGS_MAX)
    findings_add(&eng->found, RC_F_LOG_MISMATCH, NULL, NULL, "log.txt", 0,
                 "%s more sheets are not in log.txt",
                 rc_fmt_count(n, absent - LOG_FINDINGS_MAX));
  for (size_t i = 0; i < lc->l.n; i++) {
    if (lc->claimed[i]) continue;
    lc->unclaimed++;
    char id[RC_ID_MAX + 1];
    entry_station(lc, i, id);
    if (++gone <= LOG_FINDINGS_MAX)
      findings_add(&eng->found, RC_F_LOG_MISMATCH, NULL, id, "log.txt", i + 1,
                   "station %s: the record has no sheet with this hash", id);
  }
  if (gone > LOG_FINDINGS_MAX)
    findings_add(&eng->found, RC_F_LOG_MISMATCH, NULL, NULL, "log.txt", 0,
                 "%s more lines name no sheet of the record",
                 rc_fmt_count(n, gone - LOG_FINDINGS_MAX));
  /* a repeated line (claimed 2) has no leaf of its own */
  for (size_t i = 0; i < lc->l.n; i++)
    if (lc->claimed[i] == 2) lc->unclaimed++;
}

/* The log's size and root against the checkpoint's. */
static void compare_checkpoint(struct engine *eng, const struct logcheck *lc) {
  struct rc_record_report *rep = eng->rep;
  if (!rep->have_checkpoint) return;
  const struct rc_checkpoint *c = &rep->checkpoint;
  char na[32], nb[32];
  if (c->size != lc->l.n)
    findings_add(&eng->found, RC_F_LOG_MISMATCH, NULL, NULL, "checkpoint.note",
                 2, "log size %s in the checkpoint, log.txt has %s entries",
                 rc_fmt_count(na, c->size), rc_fmt_count(nb, lc->l.n));
  /* without a root (entries that are no sheet: reported) no compare */
  else if (rep->have_log_root &&
           CRYPTO_memcmp(c->root, rep->log_root, 32) != 0) {
    char a[48], b[48];
    rc_b64_encode(c->root, 32, a);
    rc_b64_encode(rep->log_root, 32, b);
    findings_add(&eng->found, RC_F_LOG_MISMATCH, NULL, NULL, "checkpoint.note",
                 3, "log root %s, but the sheets in log order hash to %s", a,
                 b);
  }
}

/* One --previous checkpoint against this release's log. */
static void check_previous(struct engine *eng, const struct logcheck *lc,
                           const struct rc_previous *p) {
  struct findings *fs = &eng->found;
  struct rc_note n;
  struct rc_note_check res;
  struct rc_error err;
  struct rc_checkpoint c;
  char na[32], nb[32];
  int ks = 0;
  if (rc_note_parse(p->buf, p->len, &n, &err) != RC_OK) {
    findings_add(fs, RC_F_RELEASE_REWRITTEN, NULL, NULL, p->name, err.line,
                 "not a signed note: %s", err.msg);
    return;
  }
  if (rc_note_verify(&n, eng->o->anchor, 1, eng->o->mode, &res, &ks) != RC_OK) {
    findings_add(fs, RC_F_RELEASE_REWRITTEN, NULL, NULL, p->name, 0,
                 "not signed by the anchor key: an earlier checkpoint must be "
                 "the commission's");
    return;
  }
  if (rc_parse_checkpoint(n.text, n.textlen, &c, &err) != RC_OK) {
    findings_add(fs, RC_F_RELEASE_REWRITTEN, NULL, NULL, p->name, err.line,
                 "not a checkpoint: %s", err.msg);
    return;
  }
  if (strcmp(c.origin, eng->m->origin) != 0) {
    findings_add(fs, RC_F_RELEASE_REWRITTEN, NULL, NULL, p->name, 1,
                 "origin %s, this election's is %s", c.origin, eng->m->origin);
    return;
  }
  if (c.size > lc->l.n) {
    findings_add(fs, RC_F_RELEASE_REWRITTEN, NULL, NULL, p->name, 2,
                 "an earlier release of %s sheets, this log has only %s: "
                 "sheets were withdrawn",
                 rc_fmt_count(na, c.size), rc_fmt_count(nb, lc->l.n));
    return;
  }
  for (size_t i = 0; i < c.size; i++)
    if (lc->claimed[i] != 1) {
      findings_add(fs, RC_F_RELEASE_REWRITTEN, NULL, NULL, p->name, 2,
                   "entry %zu of the earlier release (log.txt line %zu) is "
                   "not a sheet of this record",
                   i, i + 1);
      return;
    }
  rc_hash root;
  rc_merkle_root((const rc_hash *)lc->leaves, (size_t)c.size, root);
  if (CRYPTO_memcmp(root, c.root, 32) != 0) {
    char a[48], b[48];
    rc_b64_encode(c.root, 32, a);
    rc_b64_encode(root, 32, b);
    findings_add(fs, RC_F_RELEASE_REWRITTEN, NULL, NULL, p->name, 3,
                 "the earlier release's %s sheets have root %s, the first "
                 "%s of this log %s: a published sheet was replaced, "
                 "withdrawn or moved",
                 rc_fmt_count(na, c.size), a, na, b);
  }
}

void check_release(struct engine *eng) {
  struct rc_record_report *rep = eng->rep;
  struct logcheck lc = {0};
  if (release_fast(eng)) { /* release_fast.c: a log that is right */
    lc.l.n = (size_t)rep->log_size;
    compare_checkpoint(eng, &lc);
    return;
  }
  if (read_log(eng, &lc) != 0) {
    for (size_t k = 0; k < eng->o->nprevious; k++)
      findings_add(&eng->found, RC_F_RELEASE_REWRITTEN, NULL, NULL,
                   eng->o->previous[k].name, 0,
                   "cannot be checked: this record has no readable log");
    goto out;
  }
  rep->have_log = 1;
  rep->log_size = lc.l.n;
  if (index_log(eng, &lc) != 0) {
    eng->found.oom = 1;
    goto out;
  }
  match_texts(eng, &lc);
  if (lc.unclaimed == 0) {
    rc_merkle_root((const rc_hash *)lc.leaves, lc.l.n, rep->log_root);
    rep->have_log_root = 1;
  }
  compare_checkpoint(eng, &lc);
  for (size_t k = 0; k < eng->o->nprevious; k++)
    check_previous(eng, &lc, &eng->o->previous[k]);
  if (eng->o->keep_leaves && rep->have_log_root) {
    rep->log_leaves = lc.leaves;
    lc.leaves = NULL;
  }
out:
  rc_log_free(&lc.l);
  free(lc.buf);
  free(lc.slot);
  free(lc.leaves);
  free(lc.claimed);
}

/* An empty checkpoint (a log released before any sheet) is extended by
 * every checkpoint of its origin, with an empty proof: the empty tree is a
 * prefix of every tree (C2SP tlog-witness, add-checkpoint: "the empty tree
 * is consistent with any tree, so no proof is necessary"; RFC 9162 §2.1.4
 * defines proofs only from 0 < m). A checkpoint of size 0 must have the
 * empty tree's root, H(""), as tlog-witness requires; any other is no
 * tree's and extends nothing. */
int rc_checkpoint_extends(const struct rc_checkpoint *a,
                          const struct rc_checkpoint *b, const rc_hash *proof,
                          size_t plen) {
  if (strcmp(a->origin, b->origin) != 0) return RC_ERR_USAGE;
  if (b->size < a->size) return RC_ERR_ORDER;
  if (a->size == 0) {
    rc_hash empty;
    rc_merkle_root(NULL, 0, empty);
    if (plen != 0 || CRYPTO_memcmp(a->root, empty, 32) != 0)
      return RC_ERR_PROOF;
    if (b->size == 0)
      return CRYPTO_memcmp(b->root, empty, 32) == 0 ? RC_OK : RC_ERR_PROOF;
    return RC_OK;
  }
  if (a->size == b->size)
    return plen == 0 && CRYPTO_memcmp(a->root, b->root, 32) == 0 ? RC_OK
                                                                 : RC_ERR_PROOF;
  return rc_merkle_verify_consistency(a->size, b->size, a->root, b->root, proof,
                                      plen);
}

static int push_index(size_t **v, size_t *n, size_t i) {
  size_t *p = realloc(*v, (*n + 1) * sizeof *p);
  if (!p) return -1;
  p[(*n)++] = i;
  *v = p;
  return 0;
}

/* Appends a finding to a finished report. */
static void report_add(struct rc_record_report *rep, const char *station,
                       const char *msg, const char *what) {
  struct findings fs = {rep->findings, rep->nfindings, rep->findings_cap, 0};
  findings_add(&fs, RC_F_RELEASE_MANIFEST_CHANGED, NULL, station,
               "manifest.note", 0, "station %s: %s%s", station, msg, what);
  rep->findings = fs.v;
  rep->nfindings = fs.n;
  rep->findings_cap = fs.cap;
  rep->nerrors += fs.oom ? 0 : 1;
}

int rc_release_manifest_diff(const struct rc_manifest *old,
                             struct rc_record_report *rep,
                             struct rc_manifest_diff *out) {
  const struct rc_manifest *nw = &rep->manifest;
  int rc = 0;
  memset(out, 0, sizeof *out);
  /* both station lists are in strictly ascending id order: one merge */
  size_t i = 0, j = 0;
  while (!rc && (i < old->nstations || j < nw->nstations)) {
    int c = i == old->nstations ? 1
            : j == nw->nstations
                ? -1
                : strcmp(old->stations[i].id, nw->stations[j].id);
    if (c < 0) {
      report_add(rep, old->stations[i].id, "removed from the manifest", "");
      rc = push_index(&out->removed, &out->nremoved, i++);
    } else if (c > 0) {
      rc = push_index(&out->added, &out->nadded, j++);
    } else {
      const struct rc_station *a = &old->stations[i], *b = &nw->stations[j];
      const char *what =
          strcmp(old->districts[a->district].id, nw->districts[b->district].id)
              ? "district"
          : a->registered != b->registered ? "registered"
          : CRYPTO_memcmp(a->key.pk, b->key.pk, 32) ||
                  a->key.namelen != b->key.namelen ||
                  memcmp(a->key.name, b->key.name, a->key.namelen)
              ? "key"
              : NULL;
      if (what) {
        report_add(rep, a->id, "its manifest line changed: ", what);
        rc = push_index(&out->changed, &out->nchanged, i);
      }
      i++;
      j++;
    }
  }
  if (rc) {
    rc_manifest_diff_free(out);
    return RC_ERR_NOMEM;
  }
  return RC_OK;
}

void rc_manifest_diff_free(struct rc_manifest_diff *d) {
  free(d->added);
  free(d->removed);
  free(d->changed);
  memset(d, 0, sizeof *d);
}
