/* html_findings.c — the findings of the HTML report: a table by code,
 * then every finding grouped by district (the whole election first, then
 * the districts in manifest order, then districts the manifest does not
 * have), each group and finding with an anchor (#d-<district>, #f-<n>).
 * Grouping is a counting sort: linear in the findings. */
#include <stdlib.h>
#include <string.h>

#include "html_int.h"

/* Findings listed per group and in all (the JSON report lists every one;
 * the report says how many are left out and where they are). */
#define MAX_PER_GROUP 1000
#define MAX_LISTED 20000

size_t html_finding_group(const struct rc_record_report *rep,
                          const struct rc_finding *fd) {
  size_t nd = rep->have_manifest ? rep->manifest.ndistricts : 0;
  if (!fd->district) return nd;
  long d = nd ? rc_manifest_district(&rep->manifest, fd->district,
                                     strlen(fd->district))
              : -1;
  return d >= 0 ? (size_t)d : nd + 1;
}

static void by_code(FILE *f, const struct rc_record_report *rep) {
  size_t n[RC_F__COUNT] = {0};
  char a[32];
  for (size_t i = 0; i < rep->nfindings; i++)
    if ((unsigned)rep->findings[i].code < RC_F__COUNT)
      n[rep->findings[i].code]++;
  fputs("<table><thead><tr><th>Code</th><th>Severity</th><th class=\"n\">"
        "Findings</th><th>Meaning</th></tr></thead>\n<tbody>\n",
        f);
  for (int c = 0; c < RC_F__COUNT; c++) {
    if (!n[c]) continue;
    fprintf(f,
            "<tr><td><code>%s</code></td><td>%s</td><td class=\"n\">%s"
            "</td><td>",
            rc_code_str((enum rc_code)c),
            rc_severity_str(rc_code_severity((enum rc_code)c)), h_grp(n[c], a));
    h_esc(f, rc_code_meaning((enum rc_code)c));
    fputs("</td></tr>\n", f);
  }
  fputs("</tbody></table>\n", f);
}

static void finding(FILE *f, const struct rc_finding *fd, size_t idx) {
  const char *sev = rc_severity_str(rc_code_severity(fd->code));
  fprintf(f,
          "<li class=\"%s\" id=\"f-%zu\"><span class=\"sev\">%s</span> "
          "<code>%s</code>",
          sev, idx + 1, sev, rc_code_str(fd->code));
  if (fd->station) {
    fputs(" station <bdi>", f);
    h_esc(f, fd->station);
    fputs("</bdi>", f);
  }
  if (fd->file) {
    fputs(" <span class=\"loc\"><bdi>", f);
    h_esc(f, fd->file);
    fputs("</bdi>", f);
    if (fd->line) fprintf(f, ", line %zu", fd->line);
    fputs("</span>", f);
  } else if (fd->line) {
    fprintf(f, " <span class=\"loc\">line %zu</span>", fd->line);
  }
  fputs("\n<p dir=\"auto\">", f);
  h_esc(f, fd->message);
  fputs("</p></li>\n", f);
}

static void group_head(FILE *f, const struct rc_record_report *rep, size_t g,
                       size_t n) {
  size_t nd = rep->have_manifest ? rep->manifest.ndistricts : 0;
  char a[32];
  if (g < nd) {
    const struct rc_mdistrict *d = &rep->manifest.districts[g];
    fputs("<section id=\"d-", f);
    h_esc_plain(f, d->id);
    fputs("\">\n<h3>District <code>", f);
    h_esc(f, d->id);
    fputs("</code> ", f);
    h_bdi(f, d->name);
  } else if (g == nd) {
    fputs("<section id=\"d-none\">\n<h3>The whole election", f);
  } else {
    fputs("<section id=\"d-other\">\n<h3>Districts not in the manifest "
          "(named by sheets)",
          f);
  }
  fprintf(f,
          " <span class=\"mute\">(%s finding%s)</span></h3>\n<ol "
          "class=\"findings\">\n",
          h_grp(n, a), n == 1 ? "" : "s");
}

void html_findings(FILE *f, const struct rc_record_report *rep) {
  size_t ng = (rep->have_manifest ? rep->manifest.ndistricts : 0) + 2;
  char a[32], b[32];
  fputs("<section id=\"findings\">\n<h2>Findings</h2>\n", f);
  if (!rep->nfindings) {
    fputs("<p>None: every check passed.</p>\n</section>\n", f);
    return;
  }
  fprintf(f, "<p>%s error%s, %s warning%s.</p>\n", h_grp(rep->nerrors, a),
          rep->nerrors == 1 ? "" : "s", h_grp(rep->nwarnings, b),
          rep->nwarnings == 1 ? "" : "s");
  by_code(f, rep);
  size_t *start = calloc(ng + 1, sizeof *start);
  size_t *order = malloc(rep->nfindings * sizeof *order);
  size_t *grp = malloc(rep->nfindings * sizeof *grp);
  if (!start || !order || !grp) {
    fputs("<p>Out of memory: the findings are listed in the JSON report "
          "(--json).</p>\n",
          f);
    goto out;
  }
  for (size_t i = 0; i < rep->nfindings; i++) {
    grp[i] = html_finding_group(rep, &rep->findings[i]);
    start[grp[i] + 1]++;
  }
  for (size_t g = 0; g < ng; g++) start[g + 1] += start[g];
  size_t *pos = calloc(ng, sizeof *pos);
  if (!pos) {
    fputs("<p>Out of memory: the findings are listed in the JSON report "
          "(--json).</p>\n",
          f);
    goto out;
  }
  for (size_t g = 0; g < ng; g++) pos[g] = start[g];
  for (size_t i = 0; i < rep->nfindings; i++) order[pos[grp[i]]++] = i;
  free(pos);
  size_t listed = 0;
  for (size_t k = 0; k < ng; k++) {
    /* the whole election (ng - 2), then the districts, then the others */
    size_t g = k == 0 ? ng - 2 : k <= ng - 2 ? k - 1 : ng - 1;
    size_t n = start[g + 1] - start[g];
    if (!n) continue;
    group_head(f, rep, g, n);
    size_t j = 0;
    for (; j < n && j < MAX_PER_GROUP && listed < MAX_LISTED; j++, listed++)
      finding(f, &rep->findings[order[start[g] + j]], order[start[g] + j]);
    fputs("</ol>\n", f);
    if (j < n)
      fprintf(f,
              "<p>… and %s more here: the JSON report (--json) lists "
              "every finding.</p>\n",
              h_grp(n - j, a));
    fputs("</section>\n", f);
  }
out:
  free(start);
  free(order);
  free(grp);
  fputs("</section>\n", f);
}
