/* note.h — C2SP signed notes.
 *
 * A note is UTF-8 text ending in '\n', an empty line, then 1..16 signature
 * lines "— <name> <base64(4-byte key id || signature)>\n". No ASCII control
 * characters other than '\n' anywhere. The signature covers the text
 * including its final newline.
 *
 * rc_note_parse splits one complete note at its LAST empty line (the C2SP
 * rule; a note text may contain empty lines). rc_note_next frames one note
 * out of a concatenation (RECORD.md §4 sheets files): the text runs to the
 * FIRST empty line (record texts contain none), and signature lines follow
 * up to the first line that does not begin with "— ". Signing a note is
 * declared in sign/signing.h (rc_note_sigline). */
#ifndef RC_NOTE_H
#define RC_NOTE_H
#include "ed25519.h"
#include "keys.h"
#include "rc.h"

struct rc_sigline {
  const char *name;      /* points into the parsed buffer */
  size_t namelen;
  uint8_t keyid[4];
  uint8_t sig[64];
  size_t siglen;         /* decoded signature bytes after the key id */
};

struct rc_note {
  const uint8_t *text;   /* points into the parsed buffer */
  size_t textlen;        /* includes the text's final '\n' */
  size_t nsigs;
  struct rc_sigline sigs[RC_NOTE_MAX_SIGS];
};

/* Parses buf[0..len) as exactly one signed note. */
RC_WUR int rc_note_parse(const uint8_t *buf, size_t len, struct rc_note *out,
                         struct rc_error *err);

/* Frames the next note from buf[0..len): on success *consumed is the number
 * of bytes it occupies (text, empty line, signature lines). On an error,
 * *consumed is 0 and err names the line (relative to buf, 1-based) and the
 * problem; the caller cannot frame the rest of the file. */
RC_WUR int rc_note_next(const uint8_t *buf, size_t len, size_t *consumed,
                        struct rc_note *out, struct rc_error *err);

/* Finds where the next note of a concatenation ends, by the framing rule
 * of RECORD.md §4 only: the text runs to the first empty line, then every
 * following line that begins with "— " belongs to it. Nothing inside is
 * checked (rc_note_next does that). Returns RC_OK with *used > 0, or an
 * error naming the line when the rest of buf cannot be framed: no empty
 * line, an empty text, a line without its newline, or a text longer than
 * RC_NOTE_MAX. */
RC_WUR int rc_note_span(const uint8_t *buf, size_t len, size_t *used,
                        struct rc_error *err);

/* Result of checking a note's signatures against a set of known keys. */
struct rc_note_check {
  size_t verified;       /* signature lines by known keys that verified */
  size_t failed;         /* signature lines by known keys that failed */
  size_t disagreed;      /* of those, libsodium and OpenSSL disagreed */
  size_t unknown;        /* lines by keys not in the set (ignored) */
  /* per known key (index into keys[]): 1 verified, -1 failed, -2 crypto
   * disagreement, 0 no line. keystat has nkeys entries (caller-provided,
   * may be NULL). */
};

/* Checks every signature line of n against keys[0..nkeys): a line matches
 * a key when both name and key id equal. Lines that match no key are
 * counted as unknown. Returns RC_OK when at least one known key verified
 * and no known key failed, RC_ERR_SIG otherwise. keystat (may be NULL)
 * receives per-key results as described above. */
RC_WUR int rc_note_verify(const struct rc_note *n, const struct rc_vkey *keys,
                          size_t nkeys, enum rc_crypto_mode mode,
                          struct rc_note_check *res, int *keystat);

/* The count-sheet rule (RECORD.md §3): 1 when at least one signature line
 * by key (same name and key id, 64-byte signature) verifies under mode, so
 * a stray failing line by the same key does not void a valid one; else 0.
 * `prove` and the receipt check call it; the engine (verify/record.c)
 * applies the same rule in its own loop, which also checks every line for
 * crypto disagreements and witness co-signatures in the same pass. */
int rc_note_signed_by(const struct rc_note *n, const struct rc_vkey *key,
                      enum rc_crypto_mode mode);

/* Returns 1 if buf[0..len) contains no ASCII control character other than
 * '\n' and is valid UTF-8, else 0. */
int rc_text_clean(const uint8_t *buf, size_t len);
#endif
