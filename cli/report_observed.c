/* report_observed.c — the observers' own copies in the reports (RECORD.md
 * v1.1 §6): the "observed" counts of the JSON object and the section of
 * the human report that says which stations the observers covered and
 * what they found. Both write nothing unless --observed was given. */
#include <stdlib.h>
#include <string.h>

#include "observed.h"
#include "report_observed.h"
#include "text.h"

void rc_report_observed_json(FILE *out, const struct rc_record_report *rep) {
  const struct rc_observed_report *o = rep->observed;
  if (!o || !o->given) return;
  fprintf(out,
          ",\"observed\":{\"sheets\":%llu,\"matched\":%llu,\"mismatched\":%llu,"
          "\"withheld\":%llu,\"invalid\":%llu}",
          (unsigned long long)o->sheets, (unsigned long long)o->matched,
          (unsigned long long)o->mismatched, (unsigned long long)o->withheld,
          (unsigned long long)o->invalid);
}

/* What the observers' copies of one station came to. */
struct covered {
  long station;
  size_t matched, mismatched, withheld, invalid;
};

static int by_station(const void *x, const void *y) {
  const struct covered *a = x, *b = y;
  return (a->station > b->station) - (a->station < b->station);
}

#define LIST_MAX 200 /* stations listed one per line */

static void station_line(FILE *out, const struct rc_manifest *m,
                         const struct covered *c) {
  const struct rc_station *st = &m->stations[c->station];
  size_t copies = c->matched + c->mismatched + c->withheld + c->invalid;
  char g[32];
  fprintf(out, "  %-24s %-10s %s cop%s: ", st->id,
          m->districts[st->district].id, rc_fmt_count(g, copies),
          copies == 1 ? "y" : "ies");
  const char *sep = "";
  if (c->mismatched) {
    fprintf(out,
            "%s%s DIFFERENT from another validly signed sheet "
            "(equivocation)",
            sep, rc_fmt_count(g, c->mismatched));
    sep = ", ";
  }
  if (c->withheld) {
    fprintf(out, "%s%s WITHHELD (no validly signed sheet in the record)", sep,
            rc_fmt_count(g, c->withheld));
    sep = ", ";
  }
  if (c->matched) {
    fprintf(out, "%s%s match%s the record", sep, rc_fmt_count(g, c->matched),
            c->matched == 1 ? "es" : "");
    sep = ", ";
  }
  if (c->invalid)
    fprintf(out, "%s%s not validly signed", sep, rc_fmt_count(g, c->invalid));
  fputc('\n', out);
}

void rc_report_observed_human(FILE *out, const struct rc_record_report *rep) {
  const struct rc_observed_report *o = rep->observed;
  if (!o || !o->given || !rep->have_manifest) return;
  const struct rc_manifest *m = &rep->manifest;
  fputs("\nObservers' own copies (--observed)\n", out);
  char g[5][32];
  fprintf(out,
          "  observed sheets  %s: %s matched, %s different from "
          "the record, %s withheld from it, %s invalid\n",
          rc_fmt_count(g[0], o->sheets), rc_fmt_count(g[1], o->matched),
          rc_fmt_count(g[2], o->mismatched), rc_fmt_count(g[3], o->withheld),
          rc_fmt_count(g[4], o->invalid));
  struct covered *cv = calloc(o->n ? o->n : 1, sizeof *cv);
  if (!cv) {
    fputs("  (out of memory: the stations are not listed)\n", out);
    return;
  }
  size_t n = 0;
  for (size_t i = 0; i < o->n; i++)
    if (o->v[i].station >= 0) cv[n++].station = o->v[i].station;
  if (n > 1) qsort(cv, n, sizeof *cv, by_station);
  size_t u = 0; /* distinct stations, in manifest order */
  for (size_t i = 0; i < n; i++)
    if (!u || cv[u - 1].station != cv[i].station) cv[u++] = cv[i];
  for (size_t i = 0; i < o->n; i++) {
    const struct rc_observed_sheet *s = &o->v[i];
    if (s->station < 0) continue;
    struct covered key = {.station = s->station};
    struct covered *c = bsearch(&key, cv, u, sizeof *cv, by_station);
    if (!c) continue;
    if (s->status == RC_OBS_MATCHED) c->matched++;
    else if (s->status == RC_OBS_MISMATCHED) c->mismatched++;
    else if (s->status == RC_OBS_WITHHELD) c->withheld++;
    else c->invalid++;
  }
  size_t valid = 0; /* stations with a validly signed observed copy */
  for (size_t i = 0; i < u; i++)
    if (cv[i].matched + cv[i].mismatched + cv[i].withheld) valid++;
  fprintf(out, "  stations covered %s of %s by a validly signed copy",
          rc_fmt_count(g[0], valid), rc_fmt_count(g[1], m->nstations));
  if (u > valid)
    fprintf(out, " (%s more with invalid copies only)",
            rc_fmt_count(g[0], u - valid));
  fputc('\n', out);
  for (size_t i = 0; i < u && i < LIST_MAX; i++) station_line(out, m, &cv[i]);
  if (u > LIST_MAX)
    fprintf(out, "  ... and %s more stations (see the JSON report)\n",
            rc_fmt_count(g[0], u - LIST_MAX));
  uint64_t nostation = 0;
  for (size_t i = 0; i < o->n; i++)
    if (o->v[i].station < 0) nostation++;
  if (nostation)
    fprintf(out,
            "  %s observed file%s or note%s of no registered "
            "station (OBSERVED_INVALID)\n",
            rc_fmt_count(g[0], nostation), nostation == 1 ? "" : "s",
            nostation == 1 ? "" : "s");
  free(cv);
}
