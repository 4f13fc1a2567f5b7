/* cmd_witness.c — a witness cosigns a verified, extending checkpoint
 * (cmd_witness.h). Library code: prints nothing. */
#include "cmd_witness.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cosig.h"
#include "fileio.h"
#include "note.h"
#include "read.h"
#include "signing.h"
#include "text.h"
#include "texts.h"

/* One checkpoint note of the state file. */
struct state_note {
  size_t off, len;
  char origin[RC_ORIGIN_MAX + 1];
};
struct state {
  uint8_t *buf;
  size_t len;
  struct state_note *v;
  size_t n;
};

__attribute__((format(printf, 3, 4))) static enum rc_outcome
say(struct rc_witness_outcome *res, enum rc_outcome o, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(res->why, sizeof res->why, fmt, ap);
  va_end(ap);
  return o;
}

/* The origin line of a note text (up to its first newline) into out;
 * 0, or -1 when it is not an origin. */
static int origin_of(const uint8_t *text, size_t len, char *out) {
  const uint8_t *nl = memchr(text, '\n', len);
  size_t n = nl ? (size_t)(nl - text) : 0;
  if (!nl || n == 0 || n > RC_ORIGIN_MAX) return -1;
  memcpy(out, text, n);
  out[n] = 0;
  return rc_origin_ok(out) ? 0 : -1;
}

static size_t line_at(const uint8_t *buf, size_t off) {
  size_t l = 1;
  for (size_t i = 0; i < off; i++) l += buf[i] == '\n';
  return l;
}

/* Reads the state file (absent: empty). Returns RC_DONE or RC_FAILED. */
static enum rc_outcome read_state(const char *path, struct state *st,
                                  struct rc_witness_outcome *res) {
  struct stat sb;
  struct rc_error err;
  memset(st, 0, sizeof *st);
  if (lstat(path, &sb) != 0 && errno == ENOENT) return RC_DONE;
  if (rc_read_file(path, RC_WITNESS_STATE_MAX, &st->buf, &st->len, &err))
    return say(res, RC_FAILED, "state file %s", err.msg);
  size_t pos = 0;
  while (pos < st->len) {
    size_t used;
    struct rc_note n;
    size_t line = line_at(st->buf, pos);
    if (rc_note_span(st->buf + pos, st->len - pos, &used, &err) != RC_OK ||
        rc_note_parse(st->buf + pos, used, &n, &err) != RC_OK)
      return say(res, RC_FAILED,
                 "state file %s: line %zu: not a checkpoint note: %s", path,
                 line + (err.line ? err.line - 1 : 0), err.msg);
    void *nv = realloc(st->v, (st->n + 1) * sizeof *st->v);
    if (!nv) return say(res, RC_FAILED, "out of memory");
    st->v = nv;
    struct state_note *s = &st->v[st->n];
    s->off = pos;
    s->len = used;
    if (origin_of(n.text, n.textlen, s->origin) != 0)
      return say(res, RC_FAILED,
                 "state file %s: line %zu: the note does not begin with a "
                 "checkpoint origin",
                 path, line);
    if (st->n && strcmp(st->v[st->n - 1].origin, s->origin) >= 0)
      return say(res, RC_FAILED,
                 "state file %s: line %zu: origins must be in strictly "
                 "ascending bytewise order (one note per origin)",
                 path, line);
    st->n++;
    pos += used;
  }
  return RC_DONE;
}

static void free_state(struct state *st) {
  free(st->buf);
  free(st->v);
}

/* The parsed checkpoint of a note; 0 or -1. */
static int note_checkpoint(const uint8_t *buf, size_t len,
                           struct rc_checkpoint *c, const uint8_t **text,
                           size_t *tlen, struct rc_error *err) {
  struct rc_note n;
  if (rc_note_parse(buf, len, &n, err) != RC_OK) return -1;
  if (rc_parse_checkpoint(n.text, n.textlen, c, err) != RC_OK) return -1;
  *text = n.text;
  *tlen = n.textlen;
  return 0;
}

