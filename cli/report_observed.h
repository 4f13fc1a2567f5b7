/* report_observed.h — the observers' own copies in the reports
 * (cli/report_observed.c); each writes nothing without --observed. */
#ifndef RC_REPORT_OBSERVED_H
#define RC_REPORT_OBSERVED_H
#include <stdio.h>

#include "record.h"

/* ,"observed":{"sheets":N,...} — inside the JSON object. */
void rc_report_observed_json(FILE *out, const struct rc_record_report *rep);
/* The section of the human report: counts and the stations covered. */
void rc_report_observed_human(FILE *out, const struct rc_record_report *rep);
#endif
