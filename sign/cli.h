/* cli.h — the parts of recount-sign's command line outside sign/main.c:
 * reporting what commit and prove did (sign/cli_commit.c) and the
 * manifest command (sign/cli_manifest.c). */
#ifndef RC_SIGN_CLI_H
#define RC_SIGN_CLI_H
#include "commit.h"

/* Reports on stderr how `recount-sign CMD` (commit or prove) ended: the
 * findings that belong to it, then why it did not succeed or what was
 * committed. Frees res. Returns the exit status (0 done, 1 refused, 2
 * could not run). */
int rc_cli_commit_outcome(const char *cmd, enum rc_outcome out,
                          struct rc_commit_result *res);

/* Writes the receipt built by rc_prove to path (atomically; an existing
 * file only with force) or, when path is NULL, to standard output.
 * Returns RC_DONE, or RC_FAILED with res->why set. */
enum rc_outcome rc_cli_write_receipt(struct rc_commit_result *res,
                                     const char *path, int force);

/* `recount-sign manifest`: argv holds the options after "manifest". Prints,
 * writes --out or standard output, returns the exit status (0, 1 refused,
 * 2 usage or I/O). */
int rc_cmd_manifest(int argc, char **argv);
extern const char rc_cmd_manifest_usage[];
extern const char rc_cmd_manifest_help[];
#endif
