/* report.h — the one report module: everything the programs show of a
 * library result is written here. A checked record as the human report,
 * the JSON object of RECORD.md v1.1 §6 or the CSV tables, findings one
 * per line, and (report_receipt.c) the receipt check. Output depends only on
 * the result, so the same record gives byte-identical output whatever the
 * thread count. Every byte that comes from a record reaches a terminal escaped
 * (rc_put_esc). */
#ifndef RC_REPORT_H
#define RC_REPORT_H
#include <stdio.h>

#include "receipt_check.h"
#include "record.h"

/* Writes the JSON object "recount-report/v1.1" (one line, then '\n'). */
void rc_report_json(FILE *out, const struct rc_record_report *rep,
                    const struct rc_vkey *anchor);
/* The one JSON object of a run that could not run (exit 2): verdict
 * "error" and the reason. */
void rc_report_json_error(FILE *out, const char *reason);
/* Writes the human report. record_path is shown as given. */
void rc_report_human(FILE *out, const struct rc_record_report *rep,
                     const char *record_path, const struct rc_vkey *anchor);
/* Writes DIR/districts.csv and DIR/stations.csv (csv_report.c): the
 * report must come from a check with opts.keep_station_figures. Creates
 * DIR when absent; never overwrites a file (each is written to a
 * temporary name and linked into place). Returns 0, or -1 with why in
 * err. */
/* Before the check: refuses (-1, why in err) a DIR that already holds
 * either file or that lies inside the record (the verifier never writes
 * inside RECORD). */
int rc_report_csv_precheck(const char *dir, const char *record, char *err,
                           size_t errlen);
int rc_report_csv(const char *dir, const struct rc_record_report *rep,
                  char *err, size_t errlen);

/* Appends s as a JSON string literal (quotes included); invalid UTF-8
 * bytes become U+FFFD, control characters are escaped. */
void rc_json_str(FILE *out, const char *s);
/* Writes s for a terminal: valid UTF-8 as is, except that control
 * characters, C1 controls, bidi overrides, backslash and invalid bytes are
 * written as \xNN (backslash as \\). */
void rc_put_esc(FILE *out, const char *s);
/* The same, into one of a few static buffers (for fprintf arguments;
 * strings up to 4,096 bytes). */
const char *rc_esc(const char *s);
/* "name+1234abcd" */
void rc_key_label(const struct rc_vkey *k, char *out, size_t n);
const char *rc_crypto_str(enum rc_crypto_mode mode); /* "both" ... */
/* The figure line as published ("district d1 share yes 52.10"). */
void rc_fig_line(const struct rc_figure *f, char *out, size_t n);
/* The recomputed value as published would write it (a count, or the
 * percent rounded half up at the published decimals). */
void rc_fig_recomputed(const struct rc_fig_result *r, char *out, size_t n);

/* How one finding is laid out: in the human report (indented, message on
 * its own line) or on one line "severity CODE ...: message" (commit and
 * prove list the findings that refuse a record this way). */
enum rc_finding_layout { RC_FINDING_INDENTED, RC_FINDING_LINE };
void rc_report_finding(FILE *out, const struct rc_finding *f,
                       enum rc_finding_layout layout);
/* Every finding of rep, RC_FINDING_LINE. */
void rc_report_findings(FILE *out, const struct rc_record_report *rep);
/* (report_receipt.c) the receipt check: one line per check, the
 * witnesses, the station's figures, the verdict; or the JSON object
 * "recount-receipt/v1". file is the receipt's path as given. */
void rc_report_receipt(FILE *out, const struct rc_receipt_result *res,
                       const char *file);
void rc_report_receipt_json(FILE *out, const struct rc_receipt_result *res,
                            const char *file);

/* (v1.1, report_log.c) the release log: `,"log":{...}` for the JSON
 * report, after "districts"; one "release log" line for the human one. */
void rc_report_json_log(FILE *out, const struct rc_record_report *rep);
void rc_report_human_log(FILE *out, const struct rc_record_report *rep);
#endif