/* Whether the checkpoint c cuts or rewrites the earlier one p of the same
 * origin, in words; the engine's --previous check (RELEASE_REWRITTEN)
 * has the last word, over the log itself. Returns RC_DONE or
 * RC_REFUSED (why said). */
static enum rc_outcome extends(const struct rc_checkpoint *p,
                               const struct rc_checkpoint *c,
                               struct rc_witness_outcome *res) {
  if (c->size < p->size)
    return say(res, RC_REFUSED,
               "refused: the checkpoint of %s has %llu entries, fewer than "
               "the %llu of the one this witness cosigned before: the log "
               "was cut",
               c->origin, (unsigned long long)c->size,
               (unsigned long long)p->size);
  if (c->size == p->size && memcmp(c->root, p->root, 32) != 0)
    return say(res, RC_REFUSED,
               "refused: the checkpoint of %s has the size (%llu) of the "
               "one this witness cosigned before but another root: the "
               "log was rewritten",
               c->origin, (unsigned long long)c->size);
  return RC_DONE;
}

/* 1 when note[0..len) holds a valid cosignature by k. */
static int has_cosig(const uint8_t *note, size_t len, const struct rc_vkey *k,
                     uint64_t now, uint64_t *t) {
  struct rc_witness_result r;
  if (rc_cosig_check_note(note, len, k, 1, now, RC_CRYPTO_BOTH, &r, NULL) !=
          RC_OK ||
      r.status != RC_W_COSIGNED)
    return 0;
  *t = r.time;
  return 1;
}

/* The new state: st with the note for origin replaced by (or, when new,
 * inserted in order as) cp[0..cplen). */
static void new_state(const struct state *st, const char *origin,
                      const uint8_t *cp, size_t cplen, struct rc_buf *b) {
  int done = 0;
  for (size_t i = 0; i < st->n; i++) {
    int c = strcmp(st->v[i].origin, origin);
    if (c >= 0 && !done) {
      rc_buf_put(b, cp, cplen);
      done = 1;
    }
    if (c != 0) rc_buf_put(b, st->buf + st->v[i].off, st->v[i].len);
  }
  if (!done) rc_buf_put(b, cp, cplen);
}

