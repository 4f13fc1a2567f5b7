/* commit.h — the commission's side of a record: commitments and receipts. */
#ifndef RC_COMMIT_H
#define RC_COMMIT_H
#include <stdio.h>

#include "record.h"
#include "skey.h"

/* Checks every sheet of RECORD against its manifest (which must be signed
 * by key), and when there is no error finding writes districts.txt and
 * checkpoint.note atomically. Findings are listed on msgs. Returns 0 on
 * success, 1 when refused (findings, or files exist without force), 2 on
 * I/O or usage errors. threads 0 = all CPUs. */
int rc_commit(const char *record, const struct rc_skey *key, int force,
              unsigned threads, FILE *msgs);

/* Builds the receipt for one station of a fully consistent record (the
 * whole record is checked first against anchor, with threads workers, 0 =
 * all CPUs) and writes it to out_path (or stdout when NULL). Returns 0,
 * 1 (refused) or 2 (I/O, usage). */
int rc_prove(const char *record, const struct rc_vkey *anchor,
             const char *station, const char *out_path, int force,
             unsigned threads, FILE *msgs);

/* Prints each finding of rep on out, one per line. */
void rc_print_findings(FILE *out, const struct rc_record_report *rep);
#endif
