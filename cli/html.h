/* html.h — the observer's report as one HTML file (`recount-verify record
 * --html FILE`): self-contained (inline CSS and SVG, no script, nothing
 * loaded: a Content-Security-Policy forbids both), deterministic (the
 * bytes depend only on the report and the anchor: no time, no path, no
 * thread count), every byte from the record escaped and UTF-8-checked.
 * It shows the verdict in words, the published figures against the
 * recount, completeness and outcome bounds, the districts, three charts
 * (choice shares, turnout per district, the stations' turnout x leading
 * share histogram) and the findings grouped by district. The fingerprint
 * chart needs per-station figures: run the check with
 * opts.keep_station_figures set (otherwise the chart says it has none). */
#ifndef RC_HTML_H
#define RC_HTML_H
#include <stdio.h>

#include "record.h"

/* Writes the whole document to out. rep must have run (not fatal). */
void rc_report_html(FILE *out, const struct rc_record_report *rep,
                    const struct rc_vkey *anchor);

/* Writes the document to path atomically: into a new temporary file
 * beside it, synced, then linked to path, which must not exist (an
 * existing file, even one created meanwhile, is never replaced). Returns
 * RC_OK, RC_ERR_EXISTS, RC_ERR_IO or RC_ERR_NOMEM with err->msg naming
 * path; on failure nothing is left behind. */
RC_WUR int rc_report_html_write(const char *path,
                                const struct rc_record_report *rep,
                                const struct rc_vkey *anchor,
                                struct rc_error *err);
#endif
