/* text.h — the line cursor every record-text parser is built from
 * (RECORD.md §2). A text is a sequence of '\n'-terminated lines
 * "<keyword> <value...>": single spaces, no leading or trailing space,
 * no empty line, no '\r', ASCII except the free-text fields. */
#ifndef RC_TEXT_H
#define RC_TEXT_H
#include "rc.h"
#include "texts.h"

struct rc_cur {
  const uint8_t *buf;
  size_t len, pos;
  size_t line;        /* 1-based number of the current line */
  const char *s;      /* current line, without '\n' */
  size_t n;
};

void rc_cur_init(struct rc_cur *c, const uint8_t *buf, size_t len);
/* Advances to the next line. Returns 1 when there is one, 0 at the end of
 * the text. On a malformed line (no '\n', empty, bad spacing) returns -1
 * with err set. The line's characters are not checked here. */
int rc_cur_next(struct rc_cur *c, struct rc_error *err);
/* 1 when the current line's keyword (up to the first space) is kw. */
int rc_cur_is(const struct rc_cur *c, const char *kw);
/* Requires the current line to be "kw <value>"; gives the value. */
RC_WUR int rc_cur_value(const struct rc_cur *c, const char *kw,
                        const char **v, size_t *vn, struct rc_error *err);
/* Reads the next line, which must be "kw <value>". */
RC_WUR int rc_cur_expect(struct rc_cur *c, const char *kw, const char **v,
                         size_t *vn, struct rc_error *err);
/* Splits "tok rest" at the first space: the token must be non-empty and
 * a rest must follow. Returns 0 or -1. */
int rc_split(const char *s, size_t n, const char **tok, size_t *tn,
             const char **rest, size_t *rn);

/* Value readers: return RC_OK or fail with the line and field. */
RC_WUR int rc_read_id(const struct rc_cur *c, const char *field,
                      const char *s, size_t n, char out[RC_ID_MAX + 1],
                      struct rc_error *err);
RC_WUR int rc_read_count(const struct rc_cur *c, const char *field,
                         const char *s, size_t n, uint64_t *out,
                         struct rc_error *err);
RC_WUR int rc_read_hash(const struct rc_cur *c, const char *field,
                        const char *s, size_t n, uint8_t out[32],
                        struct rc_error *err);
/* UTF-8 free text: valid UTF-8, no control character, 1..max bytes. */
RC_WUR int rc_read_utf8(const struct rc_cur *c, const char *field,
                        const char *s, size_t n, size_t max,
                        struct rc_error *err);
/* 1 when every byte is printable ASCII or a space. */
int rc_ascii(const char *s, size_t n);
/* Fails for a line that is not ASCII (for lines without free text). */
RC_WUR int rc_cur_ascii(const struct rc_cur *c, struct rc_error *err);

/* Whole-text ASCII check for texts without free-text fields: printable
 * ASCII and '\n' only. rc_first_nonascii_line gives the line of the first
 * offending byte. */
int rc_ascii_text(const uint8_t *buf, size_t len);
size_t rc_first_nonascii_line(const uint8_t *buf, size_t len);
/* Reads "vote <choice> <count>" lines (1..RC_MAX_CHOICES, no choice twice)
 * to the end of the text. */
RC_WUR int rc_read_votes(struct rc_cur *c, struct rc_vote *votes,
                         size_t *nvotes, struct rc_error *err);
#endif
