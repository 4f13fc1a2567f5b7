/* html_svg.c — the charts of the HTML report, as inline SVG: the choice
 * shares with their bounds, the turnout per district, and the stations'
 * turnout x leading-share histogram (the "election fingerprint" of
 * Klimek et al., PNAS 2012). Coordinates are whole pixels computed with
 * integers (h_scale), so the bytes never depend on floating point. Labels
 * inside the charts are ids (ASCII by the manifest's grammar); display
 * names, which may be right-to-left, are in the tables. */
#include <stdlib.h>
#include <string.h>

#include "html_int.h"

#define BAR_W 320u       /* bar length for 100 % */
#define MAX_BAR_ROWS 100 /* districts drawn as bars; more: a histogram */
#define FP_BINS 50u      /* fingerprint: 2 % per bin on both axes */
#define FP_CELL 7u       /* pixels per bin */
#define FP_LEVELS 8      /* colours of the fingerprint, light to dark */

static const char *const fp_colour[FP_LEVELS] = {
    "#fde725", "#a0da39", "#4ac16d", "#1fa187",
    "#277f8e", "#365c8d", "#46327e", "#440154"};

static void svg_open(FILE *f, unsigned w, unsigned h, const char *label) {
  fprintf(f,
          "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%u\" "
          "height=\"%u\" viewBox=\"0 0 %u %u\" role=\"img\" "
          "aria-label=\"%s\" font-size=\"12\">\n",
          w, h, w, h, label);
}

/* A label cut to at most 22 bytes (an id: ASCII), escaped. */
static void id_label(FILE *f, const char *id) {
  char buf[32];
  size_t n = strlen(id);
  if (n > 22) {
    memcpy(buf, id, 20);
    memcpy(buf + 20, "…", sizeof "…");
  } else {
    memcpy(buf, id, n + 1);
  }
  h_esc(f, buf);
}

/* Choice shares: each choice's counted votes (solid) and, hatched, how
 * far the voters not counted could take it. */
static void chart_shares(FILE *f, const struct rc_record_report *rep) {
  const struct rc_manifest *m = &rep->manifest;
  const struct rc_totals *t = &rep->totals;
  uint64_t R = rep->completeness.registered_uncounted, max = 0;
  char a[32], b[32];
  for (size_t k = 0; k < m->nchoices; k++) {
    uint64_t v = h_sat_add(t->votes[k], R);
    if (v > max) max = v;
  }
  fputs("<figure>\n<h3>Votes per choice</h3>\n", f);
  if (!max) {
    fputs("<p>No valid votes counted: no chart of the shares.</p>\n"
          "</figure>\n",
          f);
    return;
  }
  unsigned h = 16 + (unsigned)m->nchoices * 40;
  svg_open(f, 720, h, "Votes per choice");
  fputs("<defs><pattern id=\"hatch\" width=\"6\" height=\"6\" "
        "patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
        "<rect width=\"6\" height=\"6\" fill=\"#f3d7d5\"/><line x1=\"0\" "
        "y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#b3261e\" stroke-width=\"2\"/>"
        "</pattern></defs>\n",
        f);
  for (size_t k = 0; k < m->nchoices; k++) {
    unsigned y = 8 + (unsigned)k * 40;
    uint64_t v = t->votes[k];
    unsigned w = h_scale(v, max, 540);
    unsigned wr = h_scale(h_sat_add(v, R), max, 540);
    fprintf(f,
            "<text x=\"150\" y=\"%u\" text-anchor=\"end\" "
            "font-weight=\"bold\">",
            y + 13);
    id_label(f, m->choices[k].id);
    fputs("</text>\n", f);
    if (wr > w)
      fprintf(f,
              "<rect x=\"%u\" y=\"%u\" width=\"%u\" height=\"18\" "
              "fill=\"url(#hatch)\"/>\n",
              160 + w, y, wr - w);
    fprintf(f,
            "<rect x=\"160\" y=\"%u\" width=\"%u\" height=\"18\" "
            "fill=\"%s\"/>\n<text x=\"160\" y=\"%u\" fill=\"#57606a\">",
            y, w ? w : 1,
            (long)k == rep->completeness.leader ? "#0b5cad" : "#6e9bd1",
            y + 32);
    h_pct(f, v, t->valid, 2);
    fprintf(f, " of valid votes · %s votes", h_grp(v, a));
    if (R) fprintf(f, " · at most %s", h_grp(h_sat_add(v, R), b));
    fputs("</text>\n", f);
  }
  fputs("</svg>\n<figcaption>Votes per choice over the counted sheets, "
        "with their share of the valid votes.",
        f);
  if (R)
    fprintf(f,
            " Hatched: the %s registered voters of the stations not "
            "counted, added to each choice — how far they could take "
            "it.",
            h_grp(R, a));
  fputs("</figcaption>\n</figure>\n", f);
}

