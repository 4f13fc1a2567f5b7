/* published.c — published figures and percentages (RECORD.md §3). */
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "texts.h"

static const char *const fig_names[RC_FIG__COUNT] = {
    "registered", "ballots", "invalid", "blank", "excluded",
    "valid",      "vote",    "share",   "turnout"};

const char *rc_fig_str(enum rc_fig f) {
  return (unsigned)f < RC_FIG__COUNT ? fig_names[f] : "?";
}

static const uint32_t pow10_[5] = {1, 10, 100, 1000, 10000};

/* [0-9]{1,3}(\.[0-9]{1,4})? exactly as RECORD.md has it (leading zeros
 * allowed; their number is kept for re-encoding). */
static int read_percent(const char *s, size_t n, struct rc_percent *p) {
  size_t i = 0;
  uint32_t ip = 0;
  while (i < n && s[i] >= '0' && s[i] <= '9') ip = ip * 10 + (uint32_t)(s[i++] - '0');
  if (i == 0 || i > 3) return -1;
  const size_t idigits = i;
  uint32_t frac = 0;
  uint8_t d = 0;
  if (i < n) {
    if (s[i] != '.') return -1;
    i++;
    size_t st = i;
    while (i < n && s[i] >= '0' && s[i] <= '9') frac = frac * 10 + (uint32_t)(s[i++] - '0');
    d = (uint8_t)(i - st);
    if (d == 0 || d > RC_PERCENT_DECIMALS_MAX || i != n) return -1;
  }
  p->units = ip * pow10_[d] + frac;
  p->decimals = d;
  p->intdigits = (uint8_t)idigits;
  return 0;
}

void rc_percent_encode(const struct rc_percent *p, struct rc_buf *b) {
  uint32_t q = pow10_[p->decimals];
  rc_buf_printf(b, "%0*u", p->intdigits ? (int)p->intdigits : 1, p->units / q);
  if (p->decimals) rc_buf_printf(b, ".%0*u", (int)p->decimals, p->units % q);
}

/* round half up of num/den * 100 * 10^d */
static int scaled(uint64_t num, uint64_t den, uint8_t d, unsigned __int128 *q) {
  if (den == 0 || d > RC_PERCENT_DECIMALS_MAX) return -1;
  unsigned __int128 x = (unsigned __int128)num * 100u * pow10_[d];
  *q = (2 * x + den) / (2 * (unsigned __int128)den);
  return 0;
}

int rc_percent_matches(const struct rc_percent *p, uint64_t num, uint64_t den) {
  unsigned __int128 q;
  if (scaled(num, den, p->decimals, &q) != 0) return 0;
  return q == p->units;
}

int rc_percent_from_ratio(uint64_t num, uint64_t den, uint8_t decimals,
                          struct rc_percent *out) {
  unsigned __int128 q;
  if (scaled(num, den, decimals, &q) != 0 || q >= 1000u * pow10_[decimals])
    return -1;
  out->units = (uint32_t)q;
  out->decimals = decimals;
  out->intdigits = 0;
  return 0;
}

/* Parses one figure "<kind> [choice] <value>" into f. */
static int read_figure(const struct rc_cur *c, const char *s, size_t n,
                       struct rc_figure *f, struct rc_error *err) {
  const char *kw, *rest, *ch, *val;
  size_t kn, rn, chn, vn;
  if (rc_split(s, n, &kw, &kn, &rest, &rn) != 0)
    return rc_fail(err, RC_ERR_SYNTAX, c->line, "figure",
                   "expected '<figure> <value>'");
  int kind = -1;
  for (int i = 0; i < RC_FIG__COUNT; i++)
    if (strlen(fig_names[i]) == kn && !memcmp(fig_names[i], kw, kn)) kind = i;
  if (kind < 0)
    return rc_fail(err, RC_ERR_SYNTAX, c->line, "figure",
                   "unknown figure (registered, ballots, invalid, blank, "
                   "excluded, valid, vote, share, turnout)");
  f->kind = (enum rc_fig)kind;
  const char *field = fig_names[kind];
  if (kind == RC_FIG_VOTE || kind == RC_FIG_SHARE) {
    if (rc_split(rest, rn, &ch, &chn, &val, &vn) != 0)
      return rc_fail(err, RC_ERR_SYNTAX, c->line, field,
                     "expected '%s <choice> <value>'", field);
    int rc = rc_read_id(c, field, ch, chn, f->choice, err);
    if (rc) return rc;
  } else {
    val = rest;
    vn = rn;
  }
  if (kind == RC_FIG_SHARE || kind == RC_FIG_TURNOUT) {
    if (read_percent(val, vn, &f->pct) != 0)
      return rc_fail(err, RC_ERR_SYNTAX, c->line, field,
                     "not a percent (1 to 3 digits, then optionally a point "
                     "and 1 to 4 decimals)");
    return RC_OK;
  }
  return rc_read_count(c, field, val, vn, &f->count, err);
}

