/* findings.c — the finding codes (generated from findings.def) and the
 * growable list the stages append to. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"

static const struct {
  const char *name;
  enum rc_severity severity;
  const char *meaning;
} code_table[RC_F__COUNT] = {
#define FINDING(code, sev, file, meaning) {#code, RC_SEV_##sev, meaning},
#include "findings.def"
#undef FINDING
};

const char *rc_code_str(enum rc_code c) {
  return (unsigned)c < RC_F__COUNT ? code_table[c].name : "UNKNOWN";
}

enum rc_severity rc_code_severity(enum rc_code c) {
  return (unsigned)c < RC_F__COUNT ? code_table[c].severity : RC_SEV_ERROR;
}

const char *rc_code_meaning(enum rc_code c) {
  return (unsigned)c < RC_F__COUNT ? code_table[c].meaning : "";
}

const char *rc_severity_str(enum rc_severity s) {
  switch (s) {
  case RC_SEV_ERROR: return "error";
  case RC_SEV_WARNING: return "warning";
  default: return "info";
  }
}

char *engine_strdup(const char *s) {
  if (!s) return NULL;
  size_t n = strlen(s);
  char *p = malloc(n + 1);
  if (p) memcpy(p, s, n + 1);
  return p;
}

void finding_free(struct rc_finding *f) {
  free(f->district);
  free(f->station);
  free(f->file);
  free(f->message);
}

static int grow(struct findings *fs, size_t first_cap) {
  if (fs->n < fs->cap) return 0;
  size_t cap = fs->cap ? fs->cap * 2 : first_cap;
  struct rc_finding *v = realloc(fs->v, cap * sizeof *v);
  if (!v) {
    fs->oom = 1;
    return -1;
  }
  fs->v = v;
  fs->cap = cap;
  return 0;
}

void findings_add(struct findings *fs, enum rc_code code, const char *district,
                  const char *station, const char *file, size_t line,
                  const char *fmt, ...) {
  if (fs->oom || grow(fs, 8) != 0) return;
  char msg[768];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  struct rc_finding *f = &fs->v[fs->n];
  memset(f, 0, sizeof *f);
  f->code = code;
  f->district = engine_strdup(district);
  f->station = engine_strdup(station);
  f->file = engine_strdup(file);
  f->line = line;
  f->message = engine_strdup(msg);
  if ((district && !f->district) || (station && !f->station) ||
      (file && !f->file) || !f->message) {
    finding_free(f);
    fs->oom = 1;
    return;
  }
  fs->n++;
}

void findings_move(struct findings *dst, struct findings *src) {
  for (size_t i = 0; i < src->n; i++) {
    if (dst->oom || grow(dst, 64) != 0) {
      finding_free(&src->v[i]);
      continue;
    }
    dst->v[dst->n++] = src->v[i];
  }
  if (src->oom) dst->oom = 1;
  free(src->v);
  memset(src, 0, sizeof *src);
}
