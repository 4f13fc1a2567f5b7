/* published.c — published figures and percents (RECORD.md §3):
 *
 *   recount published v1
 *   election <id>
 *   [district <id> ] registered|ballots|invalid|blank|excluded|valid <total>
 *   [district <id> ] vote <choice-id> <total>
 *   [district <id> ] share <choice-id> <percent>
 *   [district <id> ] turnout <percent>
 *
 * Whole-election figures first, in the order above; then one contiguous
 * group per district, groups in manifest order (= ascending district ids,
 * as manifest districts are), the same figure order inside a group.
 *
 * <total>: "0" or [1-9][0-9]{0,19}, below 2^64 (RECORD.md §2, v1.1). */
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "texts.h"

static const char *const fig_names[RC_FIG__COUNT] = {
    "registered", "ballots", "invalid", "blank",  "excluded",
    "valid",      "vote",    "share",   "turnout"};

static const char *const published_kws[] = {
    "election", "registered", "ballots", "invalid", "blank",    "excluded",
    "valid",    "vote",       "share",   "turnout", "district", NULL};

static const uint32_t pow10_u32[RC_PERCENT_DECIMALS_MAX + 1] = {1, 10, 100,
                                                                1000, 10000};

const char *rc_fig_str(enum rc_fig f) {
  return (unsigned)f < RC_FIG__COUNT ? fig_names[f] : "?";
}

static int has_choice(enum rc_fig k) {
  return k == RC_FIG_VOTE || k == RC_FIG_SHARE;
}

static int is_percent(enum rc_fig k) {
  return k == RC_FIG_SHARE || k == RC_FIG_TURNOUT;
}

void rc_percent_encode(const struct rc_percent *p, struct rc_buf *b) {
  uint8_t d = p->decimals <= RC_PERCENT_DECIMALS_MAX ? p->decimals
                                                     : RC_PERCENT_DECIMALS_MAX;
  uint32_t q = pow10_u32[d];
  int width = p->intdigits >= 1 && p->intdigits <= 3 ? p->intdigits : 1;
  rc_buf_printf(b, "%0*u", width, p->units / q);
  if (d) rc_buf_printf(b, ".%0*u", (int)d, p->units % q);
}

/* The exact percent num/den * 100, scaled by 10^d and rounded half up:
 * floor((2 * num * 100 * 10^d + den) / (2 * den)), in 128 bits (num <
 * 2^64 and 100 * 10^4 < 2^20, so nothing overflows). */
static int scaled(uint64_t num, uint64_t den, uint8_t d, unsigned __int128 *q) {
  if (den == 0 || d > RC_PERCENT_DECIMALS_MAX) return -1;
  unsigned __int128 x = (unsigned __int128)num * 100u * pow10_u32[d];
  *q = (2 * x + den) / (2 * (unsigned __int128)den);
  return 0;
}

int rc_percent_matches(const struct rc_percent *p, uint64_t num, uint64_t den) {
  unsigned __int128 q;
  /* RECORD.md §3 (v1.1): of nothing, only 0 (0.0, 0.00...) reconciles */
  if (den == 0) return p->units == 0;
  if (scaled(num, den, p->decimals, &q) != 0) return 0;
  return q == p->units;
}

int rc_percent_from_ratio(uint64_t num, uint64_t den, uint8_t decimals,
                          struct rc_percent *out) {
  unsigned __int128 q;
  if (den == 0 && decimals <= RC_PERCENT_DECIMALS_MAX) {
    *out = (struct rc_percent){.units = 0, .decimals = decimals};
    return 0;
  }
  if (scaled(num, den, decimals, &q) != 0 ||
      q >= (unsigned __int128)1000u * pow10_u32[decimals])
    return -1;
  out->units = (uint32_t)q;
  out->decimals = decimals;
  out->intdigits = 0;
  return 0;
}

/* Parses "<figure> [choice] <value>" s[0..n) into f. */
static int read_figure(const struct rc_cur *c, const char *s, size_t n,
                       struct rc_figure *f, struct rc_error *err) {
  const char *kw, *rest, *val, *ch;
  size_t kn, rn, vn, chn;
  int kind = -1, rc;
  if (rc_split(s, n, &kw, &kn, &rest, &rn) != 0)
    return rc_fail(err, RC_ERR_SYNTAX, c->line, "figure",
                   "expected '<figure> <value>'");
  for (int i = 0; i < RC_FIG__COUNT; i++)
    if (strlen(fig_names[i]) == kn && memcmp(fig_names[i], kw, kn) == 0)
      kind = i;
  if (kind < 0)
    return rc_fail(err, RC_ERR_SYNTAX, c->line, "figure",
                   "unknown figure: registered, ballots, invalid, blank, "
                   "excluded, valid, vote, share or turnout");
  f->kind = (enum rc_fig)kind;
  const char *field = fig_names[kind];
  val = rest;
  vn = rn;
  if (has_choice(f->kind)) {
    if (rc_split(rest, rn, &ch, &chn, &val, &vn) != 0)
      return rc_fail(err, RC_ERR_SYNTAX, c->line, field,
                     "expected '%s <choice-id> <%s>'", field,
                     is_percent(f->kind) ? "percent" : "count");
    if ((rc = rc_read_id(c, field, ch, chn, f->choice, err))) return rc;
  }
  if (is_percent(f->kind))
    return rc_read_percent(c, field, val, vn, &f->pct, err);
  return rc_read_total(c, field, val, vn, &f->count, err);
}

