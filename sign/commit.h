/* commit.h — the commission's side of a record: commitments and receipts.
 * Both run the verifier's engine, so the commission commits exactly what
 * observers will recompute. Neither prints: the result says what happened
 * and the command line reports it (cli/report.h lists the findings). */
#ifndef RC_COMMIT_H
#define RC_COMMIT_H
#include "record.h"
#include "skey.h"

/* How rc_commit or rc_prove ended. */
enum rc_outcome {
  RC_DONE = 0, /* done: the commitment is written, the receipt built */
  RC_REFUSED,  /* the record does not allow it (error findings, an
                  existing commitment, a total too large, an unknown
                  station): nothing was written */
  RC_FAILED    /* could not run: I/O, memory, signing; nothing was left
                  half written */
};

struct rc_commit_result {
  struct rc_record_report rep; /* the check the result rests on */
  int list_findings;           /* rep's findings belong to the result:
                                  commit lists them always, prove when
                                  they refuse the record */
  struct rc_error err;         /* the cause when not RC_DONE */
  char why[4352];              /* the sentence to show when not RC_DONE
                                  ("" when there is nothing to add) */
  /* rc_commit, when RC_DONE */
  size_t districts;
  uint64_t counted;  /* counted sheets */
  size_t warnings;   /* warning findings (listed in rep) */
  rc_hash root;      /* election root of the checkpoint */
  uint64_t log_size; /* (v1.1) entries of log.txt */
  rc_hash log_root;  /* (v1.1) the log tree root */
  /* rc_prove, when RC_DONE: the receipt bytes; rc_prove_each: the
   * receipts handed over */
  struct rc_buf receipt;
  size_t receipts;
};

/* Checks every sheet of record against its manifest (which must be signed
 * by key), and when there is no error finding writes districts.txt,
 * log.txt and checkpoint.note atomically (without force, never over existing
 * files). threads 0 = all CPUs. res must be freed with rc_commit_result_free.
 */
RC_WUR enum rc_outcome rc_commit(const char *record, const struct rc_skey *key,
                                 int force, unsigned threads,
                                 struct rc_commit_result *res);

/* (v1.1) rc_commit that also writes log.txt: with previous (an earlier
 * release's record directory, or NULL) the earlier log is kept in place
 * and the new sheets appended; a sheet of the earlier release that is gone
 * or changed is RC_REFUSED, naming the station. */
RC_WUR enum rc_outcome rc_commit_previous(const char *record,
                                          const struct rc_skey *key,
                                          const char *previous, int force,
                                          unsigned threads,
                                          struct rc_commit_result *res);

/* (v1.1, prove.c) Receipts as C2SP tlog-proof@v1 files (RECORD.md §5).
 * The whole record is checked first against anchor (threads workers, 0 =
 * all CPUs); any error finding but OUTCOME_NOT_DETERMINED refuses it.
 * rc_prove_each hands the receipt of station (or, when station is NULL,
 * of every station whose sheet is in the release log) to emit, in the
 * order the sheets are found; emit returns 0, or after setting res->why
 * 1 (the run ends RC_REFUSED: e.g. the file exists) or -1 (RC_FAILED). A
 * station of the manifest without a counted sheet is RC_REFUSED. res must be
 * freed with rc_commit_result_free. */
typedef int (*rc_prove_emit)(void *ctx, const char *station,
                             const struct rc_buf *receipt);
RC_WUR enum rc_outcome rc_prove_each(const char *record,
                                     const struct rc_vkey *anchor,
                                     const char *station, unsigned threads,
                                     rc_prove_emit emit, void *ctx,
                                     struct rc_commit_result *res);
/* The receipt of one station, into res->receipt. */
RC_WUR enum rc_outcome rc_prove(const char *record,
                                const struct rc_vkey *anchor,
                                const char *station, unsigned threads,
                                struct rc_commit_result *res);

void rc_commit_result_free(struct rc_commit_result *res);
#endif
