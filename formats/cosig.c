/* cosig.c — C2SP tlog-cosignature/v1 keys, lines and messages (cosig.h). */
#include "cosig.h"

#include <string.h>

#include "b64.h"
#include "hash.h"
#include "text.h"

#define EMDASH "\xe2\x80\x94"
#define LINE_B64_MAX 8192 /* as note.c: longer lines are not signatures */

void rc_cosig_key_id(const char *name, size_t n, const uint8_t pk[32],
                     uint8_t id[4]) {
  static const uint8_t mid[2] = {0x0A, RC_COSIG_TYPE};
  uint8_t h[32];
  rc_sha256_3(name, n, mid, 2, pk, 32, h);
  memcpy(id, h, 4);
}

int rc_cosig_vkey_parse(const char *s, size_t n, struct rc_vkey *out,
                        struct rc_error *err) {
  memset(out, 0, sizeof *out);
  const char *p1 = n ? memchr(s, '+', n) : NULL;
  if (!p1)
    return rc_fail(err, RC_ERR_KEY, 0, "key",
                   "a witness key is <name>+<key id>+<key>");
  size_t namelen = (size_t)(p1 - s);
  if (!rc_keyname_valid(s, namelen))
    return rc_fail(err, RC_ERR_KEY, 0, "key name",
                   "invalid key name (non-empty, at most %d bytes, no white "
                   "space, no '+', no control character, UTF-8)",
                   RC_KEYNAME_MAX);
  const char *hex = p1 + 1;
  size_t rest = n - namelen - 1;
  uint8_t id[4];
  if (rest < 9 || hex[8] != '+' || rc_parse_hex(hex, sizeof id, id) != 0)
    return rc_fail(err, RC_ERR_KEY, 0, "key id",
                   "the key id must be 8 lowercase hex digits");
  uint8_t raw[33];
  if (rc_b64_decode_exact(hex + 9, rest - 9, raw, sizeof raw) != RC_OK)
    return rc_fail(err, RC_ERR_KEY, 0, "key",
                   "the key must be the canonical base64 of 33 bytes");
  if (raw[0] != RC_COSIG_TYPE)
    return rc_fail(err, RC_ERR_KEY, 0, "key",
                   "key type 0x%02x is not a cosignature key (0x04, "
                   "tlog-cosignature/v1)%s",
                   raw[0], raw[0] == 0x01 ? ": this is a note key" : "");
  uint8_t want[4];
  rc_cosig_key_id(s, namelen, raw + 1, want);
  if (memcmp(want, id, 4) != 0)
    return rc_fail(err, RC_ERR_KEYID, 0, "key id",
                   "the key id does not match the key name and key");
  out->name = s;
  out->namelen = namelen;
  memcpy(out->id, id, 4);
  memcpy(out->pk, raw + 1, 32);
  return RC_OK;
}

void rc_cosig_vkey_encode(const struct rc_vkey *k, struct rc_buf *b) {
  uint8_t raw[33];
  raw[0] = RC_COSIG_TYPE;
  memcpy(raw + 1, k->pk, 32);
  rc_buf_put(b, k->name, k->namelen);
  rc_buf_printf(b, "+%02x%02x%02x%02x+", k->id[0], k->id[1], k->id[2],
                k->id[3]);
  rc_b64_append(b, raw, sizeof raw);
}

int rc_cosig_vkey_read_file(const char *path, struct rc_vkey *out,
                            char *namebuf, struct rc_error *err) {
  return rc_key_read_file(path, rc_cosig_vkey_parse, out, namebuf, err);
}

void rc_cosig_message(const uint8_t *text, size_t len, uint64_t t,
                      struct rc_buf *b) {
  rc_buf_puts(b, "cosignature/v1\ntime ");
  rc_buf_put_u64(b, t);
  rc_buf_putc(b, '\n');
  rc_buf_put(b, text, len);
}

int rc_cosig_line_parse(const uint8_t *s, size_t n, struct rc_cosig_line *out,
                        struct rc_error *err) {
  memset(out, 0, sizeof *out);
  if (n < 4 || memcmp(s, EMDASH " ", 4) != 0)
    return rc_fail(err, RC_ERR_SYNTAX, 0, "signature",
                   "a signature line begins with '— '");
  const uint8_t *name = s + 4;
  const uint8_t *sp = memchr(name, ' ', n - 4);
  if (!sp)
    return rc_fail(err, RC_ERR_SYNTAX, 0, "signature",
                   "no signature after the key name");
  size_t namelen = (size_t)(sp - name);
  if (!rc_keyname_valid((const char *)name, namelen))
    return rc_fail(err, RC_ERR_SYNTAX, 0, "signature", "invalid key name");
  const char *b = (const char *)sp + 1;
  size_t blen = n - 4 - namelen - 1;
  uint8_t raw[LINE_B64_MAX / 4 * 3];
  size_t got = 0;
  if (blen == 0 || blen > LINE_B64_MAX ||
      rc_b64_decode(b, blen, raw, sizeof raw, &got) != RC_OK)
    return rc_fail(err, RC_ERR_SYNTAX, 0, "signature",
                   "the signature is not canonical base64 (at most %d "
                   "characters)",
                   LINE_B64_MAX);
  if (got < 5)
    return rc_fail(err, RC_ERR_SYNTAX, 0, "signature",
                   "the signature holds %zu bytes (at least 5)", got);
  out->name = (const char *)name;
  out->namelen = namelen;
  memcpy(out->id, raw, 4);
  out->rawlen = got;
  if (got == RC_COSIG_RAW) {
    uint64_t t = 0;
    for (size_t i = 0; i < 8; i++) t = t << 8 | raw[4 + i];
    out->time = t;
    memcpy(out->sig, raw + 12, 64);
  }
  return RC_OK;
}