/* Percent of num/den in hundredths, rounded down, at most 10000. */
static unsigned hundredths(uint64_t num, uint64_t den) {
  return den ? h_scale(num, den, 10000) : 0;
}

static void turnout_bars(FILE *f, const struct rc_record_report *rep) {
  const struct rc_manifest *m = &rep->manifest;
  const struct rc_totals *all = &rep->totals;
  unsigned n = (unsigned)m->ndistricts, h = 44 + n * 16;
  svg_open(f, 560, h, "Turnout per district");
  for (unsigned p = 0; p <= 100; p += 20) {
    unsigned x = 156 + BAR_W * p / 100;
    fprintf(f,
            "<line x1=\"%u\" y1=\"14\" x2=\"%u\" y2=\"%u\" "
            "stroke=\"#d0d7de\"/><text x=\"%u\" y=\"%u\" "
            "text-anchor=\"middle\" fill=\"#57606a\">%u %%</text>\n",
            x, x, h - 22, x, h - 8, p);
  }
  for (unsigned d = 0; d < n; d++) {
    const struct rc_totals *t = &rep->districts[d].totals;
    unsigned y = 16 + d * 16;
    fprintf(f, "<text x=\"150\" y=\"%u\" text-anchor=\"end\">", y + 11);
    id_label(f, m->districts[d].id);
    fputs("</text>", f);
    if (!t->registered) {
      fprintf(f,
              "<text x=\"160\" y=\"%u\" fill=\"#b3261e\">no counted "
              "sheet</text>\n",
              y + 11);
      continue;
    }
    fprintf(f,
            "<rect x=\"156\" y=\"%u\" width=\"%u\" height=\"12\" "
            "fill=\"#6e9bd1\"/><text x=\"%u\" y=\"%u\">",
            y, h_scale(t->ballots, t->registered, BAR_W) + 1, 162 + BAR_W,
            y + 11);
    h_pct(f, t->ballots, t->registered, 2);
    fputs("</text>\n", f);
  }
  if (all->registered) {
    unsigned x = 156 + h_scale(all->ballots, all->registered, BAR_W);
    fprintf(f,
            "<line x1=\"%u\" y1=\"10\" x2=\"%u\" y2=\"%u\" "
            "stroke=\"#1b1f24\" stroke-dasharray=\"4 3\"/>\n",
            x, x, h - 22);
  }
  fputs("</svg>\n<figcaption>Turnout (ballots over registered voters of the "
        "counted stations) per district; the dashed line is the turnout "
        "of the whole election.</figcaption>\n",
        f);
}

