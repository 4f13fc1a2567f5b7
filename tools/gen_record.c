/* gen_record.c — the record recount-gen builds: the district records,
 * the release log (and the preliminary release), the commitments and the
 * signed notes, written as the generator goes. */
#include "gen.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "b64.h"
#include "fileio.h"
#include "hash.h"
#include "log.h"
#include "merkle.h"
#include "note.h"
#include "signing.h"
#include "texts.h"

static int log_add(struct gen *g, const char *station, const rc_hash leaf,
                   const uint8_t *text, size_t len, uint64_t rank) {
  if (g->nlog == g->caplog) {
    size_t cap = g->caplog ? 2 * g->caplog : 1024;
    struct glog *v = realloc(g->log, cap * sizeof *v);
    if (!v) return -1;
    g->log = v;
    g->caplog = cap;
  }
  struct glog *e = &g->log[g->nlog];
  e->station = malloc(strlen(station) + 1);
  if (!e->station) return -1;
  memcpy(e->station, station, strlen(station) + 1);
  memcpy(e->leaf, leaf, 32);
  rc_sha256(text, len, e->sha);
  e->rank = rank;
  g->nlog++;
  return 0;
}

/* The preliminary release's sheets first, in its order, then the others
 * in station-id order (one text per station, so no tie): what `commit
 * --previous` does. */
static int cmp_glog(const void *a, const void *b) {
  const struct glog *x = a, *y = b;
  if (x->rank || y->rank) {
    if (!x->rank || !y->rank) return x->rank ? -1 : 1;
    return x->rank < y->rank ? -1 : x->rank > y->rank;
  }
  return strcmp(x->station, y->station);
}

/* log.txt of dir (with prelim_only, only the preliminary's sheets), and
 * the log tree into c. */
static int write_log(struct gen *g, const char *dir, int prelim_only,
                     struct rc_checkpoint *c) {
  struct rc_buf b = {0};
  struct rc_merkle_stream ms;
  int rc = -1;
  qsort(g->log, g->nlog, sizeof *g->log, cmp_glog);
  rc_merkle_stream_init(&ms);
  for (size_t i = 0; i < g->nlog; i++) {
    if (prelim_only && !g->log[i].rank) break;
    if (rc_encode_log_entry(g->log[i].station, g->log[i].sha, &b) != RC_OK)
      goto out;
    rc_merkle_stream_push(&ms, g->log[i].leaf);
  }
  c->size = ms.count;
  rc_merkle_stream_root(&ms, c->root);
  if (!b.oom && !gen_write_out(dir, "log.txt", &b)) rc = 0;
out:
  rc_buf_free(&b);
  return rc;
}

/* The preliminary release's sheets file and district record of the
 * district whose final record is dr (pr: its sums over the first npre
 * stations). */
static int emit_prelim(struct gen *g, const struct rc_district_rec *dr,
                       struct rc_district_rec *pr,
                       const struct rc_merkle_stream *pms, size_t npre,
                       const struct rc_buf *psheets) {
  struct prelim *p = g->pre;
  memcpy(pr->election, dr->election, sizeof pr->election);
  memcpy(pr->district, dr->district, sizeof pr->district);
  pr->stations = dr->stations;
  pr->sheets = npre;
  pr->nvotes = dr->nvotes;
  for (size_t c = 0; c < dr->nvotes; c++)
    memcpy(pr->votes[c].choice, dr->votes[c].choice,
           sizeof pr->votes[c].choice);
  rc_merkle_stream_root(pms, pr->root);
  if (npre) {
    char name[RC_ID_MAX + 16];
    snprintf(name, sizeof name, "sheets/%s.txt", dr->district);
    if (gen_write_out(p->out, name, psheets)) return -1;
  }
  if (p->districts.len) rc_buf_putc(&p->districts, '\n');
  size_t start = p->districts.len;
  if (rc_encode_district(pr, &p->districts) != RC_OK) return -1;
  rc_hash h;
  rc_merkle_leaf_hash(p->districts.p + start, p->districts.len - start, h);
  rc_merkle_stream_push(&p->election, h);
  return 0;
}

