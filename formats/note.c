/* note.c — C2SP signed notes: framing, parsing, verification (note.h).
 * Signing is in sign/sigs.c. */
#include "note.h"

#include <string.h>

#include "b64.h"
#include "text.h"

#define EMDASH "\xe2\x80\x94"
/* Longest base64 signature field accepted: 8192 characters (6144 bytes),
 * so that a post-quantum signature line from a key we do not know (C2SP:
 * up to nearly 5 kB) is ignored like any other unknown line rather than
 * making the note unparseable. Only 68-byte ones (id + Ed25519) verify. */
#define SIG_B64_MAX 8192

/* Offset of the first byte of s[0..n) that is not valid UTF-8 (shortest
 * form, no surrogates, at most U+10FFFF) or is an ASCII control character
 * other than '\n' (C0 and DEL: C2SP forbids those below U+0020, DEL is our
 * addition); n if there is none. A BOM (EF BB BF) is valid UTF-8 and passes
 * here, as in C2SP; record texts refuse it elsewhere. */
static size_t unclean_at(const uint8_t *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    uint32_t cp;
    size_t len = rc_utf8_char(s + i, n - i, &cp);
    if (len == 0 || (cp < 0x20 && cp != '\n') || cp == 0x7f) return i;
    i += len;
  }
  return n;
}

int rc_text_clean(const uint8_t *buf, size_t len) {
  return unclean_at(buf, len) == len;
}

/* line number (1-based) of offset off in buf */
static size_t line_of(const uint8_t *buf, size_t off) {
  size_t l = 1;
  for (size_t i = 0; i < off; i++)
    if (buf[i] == '\n') l++;
  return l;
}

/* Parses one signature line s[0..n) (without its '\n'):
 * "— " <key name> " " <canonical base64 of >= 5 bytes>. Returns 0 and fills
 * out (sig holds the signature only when it is 64 bytes, else zeros), or
 * -1. */
static int parse_sigline(const uint8_t *s, size_t n, struct rc_sigline *out) {
  if (n < 4 || memcmp(s, EMDASH " ", 4) != 0) return -1;
  const uint8_t *name = s + 4;
  const uint8_t *sp = memchr(name, ' ', n - 4);
  if (!sp) return -1;
  size_t namelen = (size_t)(sp - name);
  if (!rc_keyname_valid((const char *)name, namelen)) return -1;
  const char *b = (const char *)sp + 1;
  size_t blen = n - 4 - namelen - 1;
  if (blen == 0 || blen > SIG_B64_MAX) return -1;
  uint8_t raw[SIG_B64_MAX / 4 * 3];
  size_t got = 0;
  if (rc_b64_decode(b, blen, raw, sizeof raw, &got) != RC_OK || got < 5)
    return -1;
  out->name = (const char *)name;
  out->namelen = namelen;
  memcpy(out->keyid, raw, 4);
  out->siglen = got - 4;
  memset(out->sig, 0, sizeof out->sig);
  if (out->siglen == 64) memcpy(out->sig, raw + 4, 64);
  return 0;
}

/* Parses the signature lines in buf[start..end), each ending in '\n';
 * at least one, at most RC_NOTE_MAX_SIGS. Line numbers are relative to
 * buf. */
static int parse_sigs(const uint8_t *buf, size_t start, size_t end,
                      struct rc_note *out, struct rc_error *err) {
  size_t pos = start;
  out->nsigs = 0;
  while (pos < end) {
    const uint8_t *nl = memchr(buf + pos, '\n', end - pos);
    if (!nl)
      return rc_fail(err, RC_ERR_SYNTAX, line_of(buf, pos), "signature",
                     "signature line does not end with a newline");
    size_t n = (size_t)(nl - (buf + pos));
    if (out->nsigs == RC_NOTE_MAX_SIGS)
      return rc_fail(err, RC_ERR_LIMIT, line_of(buf, pos), "signature",
                     "more than %d signature lines", RC_NOTE_MAX_SIGS);
    if (parse_sigline(buf + pos, n, &out->sigs[out->nsigs]) != 0)
      return rc_fail(err, RC_ERR_SYNTAX, line_of(buf, pos), "signature",
                     "malformed signature line (expected '— <key name> "
                     "<base64>')");
    out->nsigs++;
    pos += n + 1;
  }
  if (out->nsigs == 0)
    return rc_fail(err, RC_ERR_SYNTAX, line_of(buf, start), "signature",
                   "no signature line");
  return RC_OK;
}