/* Districts by turnout, 2 % per bin (too many districts for bars). */
static void turnout_hist(FILE *f, const struct rc_record_report *rep) {
  const struct rc_manifest *m = &rep->manifest;
  uint64_t bins[FP_BINS] = {0}, max = 0, none = 0;
  char a[32];
  for (size_t d = 0; d < m->ndistricts; d++) {
    const struct rc_totals *t = &rep->districts[d].totals;
    if (!t->registered) {
      none++;
      continue;
    }
    unsigned b = hundredths(t->ballots, t->registered) / 200;
    if (b >= FP_BINS) b = FP_BINS - 1;
    if (++bins[b] > max) max = bins[b];
  }
  svg_open(f, 560, 260, "Districts by turnout");
  for (unsigned p = 0; p <= 100; p += 20)
    fprintf(f,
            "<text x=\"%u\" y=\"252\" text-anchor=\"middle\" "
            "fill=\"#57606a\">%u %%</text>\n",
            40 + 500 * p / 100, p);
  for (unsigned b = 0; b < FP_BINS; b++) {
    unsigned bh = h_scale(bins[b], max, 200);
    if (!bins[b]) continue;
    fprintf(f,
            "<rect x=\"%u\" y=\"%u\" width=\"9\" height=\"%u\" "
            "fill=\"#6e9bd1\"><title>%s districts</title></rect>\n",
            40 + b * 10, 232 - bh, bh ? bh : 1, h_grp(bins[b], a));
  }
  fprintf(f,
          "<text x=\"40\" y=\"20\" fill=\"#57606a\">highest bar: %s "
          "districts</text>\n</svg>\n<figcaption>Number of districts "
          "per 2 %% of turnout (ballots over registered voters of the "
          "counted stations)",
          h_grp(max, a));
  if (none)
    fprintf(f, "; %s districts have no counted sheet and are not shown",
            h_grp(none, a));
  fputs(".</figcaption>\n", f);
}

static void chart_turnout(FILE *f, const struct rc_record_report *rep) {
  fputs("<figure>\n<h3>Turnout per district</h3>\n", f);
  if (rep->manifest.ndistricts <= MAX_BAR_ROWS) turnout_bars(f, rep);
  else turnout_hist(f, rep);
  fputs("</figure>\n", f);
}

static unsigned log2u(uint64_t v) {
  unsigned b = 0;
  while (v >>= 1) b++;
  return b;
}

/* The colour level of a cell of c stations, the fullest having max. */
static unsigned fp_level(uint64_t c, uint64_t max) {
  unsigned top = log2u(max);
  return top ? log2u(c) * (FP_LEVELS - 1) / top : FP_LEVELS - 1;
}

static void fp_legend(FILE *f, uint64_t max) {
  char a[32], b[32];
  unsigned y = 40, top = log2u(max);
  fputs("<text x=\"434\" y=\"28\" font-weight=\"bold\">stations per cell"
        "</text>\n",
        f);
  for (unsigned lv = 0; lv < FP_LEVELS; lv++) {
    uint64_t lo = 0, hi = 0;
    for (unsigned e = 0; e <= top; e++) {
      if (fp_level((uint64_t)1 << e, max) != lv) continue;
      if (!lo) lo = (uint64_t)1 << e;
      hi = e == top ? max : ((uint64_t)1 << (e + 1)) - 1;
    }
    if (!lo) continue;
    fprintf(f,
            "<rect x=\"434\" y=\"%u\" width=\"14\" height=\"14\" "
            "fill=\"%s\"/><text x=\"454\" y=\"%u\">%s",
            y, fp_colour[lv], y + 12, h_grp(lo, a));
    if (hi > lo) fprintf(f, "–%s", h_grp(hi, b));
    fputs("</text>\n", f);
    y += 20;
  }
}

static void fp_axes(FILE *f, const char *leader) {
  unsigned side = FP_BINS * FP_CELL, x0 = 60, y0 = 20;
  fprintf(f,
          "<rect x=\"%u\" y=\"%u\" width=\"%u\" height=\"%u\" "
          "fill=\"none\" stroke=\"#57606a\"/>\n",
          x0, y0, side, side);
  for (unsigned p = 0; p <= 100; p += 20) {
    unsigned o = side * p / 100;
    fprintf(f,
            "<text x=\"%u\" y=\"%u\" text-anchor=\"middle\" "
            "fill=\"#57606a\">%u</text><text x=\"%u\" y=\"%u\" "
            "text-anchor=\"end\" fill=\"#57606a\">%u</text>\n",
            x0 + o, y0 + side + 16, p, x0 - 6, y0 + side - o + 4, p);
  }
  fprintf(f,
          "<text x=\"%u\" y=\"%u\" text-anchor=\"middle\">turnout of "
          "the station (%%)</text>\n<text transform=\"translate(18 %u) "
          "rotate(-90)\" text-anchor=\"middle\">share of valid votes for ",
          x0 + side / 2, y0 + side + 36, y0 + side / 2);
  h_esc(f, leader);
  fputs(" (%)</text>\n", f);
}

