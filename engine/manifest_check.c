/* manifest_check.c — manifest.note: signed by the anchor, well formed,
 * and no weak or shared keys among the witnesses and stations. */
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "hash.h"

static int cmp_station_pk(const void *a, const void *b, void *ctx) {
  const struct rc_manifest *m = ctx;
  size_t x = *(const size_t *)a, y = *(const size_t *)b;
  int c = memcmp(m->stations[x].key.pk, m->stations[y].key.pk, 32);
  if (c) return c;
  return x < y ? -1 : x > y;
}

static int cmp_size(const void *a, const void *b) {
  size_t x = *(const size_t *)a, y = *(const size_t *)b;
  return x < y ? -1 : x > y;
}

/* Reads, verifies and parses the manifest into rep->manifest. */
static void load_manifest(struct engine *eng) {
  struct rc_record_report *rep = eng->rep;
  uint8_t *buf = NULL;
  const uint8_t *text;
  size_t tlen;
  (void)read_anchor_note(eng, "manifest.note", RC_F_MANIFEST_SIGNATURE, &buf,
                         &text, &tlen, RC_MANIFEST_MAX, NULL);
  if (text) {
    rc_sha256(text, tlen, rep->manifest_text_hash);
    struct rc_error err;
    if (rc_parse_manifest(text, tlen, &rep->manifest, &err) != RC_OK) {
      findings_add(&eng->found, RC_F_MANIFEST_FORMAT, NULL, NULL,
                   "manifest.note", err.line, "%s%s%s",
                   err.field[0] ? err.field : "", err.field[0] ? ": " : "",
                   err.msg);
    } else {
      rep->have_manifest = 1;
    }
  }
  free(buf);
}

static void check_key_strength(struct engine *eng) {
  const struct rc_manifest *m = eng->m;
  for (size_t w = 0; w < m->nwitnesses; w++) {
    enum rc_key_class c = rc_pubkey_check(m->witnesses[w].pk);
    if (c != RC_KEY_GOOD)
      findings_add(&eng->found, RC_F_KEY_WEAK, NULL, NULL, "manifest.note", 0,
                   "witness key %.*s is %s", (int)m->witnesses[w].namelen,
                   m->witnesses[w].name, rc_key_class_str(c));
  }
  for (size_t i = 0; i < m->nstations; i++) {
    enum rc_key_class c = rc_pubkey_check(m->stations[i].key.pk);
    if (c != RC_KEY_GOOD) {
      eng->station_weak[i] = 1;
      findings_add(&eng->found, RC_F_KEY_WEAK,
                   m->districts[m->stations[i].district].id,
                   m->stations[i].id, "manifest.note", 0,
                   "the registered key of station %s is %s",
                   m->stations[i].id, rc_key_class_str(c));
    }
  }
}

/* Reports each station of the group ix[0..n) (same key), in manifest
 * order. */
static void report_reuse_group(struct engine *eng, size_t *ix, size_t n) {
  const struct rc_manifest *m = eng->m;
  qsort(ix, n, sizeof *ix, cmp_size);
  for (size_t k = 0; k < n; k++) {
    const struct rc_station *st = &m->stations[ix[k]];
    const struct rc_station *other = &m->stations[ix[k == 0 ? 1 : 0]];
    findings_add(&eng->found, RC_F_KEY_REUSED, m->districts[st->district].id,
                 st->id, "manifest.note", 0,
                 "station %s is registered with the same public key as "
                 "station %s (%zu stations share it)",
                 st->id, other->id, n);
  }
}

/* Key reuse: station indices sorted by public key, then each run. */
static void check_key_reuse(struct engine *eng) {
  const struct rc_manifest *m = eng->m;
  size_t n = m->nstations;
  size_t *ix = malloc((n ? n : 1) * sizeof *ix);
  if (!ix) {
    eng->found.oom = 1;
    return;
  }
  for (size_t i = 0; i < n; i++) ix[i] = i;
  qsort_r(ix, n, sizeof *ix, cmp_station_pk, (void *)m);
  for (size_t a = 0; a < n;) {
    size_t b = a + 1;
    while (b < n && !memcmp(m->stations[ix[a]].key.pk,
                            m->stations[ix[b]].key.pk, 32))
      b++;
    if (b - a > 1) report_reuse_group(eng, ix + a, b - a);
    a = b;
  }
  free(ix);
}

void check_manifest(struct engine *eng) {
  enum rc_key_class ac = rc_pubkey_check(eng->o->anchor->pk);
  if (ac != RC_KEY_GOOD)
    findings_add(&eng->found, RC_F_KEY_WEAK, NULL, NULL, NULL, 0,
                 "the anchor key is %s", rc_key_class_str(ac));
  load_manifest(eng);
  if (!eng->rep->have_manifest) return;
  const struct rc_manifest *m = &eng->rep->manifest;
  eng->m = m;
  eng->station_weak = calloc(m->nstations ? m->nstations : 1, 1);
  if (!eng->station_weak) {
    eng->found.oom = 1;
    return;
  }
  check_key_strength(eng);
  check_key_reuse(eng);
}
