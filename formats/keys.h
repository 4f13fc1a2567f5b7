/* keys.h — verifier-key encodings (Go sumdb/note) and key ids.
 *   verifier key: <name>+<8 lowercase hex key id>+<base64(0x01 || pubkey)>
 *   key id      : first 4 bytes of SHA-256(name || 0x0A || 0x01 || pubkey)
 * Key names are non-empty, at most RC_KEYNAME_MAX bytes, contain no
 * whitespace, no '+', and (our choice, as Go does) only printable ASCII or
 * UTF-8 without control characters. Signer keys are parsed only by
 * sign/ (recount-verify links no code that reads secret keys). */
#ifndef RC_KEYS_H
#define RC_KEYS_H
#include "rc.h"

/* A verifier key. name points into memory owned by the caller (the parsed
 * input, or an arena); it is NOT NUL-terminated. */
struct rc_vkey {
  const char *name;
  size_t namelen;
  uint8_t id[4];
  uint8_t pk[32];
};

/* Returns 1 if name[0..n) is a valid key name, else 0. */
int rc_keyname_valid(const char *name, size_t n);

/* Computes the key id of (name, pk). */
void rc_key_id(const char *name, size_t n, const uint8_t pk[32], uint8_t id[4]);

/* Parses a verifier key string s[0..n) (no trailing newline). out->name
 * points into s. Checks the key id against name and key. Does not judge
 * the key's strength (see rc_pubkey_check). */
RC_WUR int rc_vkey_parse(const char *s, size_t n, struct rc_vkey *out,
                         struct rc_error *err);

/* Appends the canonical encoding of k to b. */
void rc_vkey_encode(const struct rc_vkey *k, struct rc_buf *b);

/* Reads a file holding one verifier key and a newline (an anchor).
 * namebuf (>= RC_KEYNAME_MAX+1 bytes) receives the name; out->name points
 * to it. Errors name the file. */
RC_WUR int rc_vkey_read_file(const char *path, struct rc_vkey *out,
                             char *namebuf, struct rc_error *err);

/* The same with another parser of the key line (cosig.h's witness keys). */
typedef int (*rc_key_parser)(const char *s, size_t n, struct rc_vkey *out,
                             struct rc_error *err);
RC_WUR int rc_key_read_file(const char *path, rc_key_parser parse,
                            struct rc_vkey *out, char *namebuf,
                            struct rc_error *err);
#endif
