/* text.h — the line cursor and value readers every record-text parser is
 * built from (RECORD.md §2), and the project's one copy of each lexical
 * primitive (decimal numbers, lowercase hex, UTF-8 sequences): every
 * reader of numbers, hex or UTF-8 in formats/ and sign/skey.c calls them,
 * and other code should too rather than keep its own. The parsers' public
 * API is texts.h.
 *
 * A record text is a sequence of '\n'-terminated lines "<keyword> <value>":
 * single spaces, no leading or trailing space, no empty line, no '\r', no
 * control character, ASCII except the free-text fields (UTF-8). The cursor
 * checks the shape of each line as it reads it; the readers check one
 * value each and fail with the line number and the field name, so that a
 * parser reads like the format:
 *
 *   rc_cur_expect(&c, "ballots", &v, &vn, err) ||
 *   rc_read_count(&c, "ballots", v, vn, &out->ballots, err)
 *
 * Every reader returns RC_OK or the error code it stored in err (err must
 * not be NULL here; the public parsers substitute a local one). */
#ifndef RC_TEXT_H
#define RC_TEXT_H
#include "rc.h"
#include "texts.h"

/* Longest keyword the messages quote back to the reader. */
#define RC_KW_QUOTE_MAX 24
/* Most vote (or share) lines for one group of published figures. */
#define RC_PUB_CHOICE_LINES_MAX RC_MAX_CHOICES

/* ---- lexical primitives ---- */

/* Reads s[0..n) as a decimal number: digits only (no sign, no space), no
 * leading zero ("0" itself is fine), at most max_digits digits (0: no cap
 * but 64 bits) and at most UINT64_MAX. Returns RC_OK with *out set;
 * RC_ERR_SYNTAX for an empty string, a byte that is not a digit or a
 * leading zero; RC_ERR_LIMIT for too many digits or a value above 2^64-1.
 * The checks run in that order, so "007" is a syntax error whatever
 * max_digits is. *out is 0 on failure. */
RC_WUR int rc_parse_u64(const char *s, size_t n, unsigned max_digits,
                        uint64_t *out);

/* Reads s[0..2*nbytes) as lowercase hex (the canonical form: uppercase is
 * refused) into out[0..nbytes). Returns 0, or -1 (out then zeroed). */
RC_WUR int rc_parse_hex(const char *s, size_t nbytes, uint8_t *out);

/* Decodes one UTF-8 sequence at s[0..n): returns its length (1..4) and
 * sets *cp (may be NULL) to the code point, or returns 0 (n == 0, a stray
 * continuation byte, a sequence cut short, an overlong form, a surrogate
 * U+D800..U+DFFF, or above U+10FFFF). ASCII bytes, control characters
 * included, are sequences of length 1: callers apply their own rules on
 * the code point. */
size_t rc_utf8_char(const unsigned char *s, size_t n, uint32_t *cp);

/* Writes v in decimal with a comma between groups of three digits
 * ("1,234,567"; 2^64-1 takes 26 bytes and the NUL) into buf and returns
 * buf. The one grouping rule of every figure shown to people: counts of
 * voters, votes, stations, sheets, entries and files in findings and
 * reports; not line numbers, entry or byte positions, byte sizes, times
 * or limits of the formats. */
const char *rc_fmt_count(char buf[32], uint64_t v);

/* ---- the line cursor ---- */

struct rc_cur {
  const uint8_t *buf;
  size_t len, pos; /* pos: first byte of the next line */
  size_t line;     /* 1-based number of the current line */
  const char *s;   /* current line, without its '\n' */
  size_t n;
  int ascii;        /* the current line is printable ASCII */
  const char *prev; /* previous line (NULL on line 1) */
  size_t prevn;
  const char *const *kws; /* the text's keywords, NULL-terminated */
};

/* Starts a cursor over buf[0..len). kws lists the keywords the text may
 * hold (NULL-terminated, may be NULL); it only makes messages precise:
 * a known keyword in the wrong place is RC_ERR_ORDER, the same keyword as
 * the line before is RC_ERR_DUP, anything else RC_ERR_SYNTAX. */
void rc_cur_init(struct rc_cur *c, const uint8_t *buf, size_t len,
                 const char *const *kws);

/* Advances to the next line and checks its shape (ends with '\n', not
 * empty, no leading/trailing/double space, no '\r', tab or other control
 * character). Returns 1 on a line, 0 at the end of the text, -1 with err
 * filled on a malformed line. Bytes >= 0x80 pass (see rc_cur_ascii). */
int rc_cur_next(struct rc_cur *c, struct rc_error *err);

/* 1 if the current line's keyword (the bytes up to the first space or the
 * end of the line) is kw, else 0. */
int rc_cur_is(const struct rc_cur *c, const char *kw);

/* Fails for the current line, which is not what the parser expected:
 * want describes what was ("'ballots'"). Picks RC_ERR_DUP, RC_ERR_ORDER or
 * RC_ERR_SYNTAX as described at rc_cur_init. Always returns non-zero. */
int rc_cur_unexpected(const struct rc_cur *c, const char *want,
                      struct rc_error *err);

/* Requires the current line to be "kw <value>"; sets *v, *vn to the value
 * (non-empty). */
RC_WUR int rc_cur_value(const struct rc_cur *c, const char *kw, const char **v,
                        size_t *vn, struct rc_error *err);

/* Reads the next line, which must be "kw <value>". */
RC_WUR int rc_cur_expect(struct rc_cur *c, const char *kw, const char **v,
                         size_t *vn, struct rc_error *err);

