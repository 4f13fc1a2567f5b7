/* reconcile.c — published.note (optional): signed by the anchor, well
 * formed, and each published figure against the recomputed totals. */
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "text.h"

/* value of one published figure, recomputed */
static int fig_value(const struct rc_totals *t, const struct rc_manifest *m,
                     const struct rc_figure *f, uint64_t *num, uint64_t *den) {
  long ci = -1;
  if (f->kind == RC_FIG_VOTE || f->kind == RC_FIG_SHARE) {
    for (size_t c = 0; c < m->nchoices; c++)
      if (!strcmp(m->choices[c].id, f->choice)) ci = (long)c;
    if (ci < 0) return -1;
  }
  *den = 1;
  switch (f->kind) {
  case RC_FIG_REGISTERED: *num = t->registered; break;
  case RC_FIG_BALLOTS: *num = t->ballots; break;
  case RC_FIG_INVALID: *num = t->invalid; break;
  case RC_FIG_BLANK: *num = t->blank; break;
  case RC_FIG_EXCLUDED: *num = t->excluded; break;
  case RC_FIG_VALID: *num = t->valid; break;
  case RC_FIG_VOTE: *num = t->votes[ci]; break;
  case RC_FIG_SHARE:
    *num = t->votes[ci];
    *den = t->valid;
    break;
  case RC_FIG_TURNOUT:
    *num = t->ballots;
    *den = t->registered;
    break;
  default: return -1;
  }
  return 0;
}

static int is_percent(const struct rc_figure *f) {
  return f->kind == RC_FIG_SHARE || f->kind == RC_FIG_TURNOUT;
}

/* The finding for a figure that does not reconcile (district d or NULL). */
static void report_mismatch(struct engine *eng, const struct rc_fig_result *r,
                            const char *d) {
  const struct rc_figure *f = &r->fig;
  struct rc_buf b = {0};
  rc_buf_puts(&b, rc_fig_str(f->kind));
  if (f->choice[0]) {
    rc_buf_putc(&b, ' ');
    rc_buf_puts(&b, f->choice);
  }
  rc_buf_putc(&b, 0);
  const char *name = b.oom ? "figure" : (const char *)b.p;
  const char *dp = d ? "district " : "", *dn = d ? d : "", *ds = d ? ": " : "";
  char na[32], nb[32];
  if (is_percent(f)) {
    struct rc_buf v = {0}, g = {0};
    rc_percent_encode(&f->pct, &v);
    rc_buf_putc(&v, 0);
    struct rc_percent got;
    if (rc_percent_from_ratio(r->num, r->den, f->pct.decimals, &got) == 0)
      rc_percent_encode(&got, &g);
    else rc_buf_puts(&g, "undefined");
    rc_buf_putc(&g, 0);
    findings_add(&eng->found, RC_F_PUBLISHED_MISMATCH, d, NULL,
                 "published.note", f->line,
                 "%s%s%s%s published %s %%, recomputed %s %% (%s / %s)", dp, dn,
                 ds, name, v.oom ? "?" : (const char *)v.p,
                 g.oom ? "?" : (const char *)g.p, rc_fmt_count(na, r->num),
                 rc_fmt_count(nb, r->den));
    rc_buf_free(&v);
    rc_buf_free(&g);
  } else {
    findings_add(&eng->found, RC_F_PUBLISHED_MISMATCH, d, NULL,
                 "published.note", f->line,
                 "%s%s%s%s published %s, recomputed %s", dp, dn, ds, name,
                 rc_fmt_count(na, f->count), rc_fmt_count(nb, r->num));
  }
  rc_buf_free(&b);
}

/* Recomputes figure f into r and reports it when it does not reconcile. */
static void reconcile_figure(struct engine *eng, const struct rc_figure *f,
                             struct rc_fig_result *r) {
  const struct rc_manifest *m = eng->m;
  const struct rc_totals *t = &eng->rep->totals;
  const char *d = NULL;
  r->fig = *f;
  if (f->district[0]) {
    long di = rc_manifest_district(m, f->district, strlen(f->district));
    if (di < 0) return; /* checked by rc_published_check_manifest */
    t = &eng->rep->districts[di].totals;
    d = f->district;
  }
  if (fig_value(t, m, f, &r->num, &r->den) != 0) return;
  r->ok = !t->overflow && !t->changed &&
          (is_percent(f) ? rc_percent_matches(&f->pct, r->num, r->den)
                         : r->num == f->count);
  if (!r->ok) report_mismatch(eng, r, d);
}

void reconcile_published(struct engine *eng) {
  struct rc_record_report *rep = eng->rep;
  uint8_t *buf = NULL;
  const uint8_t *text;
  size_t tlen;
  int present = 1;
  struct rc_published p = {0};
  (void)read_anchor_note(eng, "published.note", RC_F_PUBLISHED_SIGNATURE, &buf,
                         &text, &tlen, RC_SMALL_TEXT_MAX, &present);
  if (!present) goto out;
  rep->have_published = 1;
  if (!text) goto out;
  struct rc_error err;
  if (rc_parse_published(text, tlen, &p, &err) != RC_OK ||
      rc_published_check_manifest(&p, eng->m, &err) != RC_OK) {
    findings_add(&eng->found, RC_F_PUBLISHED_FORMAT, NULL, NULL,
                 "published.note", err.line, "%s%s%s",
                 err.field[0] ? err.field : "", err.field[0] ? ": " : "",
                 err.msg);
    goto out;
  }
  rep->figs = calloc(p.nfigs, sizeof *rep->figs);
  if (!rep->figs) {
    eng->found.oom = 1;
    goto out;
  }
  rep->nfigs = p.nfigs;
  for (size_t i = 0; i < p.nfigs; i++)
    reconcile_figure(eng, &p.figs[i], &rep->figs[i]);
out:
  rc_published_free(&p);
  free(buf);
}
