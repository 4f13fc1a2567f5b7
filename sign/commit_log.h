/* commit_log.h — (v1.1) the release log that `commit` writes (log.txt,
 * RECORD.md §3), from the checked record and, with --previous, the log of
 * the earlier release it extends. */
#ifndef RC_COMMIT_LOG_H
#define RC_COMMIT_LOG_H
#include "commit.h"

/* res->rep must be a check of the record with keep_leaves and no error.
 * Appends log.txt to log and sets c->size and c->root (the log tree).
 * Without previous the log is every district-tree leaf in station-id
 * order, then by bytes; with previous (an earlier release's directory) it
 * is previous/log.txt, each entry kept in place, then the sheets that are
 * new in that order. Returns RC_DONE, RC_REFUSED (a sheet of the earlier
 * release is gone or changed: res->why names the station) or RC_FAILED. */
RC_WUR enum rc_outcome rc_commit_log(struct rc_commit_result *res,
                                     const char *previous, struct rc_buf *log,
                                     struct rc_checkpoint *c);
#endif