void rc_published_free(struct rc_published *p) {
  free(p->figs);
  memset(p, 0, sizeof *p);
}

int rc_parse_published(const uint8_t *buf, size_t len,
                       struct rc_published *out, struct rc_error *err) {
  struct rc_cur c;
  const char *s;
  size_t n, cap = 0;
  int rc;
  memset(out, 0, sizeof *out);
  if (len > RC_SMALL_TEXT_MAX)
    return rc_fail(err, RC_ERR_LIMIT, 0, "published", "text too long");
  if (!rc_ascii_text(buf, len))
    return rc_fail(err, RC_ERR_SYNTAX, rc_first_nonascii_line(buf, len),
                   "line", "non-ASCII byte in published figures");
  rc_cur_init(&c, buf, len);
  int r = rc_cur_next(&c, err);
  if (r < 0) return (int)err->code;
  if (r == 0 || c.n != 20 || memcmp(c.s, "recount published v1", 20) != 0)
    return rc_fail(err, RC_ERR_SYNTAX, 1, "header",
                   "expected 'recount published v1'");
  if ((rc = rc_cur_expect(&c, "election", &s, &n, err)) ||
      (rc = rc_read_id(&c, "election", s, n, out->election, err)))
    return rc;
  while ((r = rc_cur_next(&c, err)) > 0) {
    if (out->nfigs == cap) {
      size_t nc = cap ? cap * 2 : 16;
      struct rc_figure *v = realloc(out->figs, nc * sizeof *v);
      if (!v) {
        rc = rc_fail(err, RC_ERR_NOMEM, c.line, "published", "out of memory");
        goto fail;
      }
      out->figs = v;
      cap = nc;
    }
    struct rc_figure *f = &out->figs[out->nfigs];
    memset(f, 0, sizeof *f);
    f->line = c.line;
    s = c.s;
    n = c.n;
    if (rc_cur_is(&c, "district")) {
      const char *d, *rest;
      size_t dn, rn;
      if (rc_split(c.s + 9, c.n > 9 ? c.n - 9 : 0, &d, &dn, &rest, &rn) != 0) {
        rc = rc_fail(err, RC_ERR_SYNTAX, c.line, "district",
                     "expected 'district <district-id> <figure> <value>'");
        goto fail;
      }
      if ((rc = rc_read_id(&c, "district", d, dn, f->district, err))) goto fail;
      s = rest;
      n = rn;
    }
    if ((rc = read_figure(&c, s, n, f, err))) goto fail;
    /* order: whole-election figures first, then district groups; inside
     * a group the figure order of RECORD.md; nothing twice */
    if (out->nfigs) {
      const struct rc_figure *p = &out->figs[out->nfigs - 1];
      int pd = p->district[0] != 0, fd = f->district[0] != 0;
      int same_group = !strcmp(p->district, f->district);
      if (pd && !fd) {
        rc = rc_fail(err, RC_ERR_ORDER, c.line, rc_fig_str(f->kind),
                     "whole-election figures come before district lines");
        goto fail;
      }
      if (!same_group && fd) {
        for (size_t i = 0; i < out->nfigs; i++)
          if (!strcmp(out->figs[i].district, f->district)) {
            rc = rc_fail(err, RC_ERR_ORDER, c.line, "district",
                         "district %s lines are not grouped together",
                         f->district);
            goto fail;
          }
      }
      if (same_group) {
        if (p->kind > f->kind) {
          rc = rc_fail(err, RC_ERR_ORDER, c.line, rc_fig_str(f->kind),
                       "'%s' must come before '%s'", rc_fig_str(f->kind),
                       rc_fig_str(p->kind));
          goto fail;
        }
        for (size_t i = out->nfigs; i-- > 0;) {
          const struct rc_figure *q = &out->figs[i];
          if (strcmp(q->district, f->district)) break;
          if (q->kind == f->kind && !strcmp(q->choice, f->choice)) {
            rc = rc_fail(err, RC_ERR_DUP, c.line, rc_fig_str(f->kind),
                         "figure given twice");
            goto fail;
          }
        }
      }
    }
    out->nfigs++;
  }
  if (r < 0) {
    rc = (int)err->code;
    goto fail;
  }
  if (out->nfigs == 0) {
    rc = rc_fail(err, RC_ERR_SYNTAX, c.line + 1, "figure",
                 "at least one figure line is required");
    goto fail;
  }
  return RC_OK;
fail:
  rc_published_free(out);
  return rc;
}