/* Reads the first line, which must be exactly header. what names the text
 * in messages ("count sheet"). Also refuses a byte order mark and an
 * empty input with a clear message. */
RC_WUR int rc_cur_header(struct rc_cur *c, const char *header, const char *what,
                         struct rc_error *err);

/* Requires the end of the text: no further line. */
RC_WUR int rc_cur_end(struct rc_cur *c, struct rc_error *err);

/* Fails if the current line holds a byte outside printable ASCII (for
 * lines without a free-text field). */
RC_WUR int rc_cur_ascii(const struct rc_cur *c, struct rc_error *err);

/* Checks a whole text without free-text fields: every byte printable
 * ASCII or '\n'; otherwise fails naming the line of the first bad byte.
 * what names the text in messages. */
RC_WUR int rc_text_ascii(const uint8_t *buf, size_t len, const char *what,
                         struct rc_error *err);

/* Splits s[0..n) at its first space into a non-empty token and a
 * non-empty rest. Returns 0, or -1 when there is no such split. */
int rc_split(const char *s, size_t n, const char **tok, size_t *tn,
             const char **rest, size_t *rn);

/* Value readers: each checks s[0..n) and fails with the current line and
 * field. */
/* An identifier [a-z0-9][a-z0-9._-]{0,63}, copied NUL-terminated. */
RC_WUR int rc_read_id(const struct rc_cur *c, const char *field, const char *s,
                      size_t n, char out[RC_ID_MAX + 1], struct rc_error *err);
/* A count: "0" or [1-9][0-9]{0,14}. */
RC_WUR int rc_read_count(const struct rc_cur *c, const char *field,
                         const char *s, size_t n, uint64_t *out,
                         struct rc_error *err);
/* A total (RECORD.md §2, v1.1: district records, published figures):
 * "0" or [1-9][0-9]{0,19}, below 2^64. */
RC_WUR int rc_read_total(const struct rc_cur *c, const char *field,
                         const char *s, size_t n, uint64_t *out,
                         struct rc_error *err);
/* The canonical base64 of exactly 32 bytes. */
RC_WUR int rc_read_b64_32(const struct rc_cur *c, const char *field,
                          const char *s, size_t n, uint8_t out[32],
                          struct rc_error *err);
/* A percent [0-9]{1,3}(\.[0-9]{1,4})? (leading zeros kept in intdigits). */
RC_WUR int rc_read_percent(const struct rc_cur *c, const char *field,
                           const char *s, size_t n, struct rc_percent *out,
                           struct rc_error *err);
/* A free-text field: 1..max bytes of rc_utf8_text_valid text. */
RC_WUR int rc_read_utf8(const struct rc_cur *c, const char *field,
                        const char *s, size_t n, size_t max,
                        struct rc_error *err);
/* A checkpoint origin: 1..RC_ORIGIN_MAX bytes of printable ASCII without
 * space or '+'. */
RC_WUR int rc_read_origin(const struct rc_cur *c, const char *field,
                          const char *s, size_t n, struct rc_error *err);

/* Reads "vote <choice-id> <count>" lines to the end of the text: 1 to
 * RC_MAX_CHOICES of them, no choice twice (order is not checked here). */
RC_WUR int rc_read_votes(struct rc_cur *c, struct rc_vote *votes,
                         size_t *nvotes, struct rc_error *err);
/* The same with totals (rc_read_total) for counts. */
RC_WUR int rc_read_total_votes(struct rc_cur *c, struct rc_vote *votes,
                               size_t *nvotes, struct rc_error *err);

/* Validity predicates, shared by the parsers and the encoders (which
 * refuse a struct they could not encode canonically). Each returns 1/0. */
/* s[0..n) is valid UTF-8 (shortest form, no surrogate, at most U+10FFFF)
 * with no control character (C0, DEL, C1), no line or paragraph separator
 * (U+2028, U+2029), no byte order mark (U+FEFF) and no bidirectional
 * embedding, override or isolate (U+202A..U+202E, U+2066..U+2069). */
int rc_utf8_text_valid(const char *s, size_t n);
/* s is a NUL-terminated free-text field of 1..max bytes that would be
 * read back unchanged: rc_utf8_text_valid, no leading, trailing or double
 * space. */
int rc_free_text_ok(const char *s, size_t max);
/* s is a NUL-terminated origin as rc_read_origin accepts it. */
int rc_origin_ok(const char *s);
/* s is a NUL-terminated identifier. */
int rc_id_ok(const char *s);
/* v is a count (< 10^15). */
static inline int rc_count_ok(uint64_t v) { return v < RC_COUNT_LIMIT; }
/* p is a percent the grammar can express (at most 3 digits before the
 * point, intdigits <= 3, decimals <= 4). */
int rc_percent_ok(const struct rc_percent *p);
/* k's name is an ASCII key name (record texts are ASCII outside the
 * free-text fields). */
int rc_vkey_ascii_ok(const struct rc_vkey *k);
/* Reads the next line, which must be "kw <identifier>" (resp. "kw
 * <count>"), into out. The building blocks of the fixed-layout texts. */
RC_WUR int rc_cur_id_line(struct rc_cur *c, const char *kw,
                          char out[RC_ID_MAX + 1], struct rc_error *err);
RC_WUR int rc_cur_count_line(struct rc_cur *c, const char *kw, uint64_t *v,
                             struct rc_error *err);
RC_WUR int rc_cur_total_line(struct rc_cur *c, const char *kw, uint64_t *v,
                             struct rc_error *err);
#endif