static enum rc_outcome cosign(const char *record, const struct rc_vkey *anchor,
                              const struct rc_skey *key, const char *state_path,
                              uint64_t now, unsigned threads, struct state *st,
                              uint8_t **cpbuf, struct rc_buf *out,
                              struct rc_witness_outcome *res) {
  char path[4200];
  struct rc_error err;
  size_t cplen;
  struct rc_vkey wk;
  rc_skey_vkey(key, &wk);
  enum rc_outcome o = read_state(state_path, st, res);
  if (o != RC_DONE) return o;
  snprintf(path, sizeof path, "%s/checkpoint.note", record);
  if (rc_read_file(path, RC_SMALL_TEXT_MAX, cpbuf, &cplen, &err) != RC_OK)
    return say(res, RC_FAILED, "%s", err.msg);
  struct rc_checkpoint c;
  const uint8_t *text;
  size_t tlen;
  if (note_checkpoint(*cpbuf, cplen, &c, &text, &tlen, &err) != 0)
    return say(res, RC_REFUSED, "refused: %s: line %zu: %s", path, err.line,
               err.msg);
  snprintf(res->origin, sizeof res->origin, "%s", c.origin);
  res->size = c.size;
  const struct state_note *prev = NULL;
  for (size_t i = 0; i < st->n; i++)
    if (!strcmp(st->v[i].origin, c.origin)) prev = &st->v[i];
  res->first = prev == NULL;
  struct rc_checkpoint p;
  if (prev) {
    const uint8_t *pt;
    size_t ptl;
    if (note_checkpoint(st->buf + prev->off, prev->len, &p, &pt, &ptl, &err) !=
        0)
      return say(res, RC_FAILED,
                 "state file %s: the checkpoint of %s cannot be read: %s",
                 state_path, c.origin, err.msg);
    res->prev_size = p.size;
    o = extends(&p, &c, res);
    if (o != RC_DONE) return o;
  }
  /* the whole record, as an observer would check it, with the checkpoint
   * cosigned before as --previous: its log must extend that one */
  struct rc_previous pv = {.name = "witness-state:checkpoint.note"};
  struct rc_record_opts opts = {.anchor = anchor, .threads = threads};
  if (prev) {
    pv.buf = st->buf + prev->off;
    pv.len = prev->len;
    opts.previous = &pv;
    opts.nprevious = 1;
  }
  if (rc_record_check(record, &opts, &res->rep) != RC_OK || res->rep.fatal)
    return say(res, RC_FAILED, "%s", res->rep.fatal_msg);
  /* A witness vouches for the log, not for the outcome: every error but
   * an undetermined outcome refuses (rc_record_defects). */
  size_t errors = rc_record_defects(&res->rep);
  if (errors) {
    res->list_findings = 1;
    return say(res, RC_REFUSED,
               "refused: the record has %zu error finding%s; a witness "
               "cosigns only a record that verifies and extends the "
               "checkpoint it cosigned before",
               errors, errors == 1 ? "" : "s");
  }
  /* the bytes cosigned must be the bytes checked */
  uint8_t *again = NULL;
  size_t alen;
  if (rc_read_file(path, RC_SMALL_TEXT_MAX, &again, &alen, &err) != RC_OK)
    return say(res, RC_FAILED, "%s", err.msg);
  int same = alen == cplen && !memcmp(again, *cpbuf, cplen);
  free(again);
  if (!same)
    return say(res, RC_FAILED,
               "%s changed while the record was checked; nothing was "
               "cosigned",
               path);
  if (has_cosig(*cpbuf, cplen, &wk, now, &res->time)) {
    res->already = 1;
    return RC_DONE;
  }
  struct rc_buf msg = {0};
  uint8_t sig[64];
  rc_cosig_message(text, tlen, now, &msg);
  int bad = msg.oom || rc_ed25519_sign(key->sk, msg.p, msg.len, sig) != 0;
  rc_buf_free(&msg);
  if (bad) return say(res, RC_FAILED, "signing failed");
  rc_buf_put(out, *cpbuf, cplen);
  rc_cosig_line_encode(&wk, now, sig, out);
  struct rc_buf sb = {0};
  new_state(st, c.origin, out->p, out->len, &sb);
  if (out->oom || sb.oom) {
    rc_buf_free(&sb);
    return say(res, RC_FAILED, "out of memory");
  }
  res->time = now;
  /* the state first: see cmd_witness.h */
  int rc = rc_write_atomic(state_path, sb.p, sb.len, 0600, 1, &err);
  rc_buf_free(&sb);
  if (rc != RC_OK) return say(res, RC_FAILED, "%s", err.msg);
  if (rc_write_atomic(path, out->p, out->len, 0644, 1, &err) != RC_OK)
    return say(res, RC_FAILED,
               "%s (the state file already records this checkpoint)", err.msg);
  return RC_DONE;
}

enum rc_outcome rc_witness_cosign(const char *record,
                                  const struct rc_vkey *anchor,
                                  const struct rc_skey *key,
                                  const char *state_path, uint64_t now,
                                  unsigned threads,
                                  struct rc_witness_outcome *res) {
  memset(res, 0, sizeof *res);
  if (key->type != RC_COSIG_TYPE)
    return say(res, RC_FAILED,
               "the key is a note signing key; a witness cosigns with a "
               "cosignature key (recount-sign keygen --cosign)");
  struct state st;
  uint8_t *cpbuf = NULL;
  struct rc_buf out = {0};
  enum rc_outcome o = cosign(record, anchor, key, state_path, now, threads, &st,
                             &cpbuf, &out, res);
  free_state(&st);
  free(cpbuf);
  rc_buf_free(&out);
  return o;
}

void rc_witness_outcome_free(struct rc_witness_outcome *res) {
  rc_record_report_free(&res->rep);
}