int rc_note_parse(const uint8_t *buf, size_t len, struct rc_note *out,
                  struct rc_error *err) {
  memset(out, 0, sizeof *out);
  size_t bad = unclean_at(buf, len);
  if (bad != len)
    return rc_fail(err, RC_ERR_SYNTAX, line_of(buf, bad), "note",
                   "not valid UTF-8, or holds a control character other than "
                   "newline (byte %zu)", bad);
  /* the last empty line separates text and signatures */
  size_t i = len;
  while (i >= 2 && !(buf[i - 1] == '\n' && buf[i - 2] == '\n')) i--;
  if (i < 2)
    return rc_fail(err, RC_ERR_SYNTAX, line_of(buf, len), "note",
                   "no empty line before the signatures");
  size_t textlen = i - 1; /* includes the text's final '\n' */
  /* a text that is a lone newline (the note starts with the blank line) is
   * empty: refused, as rc_note_next does (Go's note.Open accepts it) */
  if (textlen <= 1)
    return rc_fail(err, RC_ERR_SYNTAX, 1, "note", "empty note text");
  if (i == len)
    return rc_fail(err, RC_ERR_SYNTAX, line_of(buf, len), "signature",
                   "no signature line");
  if (buf[len - 1] != '\n')
    return rc_fail(err, RC_ERR_SYNTAX, line_of(buf, len), "signature",
                   "the note does not end with a newline");
  out->text = buf;
  out->textlen = textlen;
  int rc = parse_sigs(buf, i, len, out, err);
  if (rc) memset(out, 0, sizeof *out);
  return rc;
}

int rc_note_next(const uint8_t *buf, size_t len, size_t *consumed,
                 struct rc_note *out, struct rc_error *err) {
  memset(out, 0, sizeof *out);
  *consumed = 0;
  if (len == 0 || buf[0] == '\n')
    return rc_fail(err, RC_ERR_SYNTAX, 1, "note", "empty note text");
  /* the text runs to the first empty line */
  size_t i = 0;
  const uint8_t *p = buf;
  for (;;) {
    const uint8_t *nl = memchr(p, '\n', len - (size_t)(p - buf));
    if (!nl)
      return rc_fail(err, RC_ERR_SYNTAX, line_of(buf, len), "note",
                     "no empty line after the text: the note is cut short");
    if ((size_t)(nl - buf) + 1 < len && nl[1] == '\n') {
      i = (size_t)(nl - buf) + 1; /* text length */
      break;
    }
    p = nl + 1;
    if ((size_t)(p - buf) > RC_NOTE_MAX)
      return rc_fail(err, RC_ERR_LIMIT, 1, "note",
                     "note text longer than %d bytes", RC_NOTE_MAX);
  }
  if (i > RC_NOTE_MAX)
    return rc_fail(err, RC_ERR_LIMIT, 1, "note",
                   "note text longer than %d bytes", RC_NOTE_MAX);
  /* signature lines follow the empty line, up to the first line that
   * does not begin with "— " (or the end of buf) */
  size_t start = i + 1, end = start, nlines = 0;
  while (end < len && len - end >= 4 && !memcmp(buf + end, EMDASH " ", 4)) {
    if (++nlines > RC_NOTE_MAX_SIGS)
      return rc_fail(err, RC_ERR_LIMIT, line_of(buf, end), "signature",
                     "more than %d signature lines", RC_NOTE_MAX_SIGS);
    const uint8_t *nl = memchr(buf + end, '\n', len - end);
    if (!nl)
      return rc_fail(err, RC_ERR_SYNTAX, line_of(buf, end), "signature",
                     "signature line does not end with a newline");
    end = (size_t)(nl - buf) + 1;
  }
  size_t bad = unclean_at(buf, end);
  if (bad != end)
    return rc_fail(err, RC_ERR_SYNTAX, line_of(buf, bad), "note",
                   "not valid UTF-8, or holds a control character other "
                   "than newline (byte %zu)", bad);
  out->text = buf;
  out->textlen = i;
  int rc = parse_sigs(buf, start, end, out, err);
  if (rc) {
    memset(out, 0, sizeof *out);
    return rc;
  }
  *consumed = end;
  return RC_OK;
}

