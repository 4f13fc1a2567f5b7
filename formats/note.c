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

const char *rc_sigline_bad_str(enum rc_sigline_bad b) {
  switch (b) {
  case RC_SL_OK: return "well formed";
  case RC_SL_FIELDS: return "no key name or no signature field";
  case RC_SL_NAME: return "not a valid key name";
  case RC_SL_BASE64: return "the signature is not canonical base64";
  case RC_SL_SHORT: return "fewer than 5 decoded bytes";
  case RC_SL_UNCLEAN: return "not UTF-8, or holds a control character";
  case RC_SL_NO_NEWLINE: return "the last line, without its newline";
  }
  return "malformed";
}

/* Parses one signature line s[0..n) (without its '\n'; nl 0 when the
 * input ended before one), which begins with "— ": "— " <key name> " "
 * <canonical base64 of >= 5 bytes>. A line that does not follow this is
 * kept with out->bad set (RECORD.md §1: it is ignored, never fatal). */
static void parse_sigline(const uint8_t *s, size_t n, int nl, size_t line,
                          struct rc_sigline *out) {
  memset(out, 0, sizeof *out);
  out->line = (uint32_t)line;
  if (!nl) {
    out->bad = RC_SL_NO_NEWLINE;
    return;
  }
  if (unclean_at(s, n) != n) {
    out->bad = RC_SL_UNCLEAN;
    return;
  }
  const uint8_t *name = s + 4;
  const uint8_t *sp = memchr(name, ' ', n - 4);
  size_t namelen = sp ? (size_t)(sp - name) : 0;
  if (!sp || namelen == 0 || namelen + 5 == n) {
    out->bad = RC_SL_FIELDS;
    return;
  }
  if (!rc_keyname_valid((const char *)name, namelen)) {
    out->bad = RC_SL_NAME;
    return;
  }
  const char *b = (const char *)sp + 1;
  size_t blen = n - 4 - namelen - 1;
  uint8_t raw[SIG_B64_MAX / 4 * 3];
  size_t got = 0;
  if (blen > SIG_B64_MAX ||
      rc_b64_decode(b, blen, raw, sizeof raw, &got) != RC_OK) {
    out->bad = RC_SL_BASE64;
    return;
  }
  if (got < 5) {
    out->bad = RC_SL_SHORT;
    return;
  }
  out->name = (const char *)name;
  out->namelen = namelen;
  out->b64 = b;
  out->b64len = blen;
  memcpy(out->keyid, raw, 4);
  out->siglen = got - 4;
  if (out->siglen <= RC_SIGLINE_KEEP) memcpy(out->sig, raw + 4, out->siglen);
}

/* Reads the signature lines in buf[start..end): every line must begin
 * with "— " (else the note is malformed); the last one may lack its
 * newline only when end is the end of the input. The first
 * RC_NOTE_MAX_SIGS go into out->sigs, the rest are counted. Line numbers
 * are relative to buf. */
static int parse_sigs(const uint8_t *buf, size_t start, size_t end,
                      struct rc_note *out, struct rc_error *err) {
  size_t pos = start, line = line_of(buf, start);
  out->nsigs = 0;
  out->nextra = 0;
  out->extra_line = 0;
  while (pos < end) {
    const uint8_t *nl = memchr(buf + pos, '\n', end - pos);
    size_t n = nl ? (size_t)(nl - (buf + pos)) : end - pos;
    if (n < 4 || memcmp(buf + pos, EMDASH " ", 4) != 0)
      return rc_fail(err, RC_ERR_SYNTAX, line, "signature",
                     "a line among the signatures that does not begin "
                     "with '— '");
    if (out->nsigs < RC_NOTE_MAX_SIGS) {
      parse_sigline(buf + pos, n, nl != NULL, line, &out->sigs[out->nsigs]);
      out->nsigs++;
    } else if (out->nextra++ == 0) {
      out->extra_line = line;
    }
    line++;
    pos += n + (nl != NULL);
  }
  if (out->nsigs == 0)
    return rc_fail(err, RC_ERR_SYNTAX, line_of(buf, start), "signature",
                   "no signature line");
  return RC_OK;
}

