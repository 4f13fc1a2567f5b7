/* rc.h — common types, limits and error values for the recount core.
 *
 * Every size the parsers accept has a named maximum here; inputs are capped
 * before they are read. Library code never prints or exits: failures are
 * returned as values (enum rc_err) together with the line and field. */
#ifndef RC_H
#define RC_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define RC_WUR __attribute__((warn_unused_result))

/* ---- limits (RECORD.md §2 and our own caps) ---- */
#define RC_ID_MAX 64       /* identifier: [a-z0-9][a-z0-9._-]{0,63} */
#define RC_KEYNAME_MAX 128 /* key name bytes */
#define RC_NAME_MAX 256    /* UTF-8 display name / title bytes */
#define RC_ORIGIN_MAX 255  /* checkpoint origin bytes */
#define RC_COUNT_LIMIT 1000000000000000ULL /* counts are < 10^15 */
#define RC_COUNT_DIGITS 15
#define RC_MAX_CHOICES 64       /* choices in a manifest */
#define RC_MAX_DISTRICTS 100000 /* districts in a manifest */
#define RC_MAX_WITNESSES 256    /* witness keys in a manifest */
#define RC_MAX_STATIONS 4000000 /* stations in a manifest */
#define RC_NOTE_MAX_SIGS 100    /* signature lines read per note (§1) */
#define RC_SHEET_TEXT_MAX 16384 /* bytes of one count-sheet text */
#define RC_NOTE_MAX (RC_SHEET_TEXT_MAX + 8192) /* a framed note's text */
#define RC_SMALL_TEXT_MAX                                                      \
  (1u << 20) /* checkpoint, published, district record */
#define RC_MANIFEST_MAX (512ull << 20)       /* manifest.note bytes */
#define RC_DISTRICTS_FILE_MAX (256ull << 20) /* districts.txt bytes */
#define RC_SHEETS_FILE_MAX (1ull << 30)      /* one file under sheets/ */
#define RC_SHEETS_FILES_MAX 1000000          /* files under sheets/ */
#define RC_SHEETS_DEPTH_MAX 16               /* directory depth under sheets/ */
#define RC_KEYFILE_MAX 4096                  /* a key file */
#define RC_PROOF_MAX 64                      /* hashes in a Merkle proof */
#define RC_PERCENT_DECIMALS_MAX 4

/* ---- errors ---- */
enum rc_err {
  RC_OK = 0,       /* success */
  RC_ERR_SYNTAX,   /* text does not follow the grammar of RECORD.md */
  RC_ERR_LIMIT,    /* a size or count limit was exceeded */
  RC_ERR_NOMEM,    /* allocation failed */
  RC_ERR_IO,       /* a file could not be read or written */
  RC_ERR_BASE64,   /* base64 not canonical, or wrong decoded length */
  RC_ERR_KEY,      /* key encoding invalid (name, id, algorithm, length) */
  RC_ERR_KEYID,    /* key id does not match the name and public key */
  RC_ERR_ORDER,    /* lines or ids out of the required order */
  RC_ERR_DUP,      /* a line or id that must be unique appears twice */
  RC_ERR_ARITH,    /* figures do not balance */
  RC_ERR_OVERFLOW, /* a sum exceeds 64 bits */
  RC_ERR_CRYPTO,   /* a cryptographic library call failed */
  RC_ERR_SIG,      /* no valid signature */
  RC_ERR_PROOF,    /* a Merkle proof does not verify or is malformed */
  RC_ERR_USAGE,    /* bad argument from the caller */
  RC_ERR_EXISTS,   /* the file to be written exists; nothing overwritten */
  RC_ERR__COUNT
};

/* An error with its place: line is 1-based (0 = no particular line),
 * field names the keyword or field that failed. */
struct rc_error {
  enum rc_err code;
  size_t line;
  char field[32];
  char msg[224];
};

/* Returns a short constant name for code ("syntax", "limit", ...). */
const char *rc_err_str(enum rc_err code);

/* Fills err (if non-NULL) and returns code, so `return rc_fail(...)` works. */
int rc_fail(struct rc_error *err, enum rc_err code, size_t line,
            const char *field, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Prepends "prefix: " to err's message (truncating at the end). */
void rc_error_prefix(struct rc_error *err, const char *prefix);

/* Clears err to RC_OK. */
void rc_error_clear(struct rc_error *err);

/* ---- growable byte buffer for encoders ---- */
struct rc_buf {
  uint8_t *p;
  size_t len, cap;
  int oom; /* set once an allocation failed; later appends are no-ops */
};
void rc_buf_put(struct rc_buf *b, const void *data, size_t n);
void rc_buf_puts(struct rc_buf *b, const char *s);
void rc_buf_putc(struct rc_buf *b, char c);
void rc_buf_printf(struct rc_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void rc_buf_put_u64(struct rc_buf *b, uint64_t v);
void rc_buf_free(struct rc_buf *b);

/* ---- checked arithmetic: return 0 on success, -1 on overflow ---- */
RC_WUR static inline int rc_add_u64(uint64_t *acc, uint64_t v) {
  return __builtin_add_overflow(*acc, v, acc) ? -1 : 0;
}

#endif