/* Writes a district's sheets file and appends its district record. */
int gen_emit_district(struct gen *g, const char *election, const char *district,
                      const char *const *choices, size_t nchoices,
                      size_t nstations, char **ids, const struct sfig *s,
                      struct rc_buf *stations_lines, size_t npre,
                      size_t order) {
  struct rc_buf sheets = {0}, psheets = {0};
  struct rc_sheet *sh = calloc(1, sizeof *sh);
  struct rc_district_rec *dr = calloc(1, sizeof *dr);
  struct rc_district_rec *pr = calloc(1, sizeof *pr);
  struct rc_merkle_stream ms, pms;
  int rc = -1;
  if (!sh || !dr || !pr) goto out;
  rc_merkle_stream_init(&ms);
  rc_merkle_stream_init(&pms);
  snprintf(dr->election, sizeof dr->election, "%s", election);
  snprintf(dr->district, sizeof dr->district, "%s", district);
  dr->stations = dr->sheets = nstations;
  dr->nvotes = nchoices;
  for (size_t i = 0; i < nstations; i++) {
    char kname[RC_KEYNAME_MAX + 1];
    snprintf(kname, sizeof kname, "TEST-KEY.%s", ids[i]);
    if (gen_derive_key(g->station_key, "station", ids[i], kname)) goto out;
    /* manifest line */
    rc_buf_printf(stations_lines, "station %s %s %llu ", ids[i], district,
                  (unsigned long long)s[i].registered);
    gen_vkey_line(stations_lines, g->station_key);
    rc_buf_putc(stations_lines, '\n');
    if (g->list_keys) {
      char t[RC_SKEY_TEXT_MAX];
      size_t tl = rc_skey_encode(g->station_key, t);
      rc_buf_put(&g->keys, t, tl);
      memset(t, 0, sizeof t);
    }
    /* the sheet */
    memset(sh, 0, sizeof *sh);
    snprintf(sh->election, sizeof sh->election, "%s", election);
    snprintf(sh->district, sizeof sh->district, "%s", district);
    snprintf(sh->station, sizeof sh->station, "%s", ids[i]);
    sh->registered = s[i].registered;
    sh->ballots = s[i].ballots;
    sh->invalid = s[i].invalid;
    sh->blank = s[i].blank;
    sh->excluded = s[i].excluded;
    sh->nvotes = nchoices;
    for (size_t c = 0; c < nchoices; c++) {
      snprintf(sh->votes[c].choice, sizeof sh->votes[c].choice, "%s",
               choices[c]);
      sh->votes[c].count = s[i].votes[c];
    }
    struct rc_buf t = {0};
    if (rc_encode_sheet(sh, &t) != RC_OK || t.oom) {
      rc_buf_free(&t);
      goto out;
    }
    rc_hash leaf;
    rc_merkle_leaf_hash(t.p, t.len, leaf);
    rc_merkle_stream_push(&ms, leaf);
    uint64_t rank = i < npre ? ((uint64_t)(order + 1) << 32) | i : 0;
    if (log_add(g, ids[i], leaf, t.p, t.len, rank) != 0) {
      rc_buf_free(&t);
      goto out;
    }
    size_t at = sheets.len;
    int src = gen_sign_append(&sheets, g->station_key, t.p, t.len);
    rc_buf_free(&t);
    if (src != RC_OK) goto out;
    if (i < npre) { /* the same signed note in the preliminary release */
      rc_buf_put(&psheets, sheets.p + at, sheets.len - at);
      rc_merkle_stream_push(&pms, leaf);
      struct prelim *p = g->pre;
      p->ballots += sh->ballots;
      p->invalid += sh->invalid;
      p->blank += sh->blank;
      p->excluded += sh->excluded;
      for (size_t c = 0; c < nchoices && c < 2; c++)
        p->votes[c] += sh->votes[c].count;
      pr->registered += sh->registered;
      pr->ballots += sh->ballots;
      pr->invalid += sh->invalid;
      pr->blank += sh->blank;
      pr->excluded += sh->excluded;
      for (size_t c = 0; c < nchoices; c++)
        pr->votes[c].count += sh->votes[c].count;
    }
    dr->registered += sh->registered;
    dr->ballots += sh->ballots;
    dr->invalid += sh->invalid;
    dr->blank += sh->blank;
    dr->excluded += sh->excluded;
    for (size_t c = 0; c < nchoices; c++) {
      snprintf(dr->votes[c].choice, sizeof dr->votes[c].choice, "%s",
               choices[c]);
      dr->votes[c].count += sh->votes[c].count;
    }
  }
  rc_merkle_stream_root(&ms, dr->root);
  if (g->pre && emit_prelim(g, dr, pr, &pms, npre, &psheets) != 0) goto out;
  /* only the --max-counts overflow record gets here with sums beyond what
   * a record can state: clamp them (the verifier reports the overflow) */
  uint64_t *figs[] = {&dr->registered,    &dr->ballots,  &dr->invalid,
                      &dr->blank,         &dr->excluded, &dr->votes[0].count,
                      &dr->votes[1].count};
  for (size_t i = 0; i < sizeof figs / sizeof figs[0]; i++)
    if (*figs[i] >= RC_COUNT_LIMIT) *figs[i] = RC_COUNT_LIMIT - 1;
  char name[RC_ID_MAX + 16];
  snprintf(name, sizeof name, "sheets/%s.txt", district);
  if (gen_write_out(g->out, name, &sheets)) goto out;
  size_t start = g->districts.len;
  if (g->ndistricts) {
    rc_buf_putc(&g->districts, '\n');
    start = g->districts.len;
  }
  if (rc_encode_district(dr, &g->districts) != RC_OK) goto out;
  rc_hash h;
  rc_merkle_leaf_hash(g->districts.p + start, g->districts.len - start, h);
  rc_merkle_stream_push(&g->election, h);
  g->ndistricts++;
  rc = 0;
out:
  rc_buf_free(&sheets);
  rc_buf_free(&psheets);
  free(sh);
  free(dr);
  free(pr);
  return rc;
}

