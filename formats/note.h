/* note.h — C2SP signed notes.
 *
 * A note is UTF-8 text ending in '\n', an empty line, then one or more
 * signature lines "— <name> <base64(4-byte key id || signature)>\n". No
 * ASCII control characters other than '\n' in the text. The signature
 * covers the text including its final newline.
 *
 * Signature lines never make a note unparseable (RECORD.md §1, v1.1): a
 * line that begins with "— " but is malformed is kept with its reason in
 * rc_sigline.bad, lines past the RC_NOTE_MAX_SIGS-th are counted in
 * nextra, and a last line without its newline is a malformed line too.
 * What to do with them (SIGLINE_IGNORED) is the caller's: rc_note_judge
 * says it line by line.
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

/* Why a line that begins with "— " cannot be read (RECORD.md §1: such a
 * line is ignored with a SIGLINE_IGNORED warning, never voids the note). */
enum rc_sigline_bad {
  RC_SL_OK = 0,     /* well formed */
  RC_SL_FIELDS,     /* no key name or no signature field */
  RC_SL_NAME,       /* the key name is not a valid key name */
  RC_SL_BASE64,     /* the signature field is not canonical base64 (or
                       longer than we read) */
  RC_SL_SHORT,      /* fewer than 5 decoded bytes */
  RC_SL_UNCLEAN,    /* not UTF-8, or a control character */
  RC_SL_NO_NEWLINE, /* the last line of the input, without its newline */
};

/* Longest decoded signature kept after the key id: 72 bytes holds an
 * Ed25519 note signature (64) and a tlog-cosignature/v1 one (8-byte time
 * and 64-byte signature); longer ones keep only their base64 field. */
#define RC_SIGLINE_KEEP 72

struct rc_sigline {
  const char *name; /* points into the parsed buffer (NULL if bad) */
  size_t namelen;
  const char *b64; /* the signature field, into the buffer */
  size_t b64len;
  uint32_t line; /* 1-based line in the parsed buffer */
  uint8_t bad;   /* enum rc_sigline_bad; the rest is zero if set */
  uint8_t keyid[4];
  uint8_t sig[RC_SIGLINE_KEEP]; /* the decoded bytes after the key id when
                                   siglen <= RC_SIGLINE_KEEP, else zeros */
  size_t siglen;                /* decoded signature bytes after the key id */
};

/* A note: its text and its first RC_NOTE_MAX_SIGS signature lines,
 * malformed ones included (bad set); lines past those are only counted. */
struct rc_note {
  const uint8_t *text; /* points into the parsed buffer */
  size_t textlen;      /* includes the text's final '\n' */
  size_t nsigs;        /* lines in sigs[] */
  size_t nextra;       /* signature lines past the RC_NOTE_MAX_SIGS-th */
  size_t extra_line;   /* 1-based line of the first of those (or 0) */
  struct rc_sigline sigs[RC_NOTE_MAX_SIGS];
};

/* A short phrase for why a line is malformed ("not canonical base64"). */
const char *rc_sigline_bad_str(enum rc_sigline_bad b);

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

/* What the signature-line rule (RECORD.md §1) makes of one line. */
enum rc_line_fate {
  RC_LINE_UNKNOWN = 0, /* well formed, by no key we know: ignored silently */
  RC_LINE_VALID,       /* verifies under a known key */
  RC_LINE_FAILED,      /* by a known key, does not verify, and no other
                          line by that key does */
  RC_LINE_DISAGREE,    /* libsodium and OpenSSL disagree on it */
  RC_LINE_WEAK,        /* by a known key that is weak: not verified */
  /* the fates below are SIGLINE_IGNORED warnings */
  RC_LINE_MALFORMED, /* rc_sigline.bad says why */
  RC_LINE_LENGTH,    /* by a known key, but not the 64-byte signature of
                        an Ed25519 note key (68 decoded bytes) */
  RC_LINE_REDUNDANT, /* by a known key, fails, but another line by that
                        key verifies */
};

/* Returns 1 when a line of this fate gives a SIGLINE_IGNORED warning. */
static inline int rc_line_ignored(enum rc_line_fate f) {
  return f >= RC_LINE_MALFORMED;
}

struct rc_line_verdict {
  uint8_t fate;           /* enum rc_line_fate */
  int8_t sodium, openssl; /* each library's answer (1, 0, -1 not asked) */
  uint32_t key;           /* index of the key (for known-key fates) */
};

/* The keys a note is judged against: a[0..na) then b[0..nb); key indices
 * count through a then b. a_weak: a's keys are weak, never verified. A
 * line is judged by the first key with its name and key id. */
struct rc_keyset {
  const struct rc_vkey *a;
  size_t na;
  const struct rc_vkey *b;
  size_t nb;
  int a_weak;
};

/* Applies the signature-line rule of RECORD.md §1 to every line of n:
 * v[0..n->nsigs) receives each line's fate. *verifications (may be NULL)
 * is increased by the Ed25519 verifications done. Every key is an
 * Ed25519 note key (type 0x01): its lines must decode to 68 bytes. */
void rc_note_judge(const struct rc_note *n, const struct rc_keyset *ks,
                   enum rc_crypto_mode mode, struct rc_line_verdict *v,
                   uint64_t *verifications);

/* Result of checking a note's signatures against a set of known keys. */
struct rc_note_check {
  size_t verified;  /* lines by known keys that verified */
  size_t failed;    /* lines by known keys that failed, no other line
                       by the key verifying (RC_LINE_FAILED, _WEAK,
                       _DISAGREE) */
  size_t disagreed; /* of those, libsodium and OpenSSL disagreed */
  size_t unknown;   /* well-formed lines by keys not in the set */
  size_t ignored;   /* SIGLINE_IGNORED lines, nextra included */
};

/* Checks n against keys[0..nkeys) by rc_note_judge. keystat (may be NULL,
 * nkeys entries) receives per key: 1 some line by it verifies, -2 none
 * does and libsodium and OpenSSL disagreed on one, -1 none does and one
 * failed (or has another length), 0 no line by it. Returns RC_OK when
 * some key verified and no key has a negative keystat, RC_ERR_SIG
 * otherwise. */
RC_WUR int rc_note_verify(const struct rc_note *n, const struct rc_vkey *keys,
                          size_t nkeys, enum rc_crypto_mode mode,
                          struct rc_note_check *res, int *keystat);

/* 1 when at least one line by key (same name and key id, 64-byte
 * signature) verifies under mode, else 0 (RECORD.md §1: failing lines by
 * the same key do not void a valid one). */
int rc_note_signed_by(const struct rc_note *n, const struct rc_vkey *key,
                      enum rc_crypto_mode mode);

/* Returns 1 if buf[0..len) contains no ASCII control character other than
 * '\n' and is valid UTF-8, else 0. */
int rc_text_clean(const uint8_t *buf, size_t len);
#endif
