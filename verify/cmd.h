/* cmd.h — the commands of recount-verify (each returns the exit status:
 * 0 every check passed, 1 a check failed, 2 could not run). */
#ifndef RC_VERIFY_CMD_H
#define RC_VERIFY_CMD_H

/* `recount-verify receipt --anchor FILE RECEIPT` */
int rc_receipt_main(int argc, char **argv);
#endif