/* Checks figure figs[i] against the figures before it (the order rules
 * that need no manifest). line is the line to blame. */
static int check_order(const struct rc_figure *figs, size_t i, size_t line,
                       struct rc_error *err) {
  if (i == 0) return RC_OK;
  const struct rc_figure *p = &figs[i - 1], *f = &figs[i];
  const char *name = rc_fig_str(f->kind);
  int pd = p->district[0] != 0, fd = f->district[0] != 0;
  if (pd && !fd)
    return rc_fail(err, RC_ERR_ORDER, line, name,
                   "whole-election figures must come before the district "
                   "lines");
  if (pd && fd) {
    int cmp = strcmp(p->district, f->district);
    if (cmp > 0)
      return rc_fail(err, RC_ERR_ORDER, line, "district",
                     "district '%s' after '%s': district lines are grouped "
                     "by district, in the manifest's (ascending) order",
                     f->district, p->district);
    if (cmp < 0) return RC_OK; /* a new group */
  }
  if (!pd && fd) return RC_OK; /* the first group */
  /* same group */
  if (p->kind > f->kind)
    return rc_fail(err, RC_ERR_ORDER, line, name, "'%s' must come before '%s'",
                   name, rc_fig_str(p->kind));
  if (p->kind < f->kind) return RC_OK;
  if (!has_choice(f->kind))
    return rc_fail(err, RC_ERR_DUP, line, name, "'%s' is given twice%s%s", name,
                   fd ? " for district " : "", f->district);
  /* a run of vote (or share) lines: at most one per choice, at most
   * RC_PUB_CHOICE_LINES_MAX (a manifest has no more choices) */
  size_t run = 1;
  for (size_t j = i; j-- > 0 && figs[j].kind == f->kind &&
                     strcmp(figs[j].district, f->district) == 0;) {
    if (strcmp(figs[j].choice, f->choice) == 0)
      return rc_fail(err, RC_ERR_DUP, line, name, "'%s %s' is given twice%s%s",
                     name, f->choice, fd ? " for district " : "", f->district);
    if (++run > RC_PUB_CHOICE_LINES_MAX)
      return rc_fail(err, RC_ERR_LIMIT, line, name,
                     "more than %d '%s' lines in a group", RC_MAX_CHOICES,
                     name);
  }
  return RC_OK;
}

void rc_published_free(struct rc_published *p) {
  free(p->figs);
  memset(p, 0, sizeof *p);
}

/* Reads the figure on the current line into f. */
static int figure_line(const struct rc_cur *c, struct rc_figure *f,
                       struct rc_error *err) {
  const char *s = c->s, *d, *rest;
  size_t n = c->n, dn, rn;
  int rc;
  memset(f, 0, sizeof *f);
  f->line = c->line;
  if (rc_cur_is(c, "district")) {
    if (c->n <= 9 || rc_split(c->s + 9, c->n - 9, &d, &dn, &rest, &rn) != 0)
      return rc_fail(err, RC_ERR_SYNTAX, c->line, "district",
                     "expected 'district <district-id> <figure> <value>'");
    if ((rc = rc_read_id(c, "district", d, dn, f->district, err))) return rc;
    s = rest;
    n = rn;
  } else if (rc_cur_is(c, "election")) {
    return rc_cur_unexpected(c, "a figure", err);
  }
  return read_figure(c, s, n, f, err);
}

