/* manifest.c — the manifest (RECORD.md §3). Strings are copied into an
 * arena owned by the manifest, so the input buffer can be freed; memory
 * per station is the struct plus its id and key name. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "texts.h"

#define ARENA_BLOCK (1u << 20)

struct arena_block {
  struct arena_block *next;
  size_t used, cap;
  char data[];
};

static char *arena_dup(struct rc_manifest *m, const char *s, size_t n) {
  struct arena_block *b = m->arena;
  if (!b || b->cap - b->used < n + 1) {
    size_t cap = n + 1 > ARENA_BLOCK ? n + 1 : ARENA_BLOCK;
    struct arena_block *nb = malloc(sizeof *nb + cap);
    if (!nb) return NULL;
    nb->next = b;
    nb->used = 0;
    nb->cap = cap;
    m->arena = b = nb;
  }
  char *p = b->data + b->used;
  memcpy(p, s, n);
  p[n] = 0;
  b->used += n + 1;
  return p;
}

void rc_manifest_free(struct rc_manifest *m) {
  struct arena_block *b = m->arena;
  while (b) {
    struct arena_block *next = b->next;
    free(b);
    b = next;
  }
  free(m->choices);
  free(m->districts);
  free(m->witnesses);
  free(m->stations);
  memset(m, 0, sizeof *m);
}

/* Keywords of the manifest, in order; for "out of order" vs "unknown". */
static const char *const kws[] = {"election", "origin", "title", "choice",
                                  "district", "witness", "station"};

static int unexpected(const struct rc_cur *c, const char *want,
                      struct rc_error *err) {
  for (size_t i = 0; i < sizeof kws / sizeof kws[0]; i++)
    if (rc_cur_is(c, kws[i]))
      return rc_fail(err, RC_ERR_ORDER, c->line, kws[i],
                     "'%s' line out of order or repeated (expected %s)",
                     kws[i], want);
  return rc_fail(err, RC_ERR_SYNTAX, c->line, "line",
                 "unknown keyword (expected %s)", want);
}

static int grow(void **p, size_t *cap, size_t n, size_t elem) {
  if (n < *cap) return 0;
  size_t nc = *cap ? *cap * 2 : 16;
  void *q = realloc(*p, nc * elem);
  if (!q) return -1;
  *p = q;
  *cap = nc;
  return 0;
}

static int read_key(struct rc_manifest *m, const struct rc_cur *c,
                    const char *field, const char *s, size_t n,
                    struct rc_vkey *k, struct rc_error *err) {
  if (rc_vkey_parse(s, n, k, err) != RC_OK) {
    err->line = c->line;
    snprintf(err->field, sizeof err->field, "%s", field);
    return (int)err->code;
  }
  char *name = arena_dup(m, k->name, k->namelen);
  if (!name) return rc_fail(err, RC_ERR_NOMEM, c->line, field, "out of memory");
  k->name = name;
  return RC_OK;
}

/* Counts lines starting with "station " to size the array once. */
static size_t count_stations(const uint8_t *buf, size_t len) {
  size_t n = 0;
  const uint8_t *p = buf, *end = buf + len;
  while (p < end) {
    if (end - p > 8 && !memcmp(p, "station ", 8)) n++;
    const uint8_t *nl = memchr(p, '\n', (size_t)(end - p));
    if (!nl) break;
    p = nl + 1;
  }
  return n;
}

