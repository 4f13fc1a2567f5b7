/* html_counted.c — the completeness section of the HTML report: what was
 * counted, the stations that were not (with what their sheets claim), the
 * leader, the margin and whether the voters not counted could change who
 * leads (RECORD.md v1.1 §6), with each choice's bounds. */
#include "html_int.h"

/* Rows of the table of stations not counted (the JSON report and the CSV
 * list every one; the report says how many are left out). */
#define HTML_MAX_UNCOUNTED_ROWS 1000

static void outcome_words(FILE *f, const struct rc_record_report *rep) {
  const struct rc_manifest *m = &rep->manifest;
  const struct rc_completeness *c = &rep->completeness;
  const struct rc_totals *t = &rep->totals;
  char a[32], b[32];
  if (c->leader < 0 || !t->valid) {
    fputs("<p>No valid votes were counted: nothing leads.</p>\n", f);
    return;
  }
  fputs("<p>Leading: ", f);
  h_bdi(f, m->choices[c->leader].name);
  fprintf(f, " with %s votes", h_grp(t->votes[c->leader], a));
  if (c->runner_up >= 0) {
    fputs(", ahead of ", f);
    h_bdi(f, m->choices[c->runner_up].name);
    fprintf(f, " by a margin of %s", h_grp(c->margin, a));
  }
  fputs(".</p>\n", f);
  if (!c->registered_uncounted)
    fputs("<p class=\"ok\">Every registered voter is at a counted station: "
          "the outcome cannot change.</p>\n",
          f);
  else if (c->outcome_can_change)
    fprintf(f,
            "<p class=\"bad\">The %s registered voters of the stations "
            "not counted are at least the margin of %s: the counted "
            "sheets do not determine who leads "
            "(OUTCOME_NOT_DETERMINED).</p>\n",
            h_grp(c->registered_uncounted, a), h_grp(c->margin, b));
  else
    fprintf(f,
            "<p class=\"ok\">The %s registered voters of the stations "
            "not counted are fewer than the margin of %s: even if every "
            "one of them had voted for the runner-up, the leader would "
            "stay ahead.</p>\n",
            h_grp(c->registered_uncounted, a), h_grp(c->margin, b));
}

static void bounds_table(FILE *f, const struct rc_record_report *rep) {
  const struct rc_manifest *m = &rep->manifest;
  const struct rc_completeness *c = &rep->completeness;
  const struct rc_totals *t = &rep->totals;
  char a[32];
  uint64_t R = c->registered_uncounted;
  uint64_t lv = c->leader >= 0 ? t->votes[c->leader] : 0;
  fputs("<div class=\"scroll\"><table><thead><tr><th>Choice</th><th "
        "class=\"n\">Counted votes</th><th class=\"n\">Share of valid</th>"
        "<th class=\"n\">At most (with every voter not counted)</th><th>"
        "</th></tr></thead>\n<tbody>\n",
        f);
  for (size_t k = 0; k < m->nchoices; k++) {
    uint64_t v = t->votes[k];
    fputs("<tr><td>", f);
    h_bdi(f, m->choices[k].name);
    fputs(" <code class=\"mute\">", f);
    h_esc(f, m->choices[k].id);
    fprintf(f, "</code></td><td class=\"n\">%s</td><td class=\"n\">",
            h_grp(v, a));
    h_pct(f, v, t->valid, 2);
    fprintf(f, "</td><td class=\"n\">%s</td><td>", h_grp(h_sat_add(v, R), a));
    if ((long)k == c->leader) fputs("leads", f);
    else if (R && h_sat_add(v, R) >= lv)
      fputs("<span class=\"bad\">could tie or overtake the leader</span>", f);
    else fputs("<span class=\"mute\">cannot reach the leader</span>", f);
    fputs("</td></tr>\n", f);
  }
  fputs("</tbody></table></div>\n", f);
}

static const char *status_str(uint8_t s) {
  return s == RC_STATION_MISSING ? "no sheet" : "sheets rejected";
}

static void not_counted(FILE *f, const struct rc_record_report *rep) {
  const struct rc_manifest *m = &rep->manifest;
  const struct rc_completeness *c = &rep->completeness;
  char a[32];
  uint64_t n = c->stations - c->counted, shown = 0;
  if (!n || !rep->station_status) return;
  fprintf(f, "<h3>Stations not counted (%s)</h3>\n", h_grp(n, a));
  if (n > HTML_MAX_UNCOUNTED_ROWS)
    fprintf(f,
            "<p>The first %d in manifest order; the JSON report "
            "(--json) and the CSV tables (--csv) list every one.</p>\n",
            HTML_MAX_UNCOUNTED_ROWS);
  fputs("<div class=\"scroll\"><table><thead><tr><th>Station</th><th>"
        "District</th><th>Status</th><th class=\"n\">Registered "
        "(manifest)</th><th class=\"n\">Ballots claimed</th>",
        f);
  for (size_t k = 0; k < m->nchoices; k++) {
    fputs("<th class=\"n\">", f);
    h_esc(f, m->choices[k].id);
    fputs(" claimed</th>", f);
  }
  fputs("</tr></thead>\n<tbody>\n", f);
  for (size_t i = 0; i < m->nstations && shown < HTML_MAX_UNCOUNTED_ROWS; i++) {
    uint8_t s = rep->station_status[i];
    if (s == RC_STATION_COUNTED) continue;
    shown++;
    const struct rc_station *st = &m->stations[i];
    const char *d = m->districts[st->district].id;
    fputs("<tr><td><bdi>", f);
    h_esc(f, st->id);
    fputs("</bdi></td><td><a href=\"#district-", f);
    h_esc(f, d);
    fputs("\">", f);
    h_esc(f, d);
    fprintf(f, "</a></td><td>%s</td><td class=\"n\">%s</td>", status_str(s),
            h_grp(st->registered, a));
    uint64_t fig[5 + RC_MAX_CHOICES];
    int known = rc_station_figures(rep, i, fig);
    for (size_t k = 0; k < 1 + m->nchoices; k++)
      fprintf(f, "<td class=\"n\">%s</td>",
              known ? h_grp(fig[k ? 4 + k : 1], a) : "–");
    fputs("</tr>\n", f);
  }
  fputs("</tbody></table></div>\n", f);
}

void html_completeness(FILE *f, const struct rc_record_report *rep) {
  const struct rc_completeness *c = &rep->completeness;
  char a[32], b[32], d[32];
  fputs("<section id=\"completeness\">\n<h2>What was counted, and could the "
        "rest change the outcome?</h2>\n",
        f);
  if (!rep->station_status) {
    fputs("<p>Not known: the record's sheets could not be checked.</p>\n"
          "</section>\n",
          f);
    return;
  }
  fprintf(f,
          "<table><tbody>\n<tr><td>stations in the manifest</td><td "
          "class=\"n\">%s</td></tr>\n<tr><td>counted (a sheet that "
          "passed every check)</td><td class=\"n\">%s</td></tr>\n<tr><td>"
          "without any sheet</td><td class=\"n\">%s</td></tr>\n",
          h_grp(c->stations, a), h_grp(c->counted, b),
          h_grp(c->without_sheet, d));
  fprintf(f,
          "<tr><td>with sheets, all rejected</td><td class=\"n\">%s"
          "</td></tr>\n<tr><td>registered voters at the stations not "
          "counted (manifest)</td><td class=\"n\">%s</td></tr>\n"
          "</tbody></table>\n",
          h_grp(c->rejected, a), h_grp(c->registered_uncounted, b));
  outcome_words(f, rep);
  bounds_table(f, rep);
  not_counted(f, rep);
  fputs("</section>\n", f);
}