/* Writes manifest.note, districts.txt, log.txt, checkpoint.note and the
 * anchor. */
int gen_finish(struct gen *g, const struct rc_buf *manifest_text,
               const char *origin, const char *anchor_out) {
  struct rc_buf mn = {0}, cp = {0}, cpt = {0}, av = {0};
  int rc = -1;
  if (manifest_text->oom) goto out;
  if (gen_sign_append(&mn, g->commission, manifest_text->p, manifest_text->len))
    goto out;
  if (gen_write_out(g->out, "manifest.note", &mn)) goto out;
  if (gen_write_out(g->out, "districts.txt", &g->districts)) goto out;
  struct rc_checkpoint c = {0};
  snprintf(c.origin, sizeof c.origin, "%s", origin);
  c.ndistricts = g->ndistricts;
  rc_merkle_stream_root(&g->election, c.districts_root);
  if (write_log(g, g->out, 0, &c)) goto out;
  rc_sha256(manifest_text->p, manifest_text->len, c.manifest_hash);
  if (rc_encode_checkpoint(&c, &cpt) != RC_OK) goto out;
  if (gen_sign_append(&cp, g->commission, cpt.p, cpt.len)) goto out;
  if (gen_write_out(g->out, "checkpoint.note", &cp)) goto out;
  gen_vkey_line(&av, g->commission);
  rc_buf_putc(&av, '\n');
  struct rc_error err;
  if (rc_write_atomic(anchor_out, av.p, av.len, 0644, 0, &err) != RC_OK) {
    fprintf(stderr, "recount-gen: %s\n", err.msg);
    goto out;
  }
  rc = 0;
out:
  rc_buf_free(&mn);
  rc_buf_free(&cp);
  rc_buf_free(&cpt);
  rc_buf_free(&av);
  return rc;
}

/* The preliminary release (g->pre): the same manifest, its districts.txt,
 * log.txt (the final log's first entries), checkpoint and the partial
 * figures announced on polling night. */
