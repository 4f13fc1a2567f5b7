/* cosig.h — C2SP tlog-cosignature/v1 (RECORD.md §1, §3): witness keys and
 * the cosignature lines a witness appends to a checkpoint note.
 *
 *   verifier key : <name>+<8 lowercase hex key id>+<base64(0x04 || pubkey)>
 *   key id       : first 4 bytes of SHA-256(name || 0x0A || 0x04 || pubkey)
 *   signed bytes : "cosignature/v1\ntime <T>\n" || checkpoint note text
 *   line         : "— <name> <base64(key id || 8-byte big-endian T ||
 *                   64-byte Ed25519 signature)>"  (76 decoded bytes)
 *
 * T is seconds since the Unix epoch, written in decimal without leading
 * zeros. Keys use struct rc_vkey (keys.h); only the type byte and the key
 * id differ from note keys. Signing is in sign/ (rc_cosig_sign). */
#ifndef RC_COSIG_H
#define RC_COSIG_H
#include "ed25519.h"
#include "keys.h"
#include "rc.h"

#define RC_COSIG_TYPE 0x04
#define RC_COSIG_RAW 76 /* key id + time + signature */

/* Computes the cosignature key id of (name, pk). */
void rc_cosig_key_id(const char *name, size_t n, const uint8_t pk[32],
                     uint8_t id[4]);

/* Parses a cosignature verifier key s[0..n) (no newline); out->name points
 * into s. Errors (RC_ERR_KEY, RC_ERR_KEYID) name the field: "key name",
 * "key id", "key" (not base64 of 33 bytes, or a type byte other than
 * 0x04: a note key given as a witness key is refused with that said). */
RC_WUR int rc_cosig_vkey_parse(const char *s, size_t n, struct rc_vkey *out,
                               struct rc_error *err);
/* Appends the canonical encoding of k (type 0x04) to b. */
void rc_cosig_vkey_encode(const struct rc_vkey *k, struct rc_buf *b);
/* Reads a file holding one cosignature verifier key and a newline. namebuf
 * (>= RC_KEYNAME_MAX+1 bytes) receives the name. Errors name the file. */
RC_WUR int rc_cosig_vkey_read_file(const char *path, struct rc_vkey *out,
                                   char *namebuf, struct rc_error *err);

/* Appends the signed message for time t and checkpoint note text
 * text[0..len) (the text up to and including its final newline). */
void rc_cosig_message(const uint8_t *text, size_t len, uint64_t t,
                      struct rc_buf *b);

/* One parsed signature line that may be a cosignature. */
struct rc_cosig_line {
  const char *name; /* points into the parsed line */
  size_t namelen;
  uint8_t id[4];
  size_t rawlen;   /* decoded bytes (key id included) */
  uint64_t time;   /* valid when rawlen == RC_COSIG_RAW */
  uint8_t sig[64]; /* valid when rawlen == RC_COSIG_RAW */
};

/* Parses one signature line s[0..n) without its newline: "— " <key name>
 * " " <canonical base64 of at least 5 bytes> (any length up to 6144
 * bytes, so that a line of another type is read and then ignored).
 * RC_ERR_SYNTAX otherwise (field "signature"). */
RC_WUR int rc_cosig_line_parse(const uint8_t *s, size_t n,
                               struct rc_cosig_line *out, struct rc_error *err);
/* Appends "— <name> <base64(id || T || sig)>\n" for key k. */
void rc_cosig_line_encode(const struct rc_vkey *k, uint64_t t,
                          const uint8_t sig[64], struct rc_buf *b);

/* Verifies line l (rawlen must be RC_COSIG_RAW, name and id k's) over
 * checkpoint text[0..len) under mode. RC_SIG_ERROR when out of memory. */
RC_WUR enum rc_sig_result rc_cosig_verify(const struct rc_vkey *k,
                                          const uint8_t *text, size_t len,
                                          const struct rc_cosig_line *l,
                                          enum rc_crypto_mode mode,
                                          int *sodium_ok, int *ossl_ok);

/* ---- a checkpoint note's cosignatures, per witness ---- */
/* A cosignature more than this many seconds after the verifier's clock is
 * refused as from the future (clocks drift; C2SP leaves the bound to the
 * verifier). */
#define RC_COSIG_FUTURE_MAX 600
#define RC_COSIG_LINES_MAX 100 /* signature lines read per note */

enum rc_wstatus { RC_W_ABSENT = 0, RC_W_COSIGNED, RC_W_INVALID };
enum rc_cosig_fail {
  RC_CF_NONE = 0,
  RC_CF_LENGTH,    /* decoded length other than 76 */
  RC_CF_FUTURE,    /* time after now + RC_COSIG_FUTURE_MAX */
  RC_CF_SIGNATURE, /* the signature does not verify */
  RC_CF_DISAGREE   /* libsodium and OpenSSL disagree */
};
struct rc_witness_result {
  enum rc_wstatus status;  /* cosigned when one line verified */
  uint64_t time;           /* cosigned: that line's time */
  size_t nfailed;          /* lines with the witness's name and id that
                              failed (also when another one verified) */
  size_t fail_line;        /* 1-based note line of the first failing one */
  enum rc_cosig_fail fail; /* why it failed */
  size_t fail_len;         /* its decoded length */
  uint64_t fail_time;      /* its time (when 76 bytes) */
};

/* Splits note[0..len) at its last empty line (C2SP) and checks, for every
 * witness w[i], the signature lines (at most RC_COSIG_LINES_MAX; lines
 * that are no signature line are skipped) that carry its name and key id:
 * res[i] says cosigned, absent or invalid and why. now is the verifier's
 * clock (seconds since the epoch). Returns RC_OK, RC_ERR_SYNTAX (err
 * names the line: no empty line, or a note not ending in a newline) or
 * RC_ERR_NOMEM. */
RC_WUR int rc_cosig_check_note(const uint8_t *note, size_t len,
                               const struct rc_vkey *w, size_t nw, uint64_t now,
                               enum rc_crypto_mode mode,
                               struct rc_witness_result *res,
                               struct rc_error *err);
#endif
