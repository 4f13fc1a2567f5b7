/* cli.h — the parts of recount-sign's command line outside sign/main.c:
 * reporting what commit and prove did (sign/cli_commit.c), the helpers
 * every command shares (sign/cli_util.c) and the commands that live in
 * their own files (sign/cli_manifest.c, cli_sheet.c, cli_sign.c,
 * cli_cosign.c, cli_publish.c). Each command takes the arguments after its
 * name and returns the exit status: 0 done, 1 refused, 2 usage or I/O. */
#ifndef RC_SIGN_CLI_H
#define RC_SIGN_CLI_H
#include <stdio.h>

#include "commit.h"
#include "skey.h"

/* "recount-sign CMD: <message>\n" on stderr; returns 2. */
int rc_cli_fail(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* "recount-sign CMD: refused: <message>\n" on stderr; returns 1. */
int rc_cli_refuse(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* "recount-sign CMD: bad argument: MSG" and the usage line; returns 2. */
int rc_cli_usage(const char *cmd, const char *usage, const char *msg);

/* A count from the command line: 0 or [1-9][0-9]{0,14}. 0 or -1. */
int rc_cli_count(const char *s, uint64_t *v);

/* Loads a signer key from path ("-" and /dev/fd/N read a pipe: see
 * rc_skey_read), asking for the passphrase (passfile, or the terminal)
 * when it is encrypted. On failure prints why and sets *status to 1 (the
 * key was refused: a bad key file, a wrong passphrase, loose permissions)
 * or 2 (I/O, usage); returns NULL. */
struct rc_skey *rc_cli_load_key(const char *cmd, const char *path,
                                const char *passfile, int *status);

/* Writes b to path (atomically; an existing file only with force) or to
 * standard output when path is NULL. Returns the exit status (an existing
 * file: 1). */
int rc_cli_emit(const char *cmd, const char *path, const struct rc_buf *b,
                int force);

/* A file name as shown in messages: control bytes and bytes >= 0x80
 * escaped as \xNN (file names come from users and from records). */
const char *rc_cli_name(const char *path, char *out, size_t outlen);

/* What a record text looks like and why it cannot be signed. */
struct rc_text_kind {
  const char *what;    /* "count sheet", ... ("" when unrecognised) */
  struct rc_error err; /* the first offending line and field */
};
/* Checks t[0..n) as a text `sign` accepts: a manifest, count sheet (that
 * balances, ballots <= registered), published figures or checkpoint.
 * Returns RC_OK, or an error with k filled (BOM, CR LF, an already signed
 * note named as such). */
RC_WUR int rc_text_check(const uint8_t *t, size_t n, struct rc_text_kind *k);
/* Names a UTF-8 byte order mark or a carriage return (Windows line
 * endings) in t[0..n) with its line; RC_OK when there is neither. */
RC_WUR int rc_text_bom_crlf(const uint8_t *t, size_t n, struct rc_error *err);
/* Prints "recount-sign CMD: refused: FILE: <what>: line N, field F: msg". */
void rc_text_refusal(const char *cmd, const char *file,
                     const struct rc_text_kind *k);

/* Reads --manifest path (a signed manifest.note, or the bare text) into
 * m; with anchor (a verifier-key file) the note must be signed by it.
 * Prints why not and returns the exit status (0: m filled, free it with
 * rc_manifest_free). */
struct rc_manifest;
int rc_cli_read_manifest(const char *cmd, const char *path, const char *anchor,
                         struct rc_manifest *m);

int rc_cli_sheet(int argc, char **argv);
int rc_cli_sign(int argc, char **argv);
int rc_cli_cosign(int argc, char **argv);
int rc_cli_publish(int argc, char **argv);
extern const char rc_cli_sheet_usage[], rc_cli_sheet_help[];
extern const char rc_cli_sign_usage[], rc_cli_sign_help[];
extern const char rc_cli_cosign_usage[], rc_cli_cosign_help[];
extern const char rc_cli_publish_usage[], rc_cli_publish_help[];

/* Reports on stderr how `recount-sign CMD` (commit or prove) ended: the
 * findings that belong to it, then why it did not succeed or what was
 * committed. Frees res. Returns the exit status (0 done, 1 refused, 2
 * could not run). */
int rc_cli_commit_outcome(const char *cmd, enum rc_outcome out,
                          struct rc_commit_result *res);

/* `recount-sign prove` (sign/cli_prove.c). */
int rc_cli_prove(int argc, char **argv);
extern const char rc_cli_prove_usage[], rc_cli_prove_help[];

/* `recount-sign manifest`: argv holds the options after "manifest". Prints,
 * writes --out or standard output, returns the exit status (0, 1 refused,
 * 2 usage or I/O). */
int rc_cmd_manifest(int argc, char **argv);
extern const char rc_cmd_manifest_usage[];
extern const char rc_cmd_manifest_help[];

/* As rc_cli_load_key, for a key of one kind: cosign 0 a note signing key,
 * 1 a witness cosignature key (keygen --cosign); the other kind is refused
 * (*status 1) with a message saying what the key is for. */
struct rc_skey *rc_cli_load_signer(const char *cmd, const char *path,
                                   const char *passfile, int cosign,
                                   int *status);

/* `recount-sign witness` (sign/cli_witness.c). */
int rc_cli_witness(int argc, char **argv);
extern const char rc_cli_witness_usage[], rc_cli_witness_help[];
#endif
