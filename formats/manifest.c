/* manifest.c — the manifest (RECORD.md §3):
 *
 *   recount manifest v1
 *   election <id>
 *   origin <checkpoint origin>
 *   title <UTF-8>
 *   choice <id> <UTF-8>                         1.., ballot order, unique
 *   district <id> <UTF-8>                       1.., ids strictly ascending
 *   witness <verifier key>                      0.., no key twice
 *   station <id> <district> <count> <key>       1.., ids strictly ascending
 *
 * Built for a million stations: one pass, the station array sized by a
 * quick count of "station " lines, strings copied into an arena of 1 MiB
 * blocks owned by the manifest (so the input can be freed), per station
 * the struct (80 bytes on LP64) plus its id and key name. */
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

/* Adds a block of at least cap bytes to m's arena. Returns 0 or -1. */
static int arena_block(struct rc_manifest *m, size_t cap) {
  struct arena_block *nb = malloc(sizeof *nb + cap);
  if (!nb) return -1;
  nb->next = m->arena;
  nb->used = 0;
  nb->cap = cap;
  m->arena = nb;
  return 0;
}

/* Copies s[0..n) and a NUL into m's arena. Returns NULL when out of
 * memory. */
static char *arena_dup(struct rc_manifest *m, const char *s, size_t n) {
  struct arena_block *b = m->arena;
  if (!b || b->cap - b->used < n + 1) {
    if (arena_block(m, n + 1 > ARENA_BLOCK ? n + 1 : ARENA_BLOCK) != 0)
      return NULL;
    b = m->arena;
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

static const char *const manifest_kws[] = {"election", "origin",   "title",
                                           "choice",   "district", "witness",
                                           "station",  NULL};

/* Makes room for element n of *p (capacity *cap, doubling). 0 or -1. */
static int grow(void **p, size_t *cap, size_t n, size_t elem) {
  if (n < *cap) return 0;
  size_t nc = *cap ? *cap * 2 : 16;
  void *q = realloc(*p, nc * elem);
  if (!q) return -1;
  *p = q;
  *cap = nc;
  return 0;
}

/* A verifier key field; its name is copied into the arena. */
static int read_key(struct rc_manifest *m, const struct rc_cur *c,
                    const char *field, const char *s, size_t n,
                    struct rc_vkey *k, struct rc_error *err) {
  int rc = rc_vkey_parse(s, n, k, err);
  if (rc != RC_OK) {
    err->line = c->line;
    snprintf(err->field, sizeof err->field, "%s", field);
    return rc;
  }
  char *name = arena_dup(m, k->name, k->namelen);
  if (!name) return rc_fail(err, RC_ERR_NOMEM, c->line, field, "out of memory");
  k->name = name;
  return RC_OK;
}

/* Number of lines starting with "station ", to size the array once. */
static size_t count_station_lines(const uint8_t *buf, size_t len) {
  size_t n = 0;
  const uint8_t *p = buf, *end = buf + len;
  while (p < end) {
    if ((size_t)(end - p) > 8 && memcmp(p, "station ", 8) == 0) n++;
    const uint8_t *nl = memchr(p, '\n', (size_t)(end - p));
    if (!nl) break;
    p = nl + 1;
  }
  return n;
}

/* "<kw> <id> <UTF-8 name>": the id into id, the name into the arena. */
static int id_name(struct rc_manifest *m, const struct rc_cur *c,
                   const char *kw, char id[RC_ID_MAX + 1], char **name,
                   struct rc_error *err) {
  const char *v, *t, *rest;
  size_t vn, tn, rn;
  int rc;
  if ((rc = rc_cur_value(c, kw, &v, &vn, err))) return rc;
  if (rc_split(v, vn, &t, &tn, &rest, &rn) != 0)
    return rc_fail(err, RC_ERR_SYNTAX, c->line, kw,
                   "expected '%s <%s-id> <display name>'", kw, kw);
  if ((rc = rc_read_id(c, kw, t, tn, id, err)) ||
      (rc = rc_read_utf8(c, kw, rest, rn, RC_NAME_MAX, err)))
    return rc;
  if (!(*name = arena_dup(m, rest, rn)))
    return rc_fail(err, RC_ERR_NOMEM, c->line, kw, "out of memory");
  return RC_OK;
}

static int choices(struct rc_manifest *m, struct rc_cur *c, int *r,
                   struct rc_error *err) {
  size_t cap = 0;
  int rc;
  while (*r > 0 && rc_cur_is(c, "choice")) {
    if (m->nchoices == RC_MAX_CHOICES)
      return rc_fail(err, RC_ERR_LIMIT, c->line, "choice",
                     "more than %d choices", RC_MAX_CHOICES);
    if (grow((void **)&m->choices, &cap, m->nchoices, sizeof *m->choices))
      return rc_fail(err, RC_ERR_NOMEM, c->line, "choice", "out of memory");
    struct rc_choice *ch = &m->choices[m->nchoices];
    if ((rc = id_name(m, c, "choice", ch->id, &ch->name, err))) return rc;
    for (size_t i = 0; i < m->nchoices; i++)
      if (strcmp(m->choices[i].id, ch->id) == 0)
        return rc_fail(err, RC_ERR_DUP, c->line, "choice",
                       "choice '%s' is listed twice", ch->id);
    m->nchoices++;
    *r = rc_cur_next(c, err);
  }
  if (*r < 0) return (int)err->code;
  if (m->nchoices == 0)
    return *r == 0 ? rc_fail(err, RC_ERR_SYNTAX, c->line + 1, "choice",
                             "at least one 'choice' line is required")
                   : rc_cur_unexpected(c, "'choice'", err);
  return RC_OK;
}

static int districts(struct rc_manifest *m, struct rc_cur *c, int *r,
                     struct rc_error *err) {
  size_t cap = 0;
  int rc;
  while (*r > 0 && rc_cur_is(c, "district")) {
    if (m->ndistricts == RC_MAX_DISTRICTS)
      return rc_fail(err, RC_ERR_LIMIT, c->line, "district",
                     "more than %d districts", RC_MAX_DISTRICTS);
    if (grow((void **)&m->districts, &cap, m->ndistricts, sizeof *m->districts))
      return rc_fail(err, RC_ERR_NOMEM, c->line, "district", "out of memory");
    struct rc_mdistrict *d = &m->districts[m->ndistricts];
    d->nstations = 0;
    if ((rc = id_name(m, c, "district", d->id, &d->name, err))) return rc;
    if (m->ndistricts) {
      const char *prev = m->districts[m->ndistricts - 1].id;
      int cmp = strcmp(prev, d->id);
      if (cmp == 0)
        return rc_fail(err, RC_ERR_DUP, c->line, "district",
                       "district '%s' is listed twice", d->id);
      if (cmp > 0)
        return rc_fail(err, RC_ERR_ORDER, c->line, "district",
                       "district ids must be in ascending order: '%s' "
                       "comes after '%s'",
                       d->id, prev);
    }
    m->ndistricts++;
    *r = rc_cur_next(c, err);
  }
  if (*r < 0) return (int)err->code;
  if (m->ndistricts == 0)
    return *r == 0 ? rc_fail(err, RC_ERR_SYNTAX, c->line + 1, "district",
                             "at least one 'district' line is required")
                   : rc_cur_unexpected(c, "'choice' or 'district'", err);
  return RC_OK;
}

static int witnesses(struct rc_manifest *m, struct rc_cur *c, int *r,
                     struct rc_error *err) {
  size_t cap = 0;
  const char *v;
  size_t vn;
  int rc;
  while (*r > 0 && rc_cur_is(c, "witness")) {
    if ((rc = rc_cur_value(c, "witness", &v, &vn, err)) ||
        (rc = rc_cur_ascii(c, err)))
      return rc;
    if (m->nwitnesses == RC_MAX_WITNESSES)
      return rc_fail(err, RC_ERR_LIMIT, c->line, "witness",
                     "more than %d witness keys", RC_MAX_WITNESSES);
    if (grow((void **)&m->witnesses, &cap, m->nwitnesses, sizeof *m->witnesses))
      return rc_fail(err, RC_ERR_NOMEM, c->line, "witness", "out of memory");
    struct rc_vkey *k = &m->witnesses[m->nwitnesses];
    if ((rc = read_key(m, c, "witness", v, vn, k, err))) return rc;
    for (size_t i = 0; i < m->nwitnesses; i++) {
      const struct rc_vkey *o = &m->witnesses[i];
      if (memcmp(o->pk, k->pk, 32) == 0)
        return rc_fail(err, RC_ERR_DUP, c->line, "witness",
                       "this witness public key is listed twice");
      if (o->namelen == k->namelen && !memcmp(o->name, k->name, k->namelen))
        return rc_fail(err, RC_ERR_DUP, c->line, "witness",
                       "two witness keys have the same name");
    }
    m->nwitnesses++;
    *r = rc_cur_next(c, err);
  }
  if (*r < 0) return (int)err->code;
  return RC_OK;
}

/* One "station <id> <district-id> <registered> <key>" line into st. */
static int station(struct rc_manifest *m, const struct rc_cur *c,
                   struct rc_station *st, struct rc_error *err) {
  const char *v, *t, *did, *cnt, *key, *rest;
  size_t vn, tn, didn, cntn, keyn, rn;
  char id[RC_ID_MAX + 1], dist[RC_ID_MAX + 1];
  int rc;
  if ((rc = rc_cur_value(c, "station", &v, &vn, err)) ||
      (rc = rc_cur_ascii(c, err)))
    return rc;
  if (rc_split(v, vn, &t, &tn, &rest, &rn) != 0 ||
      rc_split(rest, rn, &did, &didn, &rest, &rn) != 0 ||
      rc_split(rest, rn, &cnt, &cntn, &key, &keyn) != 0)
    return rc_fail(err, RC_ERR_SYNTAX, c->line, "station",
                   "expected 'station <station-id> <district-id> "
                   "<registered> <verifier key>'");
  if ((rc = rc_read_id(c, "station", t, tn, id, err)) ||
      (rc = rc_read_id(c, "station district", did, didn, dist, err)) ||
      (rc = rc_read_count(c, "registered", cnt, cntn, &st->registered, err)))
    return rc;
  if (m->nstations) {
    const char *prev = m->stations[m->nstations - 1].id;
    int cmp = strcmp(prev, id);
    if (cmp == 0)
      return rc_fail(err, RC_ERR_DUP, c->line, "station",
                     "station '%s' is listed twice", id);
    if (cmp > 0)
      return rc_fail(err, RC_ERR_ORDER, c->line, "station",
                     "station ids must be in ascending order: '%s' comes "
                     "after '%s'",
                     id, prev);
  }
  /* stations of one district usually follow each other: try the last
   * station's district before searching */
  long d = -1;
  if (m->nstations) {
    uint32_t last = m->stations[m->nstations - 1].district;
    if (strcmp(m->districts[last].id, dist) == 0) d = (long)last;
  }
  if (d < 0) d = rc_manifest_district(m, dist, didn);
  if (d < 0)
    return rc_fail(err, RC_ERR_SYNTAX, c->line, "station district",
                   "station '%s' names district '%s', which is not listed", id,
                   dist);
  if ((rc = read_key(m, c, "station key", key, keyn, &st->key, err))) return rc;
  if (!(st->id = arena_dup(m, id, tn)))
    return rc_fail(err, RC_ERR_NOMEM, c->line, "station", "out of memory");
  st->district = (uint32_t)d;
  m->districts[d].nstations++;
  return RC_OK;
}

static int stations(struct rc_manifest *m, struct rc_cur *c, int *r,
                    size_t maxst, struct rc_error *err) {
  int rc;
  while (*r > 0 && rc_cur_is(c, "station")) {
    if (m->nstations == RC_MAX_STATIONS)
      return rc_fail(err, RC_ERR_LIMIT, c->line, "station",
                     "more than %d stations", RC_MAX_STATIONS);
    if (m->nstations == maxst) { /* only a "station" without a value */
      const char *v;
      size_t vn;
      if ((rc = rc_cur_value(c, "station", &v, &vn, err))) return rc;
      return rc_fail(err, RC_ERR_SYNTAX, c->line, "station",
                     "unexpected station line");
    }
    if ((rc = station(m, c, &m->stations[m->nstations], err))) return rc;
    m->nstations++;
    *r = rc_cur_next(c, err);
  }
  if (*r < 0) return (int)err->code;
  if (m->nstations == 0)
    return *r == 0 ? rc_fail(err, RC_ERR_SYNTAX, c->line + 1, "station",
                             "at least one 'station' line is required")
                   : rc_cur_unexpected(c, "'witness' or 'station'", err);
  if (*r > 0) return rc_cur_unexpected(c, "'station' or the end", err);
  return RC_OK;
}

static int parse(const uint8_t *buf, size_t len, struct rc_manifest *m,
                 struct rc_error *err) {
  struct rc_cur c;
  const char *s;
  size_t n;
  int rc, r;
  rc_cur_init(&c, buf, len, manifest_kws);
  /* the strings kept never add up to more than the text (each is part of
   * a line, its NUL in place of a space or newline): a small manifest
   * needs one small block */
  if (arena_block(m, len < ARENA_BLOCK ? len + 1 : ARENA_BLOCK) != 0)
    return rc_fail(err, RC_ERR_NOMEM, 0, "manifest", "out of memory");
  if ((rc = rc_cur_header(&c, "recount manifest v1", "manifest", err)) ||
      (rc = rc_cur_expect(&c, "election", &s, &n, err)) ||
      (rc = rc_cur_ascii(&c, err)) ||
      (rc = rc_read_id(&c, "election", s, n, m->election, err)) ||
      (rc = rc_cur_expect(&c, "origin", &s, &n, err)) ||
      (rc = rc_cur_ascii(&c, err)) ||
      (rc = rc_read_origin(&c, "origin", s, n, err)))
    return rc;
  if (!(m->origin = arena_dup(m, s, n)))
    return rc_fail(err, RC_ERR_NOMEM, c.line, "origin", "out of memory");
  if ((rc = rc_cur_expect(&c, "title", &s, &n, err)) ||
      (rc = rc_read_utf8(&c, "title", s, n, RC_NAME_MAX, err)))
    return rc;
  if (!(m->title = arena_dup(m, s, n)))
    return rc_fail(err, RC_ERR_NOMEM, c.line, "title", "out of memory");
  r = rc_cur_next(&c, err);
  if ((rc = choices(m, &c, &r, err)) || (rc = districts(m, &c, &r, err)) ||
      (rc = witnesses(m, &c, &r, err)))
    return rc;
  /* from the current line on (c.s is set: the header was read) */
  size_t off = (size_t)((const uint8_t *)c.s - buf);
  size_t maxst = count_station_lines(buf + off, len - off);
  if (r > 0 && maxst) {
    size_t alloc = maxst < RC_MAX_STATIONS ? maxst : RC_MAX_STATIONS;
    if (!(m->stations = calloc(alloc, sizeof *m->stations)))
      return rc_fail(err, RC_ERR_NOMEM, c.line, "station", "out of memory");
    maxst = alloc;
  }
  return stations(m, &c, &r, maxst, err);
}

int rc_parse_manifest(const uint8_t *buf, size_t len, struct rc_manifest *out,
                      struct rc_error *err) {
  struct rc_error local;
  int rc;
  if (!err) err = &local;
  memset(out, 0, sizeof *out);
  if (len > RC_MANIFEST_MAX)
    rc = rc_fail(err, RC_ERR_LIMIT, 0, "manifest",
                 "manifest of %zu bytes: at most %llu", len,
                 (unsigned long long)RC_MANIFEST_MAX);
  else rc = parse(buf, len, out, err);
  if (rc != RC_OK) rc_manifest_free(out);
  return rc;
}

/* 1 if m can be encoded as a text rc_parse_manifest accepts. */
static int manifest_ok(const struct rc_manifest *m) {
  if (!rc_id_ok(m->election) || !m->origin || !rc_origin_ok(m->origin) ||
      !m->title || !rc_free_text_ok(m->title, RC_NAME_MAX) || m->nchoices < 1 ||
      m->nchoices > RC_MAX_CHOICES || m->ndistricts < 1 ||
      m->ndistricts > RC_MAX_DISTRICTS || m->nwitnesses > RC_MAX_WITNESSES ||
      m->nstations < 1 || m->nstations > RC_MAX_STATIONS)
    return 0;
  for (size_t i = 0; i < m->nchoices; i++) {
    if (!rc_id_ok(m->choices[i].id) || !m->choices[i].name ||
        !rc_free_text_ok(m->choices[i].name, RC_NAME_MAX))
      return 0;
    for (size_t j = 0; j < i; j++)
      if (strcmp(m->choices[i].id, m->choices[j].id) == 0) return 0;
  }
  for (size_t i = 0; i < m->ndistricts; i++)
    if (!rc_id_ok(m->districts[i].id) || !m->districts[i].name ||
        !rc_free_text_ok(m->districts[i].name, RC_NAME_MAX) ||
        (i && strcmp(m->districts[i - 1].id, m->districts[i].id) >= 0))
      return 0;
  for (size_t i = 0; i < m->nwitnesses; i++) {
    const struct rc_vkey *k = &m->witnesses[i];
    if (!rc_vkey_ascii_ok(k)) return 0;
    for (size_t j = 0; j < i; j++)
      if (!memcmp(m->witnesses[j].pk, k->pk, 32) ||
          (m->witnesses[j].namelen == k->namelen &&
           !memcmp(m->witnesses[j].name, k->name, k->namelen)))
        return 0;
  }
  for (size_t i = 0; i < m->nstations; i++) {
    const struct rc_station *s = &m->stations[i];
    if (!s->id || !rc_id_ok(s->id) || s->district >= m->ndistricts ||
        !rc_count_ok(s->registered) || !rc_vkey_ascii_ok(&s->key) ||
        (i && strcmp(m->stations[i - 1].id, s->id) >= 0))
      return 0;
  }
  return 1;
}

int rc_encode_manifest(const struct rc_manifest *m, struct rc_buf *b) {
  if (!manifest_ok(m)) return RC_ERR_USAGE;
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
  for (size_t i = 0; i < m->nstations && !b->oom; i++) {
    const struct rc_station *s = &m->stations[i];
    rc_buf_puts(b, "station ");
    rc_buf_puts(b, s->id);
    rc_buf_putc(b, ' ');
    rc_buf_puts(b, m->districts[s->district].id);
    rc_buf_putc(b, ' ');
    rc_buf_put_u64(b, s->registered);
    rc_buf_putc(b, ' ');
    rc_vkey_encode(&s->key, b);
    rc_buf_putc(b, '\n');
  }
  return b->oom ? RC_ERR_NOMEM : RC_OK;
}

/* Binary search for s[0..len) among n sorted NUL-terminated ids, the i-th
 * at base + i*stride + off (a char array, or a char* when indirect). */
static long bsearch_id(const void *base, size_t n, size_t stride, size_t off,
                       int indirect, const char *s, size_t len) {
  /* ids hold no NUL and are at most RC_ID_MAX bytes; a key that is not
   * such a string cannot match, and strncmp must not run past an id */
  if (len == 0 || len > RC_ID_MAX || memchr(s, 0, len)) return -1;
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

long rc_manifest_station(const struct rc_manifest *m, const char *s, size_t n) {
  return bsearch_id(m->stations, m->nstations, sizeof *m->stations,
                    offsetof(struct rc_station, id), 1, s, n);
}

long rc_manifest_district(const struct rc_manifest *m, const char *s,
                          size_t n) {
  return bsearch_id(m->districts, m->ndistricts, sizeof *m->districts,
                    offsetof(struct rc_mdistrict, id), 0, s, n);
}