void rc_cosig_line_encode(const struct rc_vkey *k, uint64_t t,
                          const uint8_t sig[64], struct rc_buf *b) {
  uint8_t raw[RC_COSIG_RAW];
  memcpy(raw, k->id, 4);
  for (size_t i = 0; i < 8; i++) raw[4 + i] = (uint8_t)(t >> (56 - 8 * i));
  memcpy(raw + 12, sig, 64);
  rc_buf_puts(b, EMDASH " ");
  rc_buf_put(b, k->name, k->namelen);
  rc_buf_putc(b, ' ');
  rc_b64_append(b, raw, sizeof raw);
  rc_buf_putc(b, '\n');
}

enum rc_sig_result rc_cosig_verify(const struct rc_vkey *k, const uint8_t *text,
                                   size_t len, const struct rc_cosig_line *l,
                                   enum rc_crypto_mode mode, int *sodium_ok,
                                   int *ossl_ok) {
  if (l->rawlen != RC_COSIG_RAW || l->namelen != k->namelen ||
      memcmp(l->name, k->name, k->namelen) != 0 || memcmp(l->id, k->id, 4) != 0)
    return RC_SIG_INVALID;
  struct rc_buf m = {0};
  rc_cosig_message(text, len, l->time, &m);
  if (m.oom) {
    rc_buf_free(&m);
    return RC_SIG_ERROR;
  }
  enum rc_sig_result r =
      rc_ed25519_verify(k->pk, m.p, m.len, l->sig, mode, sodium_ok, ossl_ok);
  rc_buf_free(&m);
  return r;
}

static void note_fail(struct rc_witness_result *r, size_t line,
                      enum rc_cosig_fail why, const struct rc_cosig_line *l) {
  if (r->nfailed++ == 0) {
    r->fail_line = line;
    r->fail = why;
    r->fail_len = l->rawlen;
    r->fail_time = l->time;
  }
}

int rc_cosig_check_note(const uint8_t *note, size_t len,
                        const struct rc_vkey *w, size_t nw, uint64_t now,
                        enum rc_crypto_mode mode, struct rc_witness_result *res,
                        struct rc_error *err) {
  memset(res, 0, nw * sizeof *res);
  if (len == 0 || note[len - 1] != '\n')
    return rc_fail(err, RC_ERR_SYNTAX, 0, "note",
                   "the note does not end with a newline");
  size_t i = len; /* the last empty line separates text and signatures */
  while (i >= 2 && !(note[i - 1] == '\n' && note[i - 2] == '\n')) i--;
  if (i < 2)
    return rc_fail(err, RC_ERR_SYNTAX, 0, "note",
                   "no empty line before the signatures");
  size_t textlen = i - 1, line = 1;
  for (size_t k = 0; k < i; k++)
    if (note[k] == '\n') line++;
  uint64_t limit = now > UINT64_MAX - RC_COSIG_FUTURE_MAX
                       ? UINT64_MAX
                       : now + RC_COSIG_FUTURE_MAX;
  for (size_t pos = i, nlines = 0; pos < len && nlines < RC_COSIG_LINES_MAX;
       nlines++, line++) {
    const uint8_t *nl = memchr(note + pos, '\n', len - pos);
    size_t n = (size_t)(nl - (note + pos)); /* the note ends in '\n' */
    struct rc_cosig_line l;
    int ok = rc_cosig_line_parse(note + pos, n, &l, NULL) == RC_OK;
    pos += n + 1;
    for (size_t k = 0; ok && k < nw; k++) {
      if (l.namelen != w[k].namelen || memcmp(l.name, w[k].name, l.namelen) ||
          memcmp(l.id, w[k].id, 4))
        continue;
      struct rc_witness_result *r = &res[k];
      if (l.rawlen != RC_COSIG_RAW) {
        note_fail(r, line, RC_CF_LENGTH, &l);
      } else if (l.time > limit) {
        note_fail(r, line, RC_CF_FUTURE, &l);
      } else {
        enum rc_sig_result v =
            rc_cosig_verify(&w[k], note, textlen, &l, mode, NULL, NULL);
        if (v == RC_SIG_ERROR)
          return rc_fail(err, RC_ERR_NOMEM, line, "signature", "out of memory");
        if (v == RC_SIG_VALID && r->status != RC_W_COSIGNED) {
          r->status = RC_W_COSIGNED;
          r->time = l.time;
        } else if (v != RC_SIG_VALID) {
          note_fail(r, line,
                    v == RC_SIG_DISAGREE ? RC_CF_DISAGREE : RC_CF_SIGNATURE,
                    &l);
        }
      }
    }
  }
  for (size_t k = 0; k < nw; k++)
    if (res[k].status != RC_W_COSIGNED && res[k].nfailed)
      res[k].status = RC_W_INVALID;
  return RC_OK;
}
