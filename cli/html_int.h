/* html_int.h — what the files of the HTML report (cli/html*.c) share:
 * escaping, numbers, and the sections each file writes. Not a public
 * interface: the programs include html.h. */
#ifndef RC_HTML_INT_H
#define RC_HTML_INT_H
#include <stdio.h>

#include "record.h"

/* Record bytes as HTML text: & < > " ' become entities; control
 * characters (C0, DEL, C1), the bidirectional embedding, override and
 * isolate controls (which could reorder what is shown) and invalid UTF-8
 * are shown as \xNN per byte, in a marked span. s may be NULL (nothing). */
void h_esc(FILE *f, const char *s);
/* The same without markup (the \xNN as four characters): for <title>
 * and attribute values. */
void h_esc_plain(FILE *f, const char *s);
/* s isolated for the bidirectional algorithm, its direction taken from
 * its own first strong character: <bdi>s</bdi>. */
void h_bdi(FILE *f, const char *s);

/* 4581255 -> "4,581,255" */
const char *h_grp(uint64_t v, char buf[32]);
/* num/den as a percent rounded half up at `decimals` decimals
 * (rc_percent_from_ratio: the one rounding rule) followed by " %"; an
 * en dash when den is 0 or the value has no percent form. */
void h_pct(FILE *f, uint64_t num, uint64_t den, uint8_t decimals);
/* v scaled from [0, max] to [0, w] pixels, rounded down (0 when max is 0;
 * w <= 4096; never more than w). */
unsigned h_scale(uint64_t v, uint64_t max, unsigned w);
/* a + b, stuck at UINT64_MAX instead of wrapping */
uint64_t h_sat_add(uint64_t a, uint64_t b);

/* The completeness section (html_counted.c). */
void html_completeness(FILE *f, const struct rc_record_report *rep);
/* The charts section (html_svg.c). */
void html_charts(FILE *f, const struct rc_record_report *rep);
/* The findings section, grouped by district (html_findings.c). */
void html_findings(FILE *f, const struct rc_record_report *rep);
/* The district index a finding belongs to: its manifest index, or
 * ndistricts for a finding naming no district, ndistricts + 1 for one
 * naming a district that is not in the manifest. */
size_t html_finding_group(const struct rc_record_report *rep,
                          const struct rc_finding *fd);
#endif
