/* cmd.h — the commands of recount-verify (each returns the exit status:
 * 0 every check passed, 1 a check failed, 2 could not run). */
#ifndef RC_VERIFY_CMD_H
#define RC_VERIFY_CMD_H

#include "record.h"

/* `recount-verify receipt --anchor FILE RECEIPT` */
int rc_receipt_main(int argc, char **argv);

/* (v1.1, previous.c) earlier checkpoints read for --previous. */
struct rc_previous_list {
  struct rc_previous *v;
  uint8_t **bufs;
  char **names;
  size_t n;
};
/* Reads path (at most RC_SMALL_TEXT_MAX bytes) and adds it, named prefix
 * followed by the file's base name. Returns 0, or -1 after saying why on
 * stderr (exit 2: it could not run). */
int rc_previous_add(struct rc_previous_list *pl, const char *path,
                    const char *prefix);
void rc_previous_free(struct rc_previous_list *pl);

/* (v1.1, cmd_diff.c) `recount-verify diff --anchor A [--json] OLD NEW` */
int rc_diff_main(int argc, char **argv);
#endif
