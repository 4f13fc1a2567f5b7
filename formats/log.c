/* log.c — the release log text (log.h, RECORD.md v1.1 §3). */
#include <stdlib.h>
#include <string.h>

#include "b64.h"
#include "log.h"
#include "text.h"
#include "texts.h"

/* One line "<station-id> <base64 sha>" at the cursor into e. */
static int read_entry(const struct rc_cur *c, const uint8_t *buf,
                      struct rc_log_entry *e, struct rc_error *err) {
  const char *id, *h;
  size_t idn, hn;
  char idbuf[RC_ID_MAX + 1];
  int rc;
  if ((rc = rc_cur_ascii(c, err))) return rc;
  if (rc_split(c->s, c->n, &id, &idn, &h, &hn) != 0)
    return rc_fail(err, RC_ERR_SYNTAX, c->line, "hash",
                   "a log line is '<station-id> <base64 SHA-256>'; this "
                   "one has no space");
  if ((rc = rc_read_id(c, "station", id, idn, idbuf, err)) ||
      (rc = rc_read_b64_32(c, "hash", h, hn, e->sha, err)))
    return rc;
  e->id_off = (uint32_t)((const uint8_t *)id - buf);
  e->id_len = (uint8_t)idn;
  return RC_OK;
}

int rc_parse_log(const uint8_t *buf, size_t len, struct rc_log *out,
                 struct rc_error *err) {
  struct rc_error local;
  struct rc_cur c;
  int rc = RC_OK;
  if (!err) err = &local;
  memset(out, 0, sizeof *out);
  if (len > RC_LOG_FILE_MAX)
    return rc_fail(err, RC_ERR_LIMIT, 0, "log",
                   "log of %zu bytes: at most "
                   "%llu",
                   len, (unsigned long long)RC_LOG_FILE_MAX);
  size_t lines = 0;
  for (const uint8_t *p = buf, *e = buf + len;
       (p = memchr(p, '\n', (size_t)(e - p))) != NULL; p++)
    lines++;
  if (lines > RC_LOG_ENTRIES_MAX)
    return rc_fail(err, RC_ERR_LIMIT, RC_LOG_ENTRIES_MAX + 1, "log",
                   "more than %u entries", RC_LOG_ENTRIES_MAX);
  out->v = malloc((lines + 1) * sizeof *out->v);
  if (!out->v) return rc_fail(err, RC_ERR_NOMEM, 0, "log", "out of memory");
  rc_cur_init(&c, buf, len, NULL);
  for (;;) {
    int r = rc_cur_next(&c, err);
    if (r < 0) {
      rc = (int)err->code;
      break;
    }
    if (r == 0) break;
    if (out->n == lines) { /* cannot happen: every line ends in '\n' */
      rc = rc_fail(err, RC_ERR_SYNTAX, c.line, "log", "unterminated line");
      break;
    }
    if ((rc = read_entry(&c, buf, &out->v[out->n], err))) break;
    out->n++;
  }
  if (rc != RC_OK) rc_log_free(out);
  return rc;
}

void rc_log_free(struct rc_log *l) {
  free(l->v);
  l->v = NULL;
  l->n = 0;
}

int rc_encode_log_entry(const char *station, const uint8_t sha[32],
                        struct rc_buf *b) {
  if (!rc_id_valid(station, strlen(station))) return RC_ERR_USAGE;
  rc_buf_puts(b, station);
  rc_buf_putc(b, ' ');
  rc_b64_append(b, sha, 32);
  rc_buf_putc(b, '\n');
  return b->oom ? RC_ERR_NOMEM : RC_OK;
}

int rc_encode_log(const struct rc_log *l, const uint8_t *buf,
                  struct rc_buf *b) {
  char id[RC_ID_MAX + 1];
  for (size_t i = 0; i < l->n; i++) {
    const struct rc_log_entry *e = &l->v[i];
    if (e->id_len > RC_ID_MAX) return RC_ERR_USAGE;
    memcpy(id, buf + e->id_off, e->id_len);
    id[e->id_len] = 0;
    int rc = rc_encode_log_entry(id, e->sha, b);
    if (rc) return rc;
  }
  return RC_OK;
}