static int parse(const uint8_t *buf, size_t len, struct rc_manifest *m,
                 struct rc_error *err) {
  struct rc_cur c;
  const char *s, *t, *rest;
  size_t n, tn, rn;
  int rc, r;
  size_t cap_c = 0, cap_d = 0, cap_w = 0;
  rc_cur_init(&c, buf, len);
  r = rc_cur_next(&c, err);
  if (r < 0) return (int)err->code;
  if (r == 0 || c.n != 19 || memcmp(c.s, "recount manifest v1", 19) != 0)
    return rc_fail(err, RC_ERR_SYNTAX, 1, "header",
                   "expected 'recount manifest v1'");
  if ((rc = rc_cur_expect(&c, "election", &s, &n, err)) ||
      (rc = rc_cur_ascii(&c, err)) ||
      (rc = rc_read_id(&c, "election", s, n, m->election, err)))
    return rc;
  if ((rc = rc_cur_expect(&c, "origin", &s, &n, err)) ||
      (rc = rc_cur_ascii(&c, err)))
    return rc;
  if (n > RC_ORIGIN_MAX || memchr(s, ' ', n) || memchr(s, '+', n))
    return rc_fail(err, RC_ERR_SYNTAX, c.line, "origin",
                   "the origin must be printable ASCII without spaces or "
                   "'+', at most %d bytes",
                   RC_ORIGIN_MAX);
  if (!(m->origin = arena_dup(m, s, n))) goto nomem;
  if ((rc = rc_cur_expect(&c, "title", &s, &n, err)) ||
      (rc = rc_read_utf8(&c, "title", s, n, RC_NAME_MAX, err)))
    return rc;
  if (!(m->title = arena_dup(m, s, n))) goto nomem;

  r = rc_cur_next(&c, err);
  /* choices: 1 or more, ballot order, ids unique */
  while (r > 0 && rc_cur_is(&c, "choice")) {
    if ((rc = rc_cur_value(&c, "choice", &s, &n, err))) return rc;
    if (rc_split(s, n, &t, &tn, &rest, &rn) != 0)
      return rc_fail(err, RC_ERR_SYNTAX, c.line, "choice",
                     "expected 'choice <choice-id> <display name>'");
    if (m->nchoices == RC_MAX_CHOICES)
      return rc_fail(err, RC_ERR_LIMIT, c.line, "choice",
                     "more than %d choices", RC_MAX_CHOICES);
    if (grow((void **)&m->choices, &cap_c, m->nchoices, sizeof *m->choices))
      goto nomem;
    struct rc_choice *ch = &m->choices[m->nchoices];
    if ((rc = rc_read_id(&c, "choice", t, tn, ch->id, err)) ||
        (rc = rc_read_utf8(&c, "choice", rest, rn, RC_NAME_MAX, err)))
      return rc;
    for (size_t i = 0; i < m->nchoices; i++)
      if (!strcmp(m->choices[i].id, ch->id))
        return rc_fail(err, RC_ERR_DUP, c.line, "choice",
                       "choice %s listed twice", ch->id);
    if (!(ch->name = arena_dup(m, rest, rn))) goto nomem;
    m->nchoices++;
    r = rc_cur_next(&c, err);
  }
  if (r < 0) return (int)err->code;
  if (m->nchoices == 0)
    return r == 0 ? rc_fail(err, RC_ERR_SYNTAX, c.line + 1, "choice",
                            "at least one choice line is required")
                  : unexpected(&c, "'choice'", err);
  /* districts: 1 or more, ids strictly ascending */
  while (r > 0 && rc_cur_is(&c, "district")) {
    if ((rc = rc_cur_value(&c, "district", &s, &n, err))) return rc;
    if (rc_split(s, n, &t, &tn, &rest, &rn) != 0)
      return rc_fail(err, RC_ERR_SYNTAX, c.line, "district",
                     "expected 'district <district-id> <display name>'");
    if (m->ndistricts == RC_MAX_DISTRICTS)
      return rc_fail(err, RC_ERR_LIMIT, c.line, "district",
                     "more than %d districts", RC_MAX_DISTRICTS);
    if (grow((void **)&m->districts, &cap_d, m->ndistricts,
             sizeof *m->districts))
      goto nomem;
    struct rc_mdistrict *d = &m->districts[m->ndistricts];
    if ((rc = rc_read_id(&c, "district", t, tn, d->id, err)) ||
        (rc = rc_read_utf8(&c, "district", rest, rn, RC_NAME_MAX, err)))
      return rc;
    if (m->ndistricts && strcmp(m->districts[m->ndistricts - 1].id, d->id) >= 0)
      return rc_fail(err,
                     strcmp(m->districts[m->ndistricts - 1].id, d->id)
                         ? RC_ERR_ORDER
                         : RC_ERR_DUP,
                     c.line, "district",
                     "district ids must be strictly ascending (%s after %s)",
                     d->id, m->districts[m->ndistricts - 1].id);
    if (!(d->name = arena_dup(m, rest, rn))) goto nomem;
    d->nstations = 0;
    m->ndistricts++;
    r = rc_cur_next(&c, err);
  }
  if (r < 0) return (int)err->code;
  if (m->ndistricts == 0)
    return r == 0 ? rc_fail(err, RC_ERR_SYNTAX, c.line + 1, "district",
                            "at least one district line is required")
                  : unexpected(&c, "'district'", err);
  /* witnesses: 0 or more, no key twice */
  while (r > 0 && rc_cur_is(&c, "witness")) {
    if ((rc = rc_cur_value(&c, "witness", &s, &n, err)) ||
        (rc = rc_cur_ascii(&c, err)))
      return rc;
    if (m->nwitnesses == RC_MAX_WITNESSES)
      return rc_fail(err, RC_ERR_LIMIT, c.line, "witness",
                     "more than %d witness keys", RC_MAX_WITNESSES);
    if (grow((void **)&m->witnesses, &cap_w, m->nwitnesses,
             sizeof *m->witnesses))
      goto nomem;
    struct rc_vkey *k = &m->witnesses[m->nwitnesses];
    if ((rc = read_key(m, &c, "witness", s, n, k, err))) return rc;
    for (size_t i = 0; i < m->nwitnesses; i++)
      if (!memcmp(m->witnesses[i].pk, k->pk, 32) ||
          (m->witnesses[i].namelen == k->namelen &&
           !memcmp(m->witnesses[i].name, k->name, k->namelen)))
        return rc_fail(err, RC_ERR_DUP, c.line, "witness",
                       "witness key listed twice");
    m->nwitnesses++;
    r = rc_cur_next(&c, err);
  }
  if (r < 0) return (int)err->code;
  /* stations: 1 or more, ids strictly ascending */
  size_t maxst = count_stations(buf, len);
  if (maxst > RC_MAX_STATIONS)
    return rc_fail(err, RC_ERR_LIMIT, 0, "station", "more than %d stations",
                   RC_MAX_STATIONS);
  m->stations = calloc(maxst ? maxst : 1, sizeof *m->stations);
  if (!m->stations) goto nomem;
  while (r > 0 && rc_cur_is(&c, "station")) {
    if ((rc = rc_cur_value(&c, "station", &s, &n, err)) ||
        (rc = rc_cur_ascii(&c, err)))
      return rc;
    const char *did, *cnt, *key;
    size_t didn, cntn, keyn;
    if (m->nstations == maxst ||
        rc_split(s, n, &t, &tn, &rest, &rn) != 0 ||
        rc_split(rest, rn, &did, &didn, &rest, &rn) != 0 ||
        rc_split(rest, rn, &cnt, &cntn, &key, &keyn) != 0)
      return rc_fail(err, RC_ERR_SYNTAX, c.line, "station",
                     "expected 'station <station-id> <district-id> "
                     "<registered> <verifier key>'");
    struct rc_station *st = &m->stations[m->nstations];
    char id[RC_ID_MAX + 1], dist[RC_ID_MAX + 1];
    if ((rc = rc_read_id(&c, "station", t, tn, id, err)) ||
        (rc = rc_read_id(&c, "station district", did, didn, dist, err)) ||
        (rc = rc_read_count(&c, "registered", cnt, cntn, &st->registered,
                            err)) ||
        (rc = read_key(m, &c, "station key", key, keyn, &st->key, err)))
      return rc;
    if (m->nstations && strcmp(m->stations[m->nstations - 1].id, id) >= 0)
      return rc_fail(err,
                     strcmp(m->stations[m->nstations - 1].id, id)
                         ? RC_ERR_ORDER
                         : RC_ERR_DUP,
                     c.line, "station",
                     "station ids must be strictly ascending (%s after %s)",
                     id, m->stations[m->nstations - 1].id);
    long d = rc_manifest_district(m, dist, didn);
    if (d < 0)
      return rc_fail(err, RC_ERR_SYNTAX, c.line, "station district",
                     "station %s is in district %s, which is not listed", id,
                     dist);
    st->district = (uint32_t)d;
    m->districts[d].nstations++;
    if (!(st->id = arena_dup(m, id, tn))) goto nomem;
    m->nstations++;
    r = rc_cur_next(&c, err);
  }
  if (r < 0) return (int)err->code;
  if (m->nstations == 0)
    return r == 0 ? rc_fail(err, RC_ERR_SYNTAX, c.line + 1, "station",
                            "at least one station line is required")
                  : unexpected(&c, "'witness' or 'station'", err);
  if (r > 0) return unexpected(&c, "'station' or the end of the text", err);
  return RC_OK;
nomem:
  return rc_fail(err, RC_ERR_NOMEM, c.line, "manifest", "out of memory");
}

