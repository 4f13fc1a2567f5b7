/* report.h — rendering a checked record: the human report and the JSON
 * object of RECORD.md §5. Output depends only on the report, so the same
 * record gives byte-identical output whatever the thread count. */
#ifndef RC_REPORT_H
#define RC_REPORT_H
#include <stdio.h>

#include "record.h"

/* Writes the JSON object (one line, then '\n'). */
void rc_report_json(FILE *out, const struct rc_record_report *rep);
/* Writes the human report. record_path is shown as given. */
void rc_report_human(FILE *out, const struct rc_record_report *rep,
                     const char *record_path, const struct rc_vkey *anchor);
/* Appends s as a JSON string literal (quotes included); invalid UTF-8
 * bytes become U+FFFD, control characters are escaped. */
void rc_json_str(FILE *out, const char *s);
#endif