int rc_note_parse(const uint8_t *buf, size_t len, struct rc_note *out,
                  struct rc_error *err) {
  memset(out, 0, sizeof *out);
  /* the last empty line separates text and signatures */
  size_t i = len;
  while (i >= 2 && !(buf[i - 1] == '\n' && buf[i - 2] == '\n')) i--;
  if (i < 2) {
    size_t bad = unclean_at(buf, len);
    if (bad != len)
      return rc_fail(err, RC_ERR_SYNTAX, line_of(buf, bad), "note",
                     "not valid UTF-8, or holds a control character other "
                     "than newline (byte %zu)",
                     bad);
    return rc_fail(err, RC_ERR_SYNTAX, line_of(buf, len), "note",
                   "no empty line before the signatures");
  }
  size_t textlen = i - 1; /* includes the text's final '\n' */
  size_t bad = unclean_at(buf, textlen);
  if (bad != textlen)
    return rc_fail(err, RC_ERR_SYNTAX, line_of(buf, bad), "note",
                   "not valid UTF-8, or holds a control character other "
                   "than newline (byte %zu)",
                   bad);
  /* a text that is a lone newline (the note starts with the blank line) is
   * empty: refused, as rc_note_next does (Go's note.Open accepts it) */
  if (textlen <= 1)
    return rc_fail(err, RC_ERR_SYNTAX, 1, "note", "empty note text");
  if (i == len)
    return rc_fail(err, RC_ERR_SYNTAX, line_of(buf, len), "signature",
                   "no signature line");
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
  size_t bad = unclean_at(buf, i);
  if (bad != i)
    return rc_fail(err, RC_ERR_SYNTAX, line_of(buf, bad), "note",
                   "not valid UTF-8, or holds a control character other "
                   "than newline (byte %zu)",
                   bad);
  /* signature lines follow the empty line, up to the first line that
   * does not begin with "— " (or the end of buf, which may cut the last
   * one short: a malformed line, not a reason to drop the note) */
  size_t start = i + 1, end = start;
  while (end < len && len - end >= 4 && !memcmp(buf + end, EMDASH " ", 4)) {
    const uint8_t *nl = memchr(buf + end, '\n', len - end);
    end = nl ? (size_t)(nl - buf) + 1 : len;
  }
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
  /* every following line that begins with "— " is a signature line, the
   * last one of buf also without its newline (each byte is looked at
   * once, whatever the lines' number or length) */
  while (len - pos >= 4 && !memcmp(buf + pos, EMDASH " ", 4)) {
    const uint8_t *nl = memchr(buf + pos, '\n', len - pos);
    pos = nl ? (size_t)(nl - buf) + 1 : len;
  }
  *used = pos;
  return RC_OK;
}

static int line_is_by(const struct rc_sigline *sl, const struct rc_vkey *k) {
  return sl->namelen == k->namelen && !memcmp(sl->name, k->name, sl->namelen) &&
         !memcmp(sl->keyid, k->id, 4);
}

/* Index of the first key of ks with sl's name and key id, or -1. */
static long find_key(const struct rc_keyset *ks, const struct rc_sigline *sl) {
  for (size_t k = 0; k < ks->na; k++)
    if (line_is_by(sl, &ks->a[k])) return (long)k;
  for (size_t k = 0; k < ks->nb; k++)
    if (line_is_by(sl, &ks->b[k])) return (long)(ks->na + k);
  return -1;
}

