/* cli.h — the parts of recount-sign's command line outside sign/main.c:
 * reporting what commit and prove did (sign/cli_commit.c). */
#ifndef RC_SIGN_CLI_H
#define RC_SIGN_CLI_H
#include "commit.h"
#include "skey.h"

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

/* Loads a signer key file, asking for the passphrase when it is encrypted
 * (from passfile when given). cosign 0 wants a note signing key, 1 a
 * witness cosignature key; the other kind is refused. On failure prints
 * why, sets rc_cli_load_status (1 refused: wrong passphrase, bad key file,
 * loose permissions, the other kind; 2 I/O) and returns NULL. */
struct rc_skey *rc_cli_load_key(const char *path, const char *passfile,
                                int cosign);
extern int rc_cli_load_status;

/* `recount-sign witness` (sign/cli_witness.c). */
int rc_cli_witness(int argc, char **argv);
extern const char rc_cli_witness_usage[], rc_cli_witness_help[];
#endif
