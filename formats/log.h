/* log.h — the release log, log.txt (RECORD.md v1.1 §3): the sheets the
 * commission has published, each once, in the order it first published
 * them, one line per entry:
 *
 *   <station-id> <base64 SHA-256 of the sheet text>
 *
 * The parser is strict (§2: '\n' line ends, single spaces, canonical
 * base64 of exactly 32 bytes, an identifier for the station) and names
 * the 1-based line and the field ("station" or "hash") of the first error.
 * An empty file is a log of zero entries. Whether the entries are the
 * record's sheets, once each, is the engine's check (engine/release.c),
 * not the parser's. */
#ifndef RC_LOG_H
#define RC_LOG_H
#include "rc.h"

/* Most entries in one log, and the largest log.txt: 2^24 lines of at most
 * 64 + 1 + 44 + 1 bytes. */
#define RC_LOG_ENTRIES_MAX (1u << 24)
#define RC_LOG_FILE_MAX ((uint64_t)RC_LOG_ENTRIES_MAX * 110u)

/* One entry: 40 bytes, so a log of a million sheets takes 40 MB. The
 * station id is not copied: it is buf[id_off .. id_off + id_len) of the
 * parsed text, which the caller keeps. */
struct rc_log_entry {
  uint8_t sha[32];
  uint32_t id_off;
  uint8_t id_len;
};

struct rc_log {
  struct rc_log_entry *v; /* malloc'd, n entries, in log order */
  size_t n;
};

/* Parses buf[0..len). On failure *out is empty and err names the line
 * and field. Returns RC_OK, RC_ERR_SYNTAX, RC_ERR_BASE64, RC_ERR_LIMIT or
 * RC_ERR_NOMEM. */
RC_WUR int rc_parse_log(const uint8_t *buf, size_t len, struct rc_log *out,
                        struct rc_error *err);
void rc_log_free(struct rc_log *l);
/* Appends the line "<station> <base64 sha>\n". RC_ERR_USAGE (nothing
 * appended) when station is not an identifier. */
RC_WUR int rc_encode_log_entry(const char *station, const uint8_t sha[32],
                               struct rc_buf *b);
/* Encodes every entry of l (ids read from buf, the parsed text): the
 * exact inverse of rc_parse_log. */
RC_WUR int rc_encode_log(const struct rc_log *l, const uint8_t *buf,
                         struct rc_buf *b);
#endif