int rc_encode_published(const struct rc_published *p, struct rc_buf *b) {
  rc_buf_printf(b, "recount published v1\nelection %s\n", p->election);
  for (size_t i = 0; i < p->nfigs; i++) {
    const struct rc_figure *f = &p->figs[i];
    if (f->district[0]) rc_buf_printf(b, "district %s ", f->district);
    rc_buf_puts(b, rc_fig_str(f->kind));
    if (f->kind == RC_FIG_VOTE || f->kind == RC_FIG_SHARE)
      rc_buf_printf(b, " %s", f->choice);
    rc_buf_putc(b, ' ');
    if (f->kind == RC_FIG_SHARE || f->kind == RC_FIG_TURNOUT)
      rc_percent_encode(&f->pct, b);
    else
      rc_buf_put_u64(b, f->count);
    rc_buf_putc(b, '\n');
  }
  return b->oom ? RC_ERR_NOMEM : RC_OK;
}

static long choice_index(const struct rc_manifest *m, const char *id) {
  for (size_t i = 0; i < m->nchoices; i++)
    if (!strcmp(m->choices[i].id, id)) return (long)i;
  return -1;
}

int rc_published_check_manifest(const struct rc_published *p,
                                 const struct rc_manifest *m,
                                 struct rc_error *err) {
  if (strcmp(p->election, m->election) != 0)
    return rc_fail(err, RC_ERR_SYNTAX, 2, "election",
                   "election %s, the manifest's is %s", p->election,
                   m->election);
  long prev_d = -1;
  for (size_t i = 0; i < p->nfigs; i++) {
    const struct rc_figure *f = &p->figs[i];
    long d = -1;
    if (f->district[0]) {
      d = rc_manifest_district(m, f->district, strlen(f->district));
      if (d < 0)
        return rc_fail(err, RC_ERR_SYNTAX, f->line, "district",
                       "district %s is not in the manifest", f->district);
      if (d < prev_d)
        return rc_fail(err, RC_ERR_ORDER, f->line, "district",
                       "district groups must follow the manifest's order");
      prev_d = d;
    }
    if (f->kind == RC_FIG_VOTE || f->kind == RC_FIG_SHARE) {
      long ci = choice_index(m, f->choice);
      if (ci < 0)
        return rc_fail(err, RC_ERR_SYNTAX, f->line, rc_fig_str(f->kind),
                       "choice %s is not in the manifest", f->choice);
      if (i > 0) {
        const struct rc_figure *q = &p->figs[i - 1];
        if (q->kind == f->kind && !strcmp(q->district, f->district) &&
            choice_index(m, q->choice) > ci)
          return rc_fail(err, RC_ERR_ORDER, f->line, rc_fig_str(f->kind),
                         "'%s' lines must follow the manifest's choice order",
                         rc_fig_str(f->kind));
      }
    }
  }
  return RC_OK;
}