int rc_parse_published(const uint8_t *buf, size_t len, struct rc_published *out,
                       struct rc_error *err) {
  struct rc_error local;
  struct rc_cur c;
  const char *s;
  size_t n, cap = 0;
  int rc, r;
  if (!err) err = &local;
  memset(out, 0, sizeof *out);
  if (len > RC_SMALL_TEXT_MAX) {
    rc = rc_fail(err, RC_ERR_LIMIT, 0, "published",
                 "published figures of %zu bytes: at most %u", len,
                 RC_SMALL_TEXT_MAX);
    goto out;
  }
  rc_cur_init(&c, buf, len, published_kws);
  if ((rc = rc_text_ascii(buf, len, "published figures text", err)) ||
      (rc = rc_cur_header(&c, "recount published v1", "published figures text",
                          err)) ||
      (rc = rc_cur_expect(&c, "election", &s, &n, err)) ||
      (rc = rc_read_id(&c, "election", s, n, out->election, err)))
    goto out;
  while ((r = rc_cur_next(&c, err)) > 0) {
    if (out->nfigs == cap) {
      size_t nc = cap ? cap * 2 : 16;
      struct rc_figure *v = realloc(out->figs, nc * sizeof *v);
      if (!v) {
        rc = rc_fail(err, RC_ERR_NOMEM, c.line, "published", "out of memory");
        goto out;
      }
      out->figs = v;
      cap = nc;
    }
    if ((rc = figure_line(&c, &out->figs[out->nfigs], err)) ||
        (rc = check_order(out->figs, out->nfigs, c.line, err)))
      goto out;
    out->nfigs++;
  }
  if (r < 0) {
    rc = (int)err->code;
    goto out;
  }
  if (out->nfigs == 0)
    rc = rc_fail(err, RC_ERR_SYNTAX, c.line + 1, "figure",
                 "at least one figure line is required");
out:
  if (rc != RC_OK) rc_published_free(out);
  return rc;
}

int rc_encode_published(const struct rc_published *p, struct rc_buf *b) {
  struct rc_error err;
  if (!rc_id_ok(p->election) || p->nfigs < 1 || !p->figs) return RC_ERR_USAGE;
  for (size_t i = 0; i < p->nfigs; i++) {
    const struct rc_figure *f = &p->figs[i];
    if ((unsigned)f->kind >= RC_FIG__COUNT ||
        (f->district[0] && !rc_id_ok(f->district)) ||
        (has_choice(f->kind) && !rc_id_ok(f->choice)) ||
        (is_percent(f->kind) && !rc_percent_ok(&f->pct)) ||
        check_order(p->figs, i, i + 3, &err) != RC_OK)
      return RC_ERR_USAGE;
  }
  rc_buf_printf(b, "recount published v1\nelection %s\n", p->election);
  for (size_t i = 0; i < p->nfigs; i++) {
    const struct rc_figure *f = &p->figs[i];
    if (f->district[0]) rc_buf_printf(b, "district %s ", f->district);
    rc_buf_puts(b, rc_fig_str(f->kind));
    if (has_choice(f->kind)) rc_buf_printf(b, " %s", f->choice);
    rc_buf_putc(b, ' ');
    if (is_percent(f->kind)) rc_percent_encode(&f->pct, b);
    else rc_buf_put_u64(b, f->count);
    rc_buf_putc(b, '\n');
  }
  return b->oom ? RC_ERR_NOMEM : RC_OK;
}

static long choice_index(const struct rc_manifest *m, const char *id) {
  for (size_t i = 0; i < m->nchoices; i++)
    if (strcmp(m->choices[i].id, id) == 0) return (long)i;
  return -1;
}

int rc_published_check_manifest(const struct rc_published *p,
                                const struct rc_manifest *m,
                                struct rc_error *err) {
  struct rc_error local;
  long prev_d = -1, prev_c = -1;
  if (!err) err = &local;
  if (strcmp(p->election, m->election) != 0)
    return rc_fail(err, RC_ERR_SYNTAX, 2, "election",
                   "election '%s', but the manifest's is '%s'", p->election,
                   m->election);
  for (size_t i = 0; i < p->nfigs; i++) {
    const struct rc_figure *f = &p->figs[i];
    const struct rc_figure *q = i ? &p->figs[i - 1] : NULL;
    if (f->district[0]) {
      long d = rc_manifest_district(m, f->district, strlen(f->district));
      if (d < 0)
        return rc_fail(err, RC_ERR_SYNTAX, f->line, "district",
                       "district '%s' is not in the manifest", f->district);
      if (d < prev_d)
        return rc_fail(err, RC_ERR_ORDER, f->line, "district",
                       "district groups must follow the manifest's order");
      prev_d = d;
    }
    if (!has_choice(f->kind)) continue;
    long ci = choice_index(m, f->choice);
    if (ci < 0)
      return rc_fail(err, RC_ERR_SYNTAX, f->line, rc_fig_str(f->kind),
                     "choice '%s' is not in the manifest", f->choice);
    if (q && q->kind == f->kind && strcmp(q->district, f->district) == 0 &&
        prev_c >= ci)
      return rc_fail(err, RC_ERR_ORDER, f->line, rc_fig_str(f->kind),
                     "'%s' lines must follow the manifest's choice order "
                     "('%s' is listed before '%s')",
                     rc_fig_str(f->kind), f->choice, q->choice);
    prev_c = ci;
  }
  return RC_OK;
}
