/* report.h — the one report module: everything the programs show of a
 * library result is written here. A checked record as the human report or
 * the JSON object of RECORD.md §5, findings one per line, and the receipt
 * check. Output depends only on the result, so the same record gives
 * byte-identical output whatever the thread count. */
#ifndef RC_REPORT_H
#define RC_REPORT_H
#include <stdio.h>

#include "receipt_check.h"
#include "record.h"

/* Writes the JSON object (one line, then '\n'). */
void rc_report_json(FILE *out, const struct rc_record_report *rep);
/* Writes the human report. record_path is shown as given. */
void rc_report_human(FILE *out, const struct rc_record_report *rep,
                     const char *record_path, const struct rc_vkey *anchor);
/* Appends s as a JSON string literal (quotes included); invalid UTF-8
 * bytes become U+FFFD, control characters are escaped. */
void rc_json_str(FILE *out, const char *s);

/* How one finding is laid out: in the human report (indented, message on
 * its own line) or on one line "severity CODE ...: message" (commit and
 * prove list the findings that refuse a record this way). */
enum rc_finding_layout { RC_FINDING_INDENTED, RC_FINDING_LINE };
void rc_report_finding(FILE *out, const struct rc_finding *f,
                       enum rc_finding_layout layout);
/* Every finding of rep, RC_FINDING_LINE. */
void rc_report_findings(FILE *out, const struct rc_record_report *rep);
/* The receipt check: one line per check, the station's figures, the
 * verdict. */
void rc_report_receipt(FILE *out, const struct rc_receipt_result *res);

/* (v1.1, report_log.c) the release log: `,"log":{...}` for the JSON
 * report, after "districts"; one "release log" line for the human one. */
void rc_report_json_log(FILE *out, const struct rc_record_report *rep);
void rc_report_human_log(FILE *out, const struct rc_record_report *rep);
#endif
