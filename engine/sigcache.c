/* sigcache.c — (v1.1) signatures already verified (record.h): a hash set
 * keyed by SHA-256(mode || weak || station key || witness keys' hash ||
 * note bytes), so that `diff` verifies a sheet note that is byte-identical
 * in both releases once. Only a clean outcome is kept (the station's
 * signature valid and no signature finding at all), so a hit stands for
 * exactly what verifying again would give. Lookups happen on the worker
 * threads while nothing is inserted; inserts happen in the fold, on the
 * checking thread, after the batch's workers have joined (pool.c). */
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "hash.h"

struct rc_sigcache {
  rc_hash *keys;
  uint32_t *checked; /* signatures the first verification checked */
  uint8_t *used;
  size_t n, cap;
};

struct rc_sigcache *rc_sigcache_new(void) {
  return calloc(1, sizeof(struct rc_sigcache));
}

void rc_sigcache_free(struct rc_sigcache *c) {
  if (!c) return;
  free(c->keys);
  free(c->checked);
  free(c->used);
  free(c);
}

static size_t slot_of(const rc_hash k, size_t cap) {
  size_t h;
  memcpy(&h, k, sizeof h);
  return h & (cap - 1);
}

int sigcache_find(const struct rc_sigcache *c, const rc_hash key,
                  uint32_t *checked) {
  if (!c || !c->cap) return 0;
  for (size_t h = slot_of(key, c->cap); c->used[h]; h = (h + 1) & (c->cap - 1))
    if (!memcmp(c->keys[h], key, 32)) {
      *checked = c->checked[h];
      return 1;
    }
  return 0;
}

static int grow(struct rc_sigcache *c) {
  size_t cap = c->cap ? 2 * c->cap : 4096;
  rc_hash *k = malloc(cap * sizeof *k);
  uint32_t *n = malloc(cap * sizeof *n);
  uint8_t *u = calloc(cap, 1);
  if (!k || !n || !u) {
    free(k);
    free(n);
    free(u);
    return -1;
  }
  for (size_t i = 0; i < c->cap; i++) {
    if (!c->used[i]) continue;
    size_t h = slot_of(c->keys[i], cap);
    while (u[h]) h = (h + 1) & (cap - 1);
    memcpy(k[h], c->keys[i], 32);
    n[h] = c->checked[i];
    u[h] = 1;
  }
  free(c->keys);
  free(c->checked);
  free(c->used);
  c->keys = k;
  c->checked = n;
  c->used = u;
  c->cap = cap;
  return 0;
}

/* A full cache stops growing rather than failing the check. */
void sigcache_put(struct rc_sigcache *c, const rc_hash key, uint32_t checked) {
  uint32_t dummy;
  if (!c || sigcache_find(c, key, &dummy)) return;
  if (2 * (c->n + 1) > c->cap && grow(c) != 0) return;
  size_t h = slot_of(key, c->cap);
  while (c->used[h]) h = (h + 1) & (c->cap - 1);
  memcpy(c->keys[h], key, 32);
  c->checked[h] = checked;
  c->used[h] = 1;
  c->n++;
}

void sigcache_prepare(struct engine *eng) {
  const struct rc_manifest *m = eng->m;
  uint8_t mode = (uint8_t)eng->o->mode;
  struct rc_buf b = {0};
  rc_buf_put(&b, &mode, 1);
  for (size_t w = 0; m && w < m->nwitnesses; w++) {
    rc_buf_put(&b, m->witnesses[w].pk, 32);
    rc_buf_put(&b, m->witnesses[w].name, m->witnesses[w].namelen);
    rc_buf_putc(&b, '\n');
  }
  rc_sha256(b.p ? b.p : (const uint8_t *)"", b.len, eng->sig_context);
  rc_buf_free(&b);
}

void sigcache_key(const struct engine *eng, const struct job *j,
                  const struct rc_vkey *k, int weak, rc_hash out) {
  uint8_t head[1 + 32 + 32 + RC_KEYNAME_MAX + 1];
  size_t n = 0;
  head[n++] = (uint8_t)(weak ? 1 : 0);
  memcpy(head + n, eng->sig_context, 32);
  n += 32;
  memcpy(head + n, k->pk, 32);
  n += 32;
  memcpy(head + n, k->name, k->namelen);
  n += k->namelen;
  head[n++] = '\n';
  rc_sha256_2(head, n, j->note, j->notelen, out);
}
