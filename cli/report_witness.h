/* report_witness.h — the witnesses part of the record report (RECORD.md
 * §6): each --witness key as cosigned (with its time), absent or invalid,
 * and the quorum. */
#ifndef RC_REPORT_WITNESS_H
#define RC_REPORT_WITNESS_H
#include <stdio.h>

#include "record.h"

/* Writes `,"witnesses":[...]` (an empty array when none were given). */
void rc_report_witnesses_json(FILE *out, const struct rc_record_report *rep);
/* Writes the "Witnesses" section; nothing when no witness was given. */
void rc_report_witnesses_human(FILE *out, const struct rc_record_report *rep);
/* The same for any list of witness results (the receipt check's):
 * keys[i] is the key of res[i]. */
void rc_report_witness_list_json(FILE *out, const struct rc_witness_result *res,
                                 const struct rc_vkey *keys, size_t n);
void rc_report_witness_list_human(FILE *out,
                                  const struct rc_witness_result *res,
                                  const struct rc_vkey *keys, size_t n,
                                  size_t quorum, size_t cosigned);
#endif