void rc_note_judge(const struct rc_note *n, const struct rc_keyset *ks,
                   enum rc_crypto_mode mode, struct rc_line_verdict *v,
                   uint64_t *verifications) {
  for (size_t i = 0; i < n->nsigs; i++) {
    const struct rc_sigline *sl = &n->sigs[i];
    struct rc_line_verdict *r = &v[i];
    *r = (struct rc_line_verdict){RC_LINE_UNKNOWN, -1, -1, 0};
    if (sl->bad) {
      r->fate = RC_LINE_MALFORMED;
      continue;
    }
    long k = find_key(ks, sl);
    if (k < 0) continue;
    r->key = (uint32_t)k;
    const struct rc_vkey *key =
        (size_t)k < ks->na ? &ks->a[k] : &ks->b[(size_t)k - ks->na];
    if (sl->siglen != 64) {
      r->fate = RC_LINE_LENGTH;
      continue;
    }
    if ((size_t)k < ks->na && ks->a_weak) {
      r->fate = RC_LINE_WEAK;
      continue;
    }
    int so = -1, os = -1;
    enum rc_sig_result res = rc_ed25519_verify(key->pk, n->text, n->textlen,
                                               sl->sig, mode, &so, &os);
    if (verifications) (*verifications)++;
    r->sodium = (int8_t)so;
    r->openssl = (int8_t)os;
    r->fate = res == RC_SIG_VALID      ? RC_LINE_VALID
              : res == RC_SIG_DISAGREE ? RC_LINE_DISAGREE
                                       : RC_LINE_FAILED;
  }
  /* a failing line next to a valid one by the same key is ignored */
  for (size_t i = 0; i < n->nsigs; i++) {
    if (v[i].fate != RC_LINE_FAILED) continue;
    for (size_t j = 0; j < n->nsigs; j++)
      if (v[j].fate == RC_LINE_VALID && v[j].key == v[i].key) {
        v[i].fate = RC_LINE_REDUNDANT;
        break;
      }
  }
}

/* What the lines by key k say (see keystat in note.h). */
static int key_status(const struct rc_note *n, const struct rc_line_verdict *v,
                      size_t k) {
  int st = 0;
  for (size_t i = 0; i < n->nsigs; i++) {
    enum rc_line_fate f = (enum rc_line_fate)v[i].fate;
    if (v[i].key != k || f == RC_LINE_UNKNOWN || f == RC_LINE_MALFORMED ||
        f == RC_LINE_REDUNDANT)
      continue;
    if (f == RC_LINE_VALID) return 1;
    if (f == RC_LINE_DISAGREE) st = -2;
    else if (st == 0) st = -1;
  }
  return st;
}

int rc_note_verify(const struct rc_note *n, const struct rc_vkey *keys,
                   size_t nkeys, enum rc_crypto_mode mode,
                   struct rc_note_check *res, int *keystat) {
  struct rc_note_check r = {0};
  struct rc_line_verdict v[RC_NOTE_MAX_SIGS];
  struct rc_keyset ks = {keys, nkeys, NULL, 0, 0};
  rc_note_judge(n, &ks, mode, v, NULL);
  r.ignored = n->nextra;
  for (size_t i = 0; i < n->nsigs; i++) {
    enum rc_line_fate f = (enum rc_line_fate)v[i].fate;
    if (f == RC_LINE_UNKNOWN) r.unknown++;
    else if (f == RC_LINE_VALID) r.verified++;
    else if (f == RC_LINE_DISAGREE) r.disagreed++, r.failed++;
    else if (f == RC_LINE_FAILED || f == RC_LINE_WEAK) r.failed++;
    if (rc_line_ignored(f)) r.ignored++;
  }
  if (res) *res = r;
  int any = 0, neg = 0;
  for (size_t k = 0; k < nkeys; k++) {
    int st = key_status(n, v, k);
    if (keystat) keystat[k] = st;
    any |= st == 1;
    neg |= st < 0;
  }
  return any && !neg ? RC_OK : RC_ERR_SIG;
}

int rc_note_signed_by(const struct rc_note *n, const struct rc_vkey *key,
                      enum rc_crypto_mode mode) {
  for (size_t i = 0; i < n->nsigs; i++) {
    const struct rc_sigline *s = &n->sigs[i];
    if (s->bad || !line_is_by(s, key) || s->siglen != 64) continue;
    if (rc_ed25519_verify(key->pk, n->text, n->textlen, s->sig, mode, NULL,
                          NULL) == RC_SIG_VALID)
      return 1;
  }
  return 0;
}