int rc_note_span(const uint8_t *buf, size_t len, size_t *used,
                 struct rc_error *err) {
  *used = 0;
  if (len == 0 || buf[0] == '\n')
    return rc_fail(err, RC_ERR_SYNTAX, 1, "note",
                   "an empty line where a count sheet should start");
  size_t lim = len < RC_NOTE_MAX + 2 ? len : RC_NOTE_MAX + 2;
  const uint8_t *p = buf, *end = buf + lim, *text_end = NULL;
  while (p < end) {
    const uint8_t *nl = memchr(p, '\n', (size_t)(end - p));
    if (!nl) break;
    if (nl + 1 < buf + len && nl[1] == '\n') {
      text_end = nl + 1;
      break;
    }
    p = nl + 1;
  }
  if (!text_end) {
    if (lim < len)
      return rc_fail(err, RC_ERR_LIMIT, 1, "note",
                     "no empty line within %d bytes: not a count sheet",
                     RC_NOTE_MAX);
    return rc_fail(err, RC_ERR_SYNTAX, line_of(buf, len), "note",
                   "the text has no empty line after it: the note is cut "
                   "short");
  }
  size_t pos = (size_t)(text_end - buf) + 1;
  while (len - pos >= 4 && !memcmp(buf + pos, EMDASH " ", 4)) {
    size_t room = len - pos;
    if (room > SIG_B64_MAX + RC_KEYNAME_MAX + 16)
      room = SIG_B64_MAX + RC_KEYNAME_MAX + 16;
    const uint8_t *nl = memchr(buf + pos, '\n', room);
    if (!nl)
      return rc_fail(err, RC_ERR_SYNTAX, line_of(buf, pos), "signature",
                     "signature line too long or without its newline");
    pos = (size_t)(nl - buf) + 1;
  }
  *used = pos;
  return RC_OK;
}

int rc_note_verify(const struct rc_note *n, const struct rc_vkey *keys,
                   size_t nkeys, enum rc_crypto_mode mode,
                   struct rc_note_check *res, int *keystat) {
  struct rc_note_check r = {0};
  if (keystat)
    for (size_t k = 0; k < nkeys; k++) keystat[k] = 0;
  for (size_t i = 0; i < n->nsigs; i++) {
    const struct rc_sigline *s = &n->sigs[i];
    int matched = 0;
    for (size_t k = 0; k < nkeys; k++) {
      const struct rc_vkey *key = &keys[k];
      if (s->namelen != key->namelen || memcmp(s->name, key->name, s->namelen) ||
          memcmp(s->keyid, key->id, 4))
        continue;
      matched = 1;
      int st = -1;
      if (s->siglen == 64) {
        enum rc_sig_result v =
            rc_ed25519_verify(key->pk, n->text, n->textlen, s->sig, mode, NULL,
                              NULL);
        st = v == RC_SIG_VALID ? 1 : v == RC_SIG_DISAGREE ? -2 : -1;
      }
      if (st == 1) r.verified++;
      else {
        r.failed++;
        if (st == -2) r.disagreed++;
      }
      if (keystat) {
        /* worst outcome wins: disagreement, then failure, then valid */
        int cur = keystat[k];
        keystat[k] = (st == -2 || cur == -2)   ? -2
                     : (st == -1 || cur == -1) ? -1
                                               : 1;
      }
    }
    if (!matched) r.unknown++;
  }
  if (res) *res = r;
  return r.verified > 0 && r.failed == 0 ? RC_OK : RC_ERR_SIG;
}

int rc_note_signed_by(const struct rc_note *n, const struct rc_vkey *key,
                      enum rc_crypto_mode mode) {
  for (size_t i = 0; i < n->nsigs; i++) {
    const struct rc_sigline *s = &n->sigs[i];
    if (s->namelen != key->namelen || memcmp(s->name, key->name, s->namelen) ||
        memcmp(s->keyid, key->id, 4) || s->siglen != 64)
      continue;
    if (rc_ed25519_verify(key->pk, n->text, n->textlen, s->sig, mode, NULL,
                          NULL) == RC_SIG_VALID)
      return 1;
  }
  return 0;
}
