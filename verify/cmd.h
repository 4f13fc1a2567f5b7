/* cmd.h — the commands of recount-verify (each returns the exit status:
 * 0 every check passed, 1 a check failed, 2 could not run). */
#ifndef RC_VERIFY_CMD_H
#define RC_VERIFY_CMD_H

/* `recount-verify receipt --anchor FILE RECEIPT` */
int rc_receipt_main(int argc, char **argv);
/* `recount-verify evidence --anchor FILE DIR` (cmd_evidence.c) */
int rc_evidence_main(int argc, char **argv);

struct rc_record_report;
/* 0 when dir can be opened as a directory; else says why on stderr
 * (evidence_out.c; an --observed DIR that cannot be read is a usage
 * error, exit 2, never a silently empty observation). */
int rc_observed_dir_usable(const char *dir);
/* `record --evidence DIR` (evidence_out.c): writes DIR/<station>/ for
 * each equivocating station of rep; never inside record, never over an
 * existing file. Returns 0, or -1 after saying why on stderr. */
int rc_evidence_write(const char *dir, const char *record,
                      const struct rc_record_report *rep);
#endif