/* The fingerprint: counted stations binned by turnout (x) and the
 * leading choice's share of their valid votes (y). */
static void chart_fingerprint(FILE *f, const struct rc_record_report *rep) {
  const struct rc_manifest *m = &rep->manifest;
  long L = rep->completeness.leader;
  char a[32];
  fputs("<figure>\n<h3>The stations' fingerprint</h3>\n", f);
  if (!rep->station_figs || !rep->station_status || L < 0) {
    fputs("<p>No per-station figures: no fingerprint chart.</p>\n"
          "</figure>\n",
          f);
    return;
  }
  uint64_t *cell = calloc(FP_BINS * FP_BINS, sizeof *cell);
  if (!cell) {
    fputs("<p>Out of memory: no fingerprint chart.</p>\n</figure>\n", f);
    return;
  }
  uint64_t max = 0, shown = 0, left = 0;
  for (size_t i = 0; i < m->nstations; i++) {
    if (rep->station_status[i] != RC_STATION_COUNTED) continue;
    uint64_t s[5 + RC_MAX_CHOICES];
    int known = rc_station_figures(rep, i, s);
    uint64_t valid = 0;
    for (size_t k = 0; known && k < m->nchoices; k++)
      valid = h_sat_add(valid, s[5 + k]);
    if (!known || !s[0] || !valid) {
      left++;
      continue;
    }
    unsigned x = h_scale(s[1], s[0], FP_BINS),
             y = h_scale(s[5 + L], valid, FP_BINS);
    if (x >= FP_BINS) x = FP_BINS - 1;
    if (y >= FP_BINS) y = FP_BINS - 1;
    uint64_t *c = &cell[y * FP_BINS + x];
    if (++*c > max) max = *c;
    shown++;
  }
  svg_open(f, 574, 420, "Stations by turnout and leading share");
  for (unsigned y = 0; y < FP_BINS && max; y++)
    for (unsigned x = 0; x < FP_BINS; x++) {
      uint64_t c = cell[y * FP_BINS + x];
      if (!c) continue;
      fprintf(f,
              "<rect x=\"%u\" y=\"%u\" width=\"%u\" height=\"%u\" "
              "fill=\"%s\"/>\n",
              60 + x * FP_CELL, 20 + (FP_BINS - 1 - y) * FP_CELL, FP_CELL,
              FP_CELL, fp_colour[fp_level(c, max)]);
    }
  fp_axes(f, m->choices[L].id);
  if (max) fp_legend(f, max);
  fputs("</svg>\n<figcaption>The election's fingerprint: each cell counts "
        "the counted stations with that turnout (across, 2 % per cell) and "
        "that share of their valid votes for the leading choice (up). An "
        "ordinary count gives one compact cloud; a smear towards the top "
        "right corner (turnout and share both near 100 %), or spikes at "
        "round percentages, is what ballot stuffing or results written up "
        "by hand look like. It points where to look; it proves nothing by "
        "itself.",
        f);
  fprintf(f, " %s stations shown", h_grp(shown, a));
  if (left)
    fprintf(f,
            "; %s counted stations with no registered voters or no "
            "valid votes are not",
            h_grp(left, a));
  fputs(".</figcaption>\n</figure>\n", f);
  free(cell);
}

void html_charts(FILE *f, const struct rc_record_report *rep) {
  fputs("<section id=\"charts\">\n<h2>Charts</h2>\n", f);
  chart_shares(f, rep);
  fputs("<div class=\"charts\">\n", f);
  chart_fingerprint(f, rep);
  if (rep->districts) chart_turnout(f, rep);
  fputs("</div>\n</section>\n", f);
}
