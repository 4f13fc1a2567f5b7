/* manifest_check.c — manifest.note: signed by the anchor, well formed,
 * and no weak or shared keys among the anchor, witnesses and stations. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "text.h"
#include "hash.h"

/* The keys of the manifest's roles, numbered 0..ns-1 (stations), ns..
 * ns+nw-1 (witnesses), ns+nw (the anchor). */
struct roles {
  const struct rc_manifest *m;
  const struct rc_vkey *anchor;
};

static const uint8_t *role_pk(const struct roles *r, size_t x) {
  size_t ns = r->m->nstations, nw = r->m->nwitnesses;
  if (x < ns) return r->m->stations[x].key.pk;
  if (x < ns + nw) return r->m->witnesses[x - ns].pk;
  return r->anchor->pk;
}

static int cmp_role_pk(const void *a, const void *b, void *ctx) {
  const struct roles *r = ctx;
  size_t x = *(const size_t *)a, y = *(const size_t *)b;
  int c = memcmp(role_pk(r, x), role_pk(r, y), 32);
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
                   m->districts[m->stations[i].district].id, m->stations[i].id,
                   "manifest.note", 0, "the registered key of station %s is %s",
                   m->stations[i].id, rc_key_class_str(c));
    }
  }
}

/* How role x is named in a message ("station s1", "witness w", "the
 * anchor key"), into buf. */
static const char *role_name(const struct roles *r, size_t x, char *buf,
                             size_t cap) {
  const struct rc_manifest *m = r->m;
  size_t ns = m->nstations, nw = m->nwitnesses;
  if (x < ns) snprintf(buf, cap, "station %s", m->stations[x].id);
  else if (x < ns + nw)
    snprintf(buf, cap, "witness %.*s", (int)m->witnesses[x - ns].namelen,
             m->witnesses[x - ns].name);
  else snprintf(buf, cap, "the anchor key");
  return buf;
}

/* Reports each manifest line of the group ix[0..n) (one public key): each
 * station, then each witness, in manifest order (RECORD.md §3, v1.1: one
 * finding per role a reused key holds in the manifest; the anchor is not
 * a manifest line, it is named in the others' findings). */
static void report_reuse_group(struct engine *eng, const struct roles *r,
                               size_t *ix, size_t n) {
  const struct rc_manifest *m = eng->m;
  size_t ns = m->nstations, nw = m->nwitnesses;
  qsort(ix, n, sizeof *ix, cmp_size);
  size_t nst = 0;
  while (nst < n && ix[nst] < ns) nst++;
  char other[RC_KEYNAME_MAX + 32], self[RC_KEYNAME_MAX + 32], nb[32];
  for (size_t k = 0; k < n; k++) {
    if (ix[k] == ns + nw) continue; /* the anchor */
    size_t o = ix[k == 0 ? 1 : 0];
    role_name(r, o, other, sizeof other);
    if (ix[k] < ns && nst == n) {
      /* stations only: the v1 message */
      const struct rc_station *st = &m->stations[ix[k]];
      findings_add(&eng->found, RC_F_KEY_REUSED, m->districts[st->district].id,
                   st->id, "manifest.note", 0,
                   "station %s is registered with the same public key as "
                   "%s (%s stations share it)",
                   st->id, other, rc_fmt_count(nb, n));
    } else if (ix[k] < ns) {
      const struct rc_station *st = &m->stations[ix[k]];
      findings_add(&eng->found, RC_F_KEY_REUSED, m->districts[st->district].id,
                   st->id, "manifest.note", 0,
                   "station %s is registered with the same public key as "
                   "%s (%s roles share it)",
                   st->id, other, rc_fmt_count(nb, n));
    } else {
      findings_add(&eng->found, RC_F_KEY_REUSED, NULL, NULL, "manifest.note", 0,
                   "%s has the same public key as %s (%s roles share it)",
                   role_name(r, ix[k], self, sizeof self), other,
                   rc_fmt_count(nb, n));
    }
  }
}

/* Key reuse between roles (RECORD.md §3): every station, witness and the
 * anchor sorted by public key, then each run of equal keys. */
static void check_key_reuse(struct engine *eng) {
  const struct rc_manifest *m = eng->m;
  struct roles r = {m, eng->o->anchor};
  size_t n = m->nstations + m->nwitnesses + 1;
  size_t *ix = malloc(n * sizeof *ix);
  if (!ix) {
    eng->found.oom = 1;
    return;
  }
  for (size_t i = 0; i < n; i++) ix[i] = i;
  qsort_r(ix, n, sizeof *ix, cmp_role_pk, &r);
  for (size_t a = 0; a < n;) {
    size_t b = a + 1;
    while (b < n && !memcmp(role_pk(&r, ix[a]), role_pk(&r, ix[b]), 32)) b++;
    if (b - a > 1) report_reuse_group(eng, &r, ix + a, b - a);
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