int gen_finish_prelim(struct gen *g, const struct rc_buf *manifest_text,
                      const char *origin) {
  struct prelim *p = g->pre;
  struct rc_buf mn = {0}, cp = {0}, cpt = {0}, pub = {0}, pubn = {0};
  struct rc_checkpoint c = {0};
  struct rc_percent pc;
  int rc = -1;
  if (gen_sign_append(&mn, g->commission, manifest_text->p,
                      manifest_text->len) ||
      gen_write_out(p->out, "manifest.note", &mn) ||
      gen_write_out(p->out, "districts.txt", &p->districts))
    goto out;
  snprintf(c.origin, sizeof c.origin, "%s", origin);
  c.ndistricts = g->ndistricts;
  rc_merkle_stream_root(&p->election, c.districts_root);
  rc_sha256(manifest_text->p, manifest_text->len, c.manifest_hash);
  if (write_log(g, p->out, 1, &c) || rc_encode_checkpoint(&c, &cpt) != RC_OK ||
      gen_sign_append(&cp, g->commission, cpt.p, cpt.len) ||
      gen_write_out(p->out, "checkpoint.note", &cp))
    goto out;
  uint64_t valid = p->votes[0] + p->votes[1];
  rc_buf_printf(&pub,
                "recount published v1\nelection krd-2017\nballots "
                "%llu\ninvalid %llu\nblank %llu\nexcluded %llu\n"
                "valid %llu\nvote yes %llu\nvote no %llu\n",
                (unsigned long long)p->ballots, (unsigned long long)p->invalid,
                (unsigned long long)p->blank, (unsigned long long)p->excluded,
                (unsigned long long)valid, (unsigned long long)p->votes[0],
                (unsigned long long)p->votes[1]);
  for (int i = 0; i < 2; i++) {
    if (rc_percent_from_ratio(p->votes[i], valid, 2, &pc) != 0) goto out;
    rc_buf_puts(&pub, i ? "share no " : "share yes ");
    rc_percent_encode(&pc, &pub);
    rc_buf_putc(&pub, '\n');
  }
  if (gen_sign_append(&pubn, g->commission, pub.p, pub.len) ||
      gen_write_out(p->out, "published.note", &pubn))
    goto out;
  rc = 0;
out:
  rc_buf_free(&mn);
  rc_buf_free(&cp);
  rc_buf_free(&cpt);
  rc_buf_free(&pub);
  rc_buf_free(&pubn);
  rc_buf_free(&p->districts);
  return rc;
}

int gen_setup(struct gen *g, const char *out, const char *cname) {
  memset(g, 0, sizeof *g);
  g->out = out;
  g->commission = rc_skey_new();
  g->witness = rc_skey_new();
  g->station_key = rc_skey_new();
  if (!g->commission || !g->witness || !g->station_key) return -1;
  if (gen_derive_key(g->commission, "commission", "", cname)) return -1;
  if (gen_derive_key(g->witness, "witness", "",
                     "TEST-KEY.observers.example/krd-2017"))
    return -1;
  rc_merkle_stream_init(&g->election);
  /* the key listing starts with the commission's and the witness's keys */
  char t[RC_SKEY_TEXT_MAX];
  size_t tl = rc_skey_encode(g->commission, t);
  rc_buf_put(&g->keys, t, tl);
  tl = rc_skey_encode(g->witness, t);
  rc_buf_put(&g->keys, t, tl);
  memset(t, 0, sizeof t);
  char p[4096];
  snprintf(p, sizeof p, "%s/sheets", out);
  if (gen_mkdir_new(out) || gen_mkdir_new(p)) return -1;
  return 0;
}

void gen_teardown(struct gen *g) {
  rc_skey_free(g->commission);
  rc_skey_free(g->witness);
  rc_skey_free(g->station_key);
  rc_buf_free(&g->manifest);
  rc_buf_free(&g->districts);
  for (size_t i = 0; i < g->nlog; i++) free(g->log[i].station);
  free(g->log);
  if (g->keys.p) memset(g->keys.p, 0, g->keys.cap);
  rc_buf_free(&g->keys);
}