int rc_parse_manifest(const uint8_t *buf, size_t len, struct rc_manifest *out,
                      struct rc_error *err) {
  memset(out, 0, sizeof *out);
  if (len > RC_MANIFEST_MAX)
    return rc_fail(err, RC_ERR_LIMIT, 0, "manifest",
                   "manifest larger than %llu bytes",
                   (unsigned long long)RC_MANIFEST_MAX);
  int rc = parse(buf, len, out, err);
  if (rc != RC_OK) rc_manifest_free(out);
  return rc;
}

int rc_encode_manifest(const struct rc_manifest *m, struct rc_buf *b) {
  rc_buf_printf(b, "recount manifest v1\nelection %s\norigin %s\ntitle %s\n",
                m->election, m->origin, m->title);
  for (size_t i = 0; i < m->nchoices; i++)
    rc_buf_printf(b, "choice %s %s\n", m->choices[i].id, m->choices[i].name);
  for (size_t i = 0; i < m->ndistricts; i++)
    rc_buf_printf(b, "district %s %s\n", m->districts[i].id,
                  m->districts[i].name);
  for (size_t i = 0; i < m->nwitnesses; i++) {
    rc_buf_puts(b, "witness ");
    rc_vkey_encode(&m->witnesses[i], b);
    rc_buf_putc(b, '\n');
  }
  for (size_t i = 0; i < m->nstations; i++) {
    const struct rc_station *s = &m->stations[i];
    rc_buf_printf(b, "station %s %s %llu ", s->id, m->districts[s->district].id,
                  (unsigned long long)s->registered);
    rc_vkey_encode(&s->key, b);
    rc_buf_putc(b, '\n');
  }
  return b->oom ? RC_ERR_NOMEM : RC_OK;
}

static long bsearch_id(const void *base, size_t n, size_t stride, size_t off,
                       int indirect, const char *s, size_t len) {
  /* ids never contain NUL or exceed RC_ID_MAX; a key that does cannot
   * match, and must not make strncmp read past an id */
  if (len > RC_ID_MAX || memchr(s, 0, len)) return -1;
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    const char *elem = (const char *)base + mid * stride + off;
    const char *id = indirect ? *(char *const *)elem : elem;
    int c = strncmp(id, s, len);
    if (c == 0 && id[len] != 0) c = 1;
    if (c == 0) return (long)mid;
    if (c < 0) lo = mid + 1;
    else hi = mid;
  }
  return -1;
}

long rc_manifest_station(const struct rc_manifest *m, const char *s,
                         size_t n) {
  return bsearch_id(m->stations, m->nstations, sizeof *m->stations,
                    offsetof(struct rc_station, id), 1, s, n);
}

long rc_manifest_district(const struct rc_manifest *m, const char *s,
                          size_t n) {
  return bsearch_id(m->districts, m->ndistricts, sizeof *m->districts,
                    offsetof(struct rc_mdistrict, id), 0, s, n);
}
