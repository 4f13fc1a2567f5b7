/* b64.c — strict RFC 4648 §4 base64 (see b64.h). Not crypto: a plain
 * table decoder that accepts exactly one encoding per value. */
#include "b64.h"

#include <pthread.h>

static const char alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

size_t rc_b64_enc_len(size_t n) { return (n + 2) / 3 * 4; }

void rc_b64_encode(const uint8_t *in, size_t n, char *out) {
  size_t o = 0, i = 0;
  for (; i + 3 <= n; i += 3) {
    uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
    out[o++] = alphabet[v >> 18];
    out[o++] = alphabet[(v >> 12) & 63];
    out[o++] = alphabet[(v >> 6) & 63];
    out[o++] = alphabet[v & 63];
  }
  if (n - i == 1) {
    uint32_t v = (uint32_t)in[i] << 16;
    out[o++] = alphabet[v >> 18];
    out[o++] = alphabet[(v >> 12) & 63];
    out[o++] = '=';
    out[o++] = '=';
  } else if (n - i == 2) {
    uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8;
    out[o++] = alphabet[v >> 18];
    out[o++] = alphabet[(v >> 12) & 63];
    out[o++] = alphabet[(v >> 6) & 63];
    out[o++] = '=';
  }
  out[o] = 0;
}

void rc_b64_append(struct rc_buf *b, const uint8_t *in, size_t n) {
  char tmp[4 * 64 + 1];
  /* encode in chunks of 48 bytes (64 characters) */
  for (size_t i = 0; i < n; i += 48 * 4) {
    size_t c = n - i < 48 * 4 ? n - i : 48 * 4;
    rc_b64_encode(in + i, c, tmp);
    rc_buf_put(b, tmp, rc_b64_enc_len(c));
  }
}

/* decoding table: 0..63, or 0xff for bytes outside the alphabet */
static uint8_t dtab[256];
static void dtab_init(void) {
  for (int i = 0; i < 256; i++) dtab[i] = 0xff;
  for (int i = 0; i < 64; i++) dtab[(unsigned char)alphabet[i]] = (uint8_t)i;
}
static pthread_once_t dtab_once = PTHREAD_ONCE_INIT;

static inline int val(char c) {
  uint8_t v = dtab[(unsigned char)c];
  return v == 0xff ? -1 : v;
}

int rc_b64_decode(const char *s, size_t slen, uint8_t *out, size_t outcap,
                  size_t *outlen) {
  *outlen = 0;
  pthread_once(&dtab_once, dtab_init);
  if (slen % 4 != 0) return RC_ERR_BASE64;
  size_t o = 0;
  for (size_t i = 0; i < slen; i += 4) {
    int last = i + 4 == slen;
    int a = val(s[i]), b = val(s[i + 1]), c = val(s[i + 2]), d = val(s[i + 3]);
    if (a < 0 || b < 0) return RC_ERR_BASE64;
    if (last && s[i + 2] == '=' && s[i + 3] == '=') {
      if (b & 15) return RC_ERR_BASE64; /* non-zero unused bits */
      if (o + 1 > outcap) return RC_ERR_LIMIT;
      out[o++] = (uint8_t)(a << 2 | b >> 4);
      break;
    }
    if (c < 0) return RC_ERR_BASE64;
    if (last && s[i + 3] == '=') {
      if (c & 3) return RC_ERR_BASE64;
      if (o + 2 > outcap) return RC_ERR_LIMIT;
      out[o++] = (uint8_t)(a << 2 | b >> 4);
      out[o++] = (uint8_t)((b & 15) << 4 | c >> 2);
      break;
    }
    if (d < 0) return RC_ERR_BASE64;
    if (o + 3 > outcap) return RC_ERR_LIMIT;
    out[o++] = (uint8_t)(a << 2 | b >> 4);
    out[o++] = (uint8_t)((b & 15) << 4 | c >> 2);
    out[o++] = (uint8_t)((c & 3) << 6 | d);
  }
  *outlen = o;
  return RC_OK;
}

int rc_b64_decode_exact(const char *s, size_t slen, uint8_t *out,
                        size_t want) {
  if (slen != rc_b64_enc_len(want)) return RC_ERR_BASE64;
  size_t got = 0;
  int rc = rc_b64_decode(s, slen, out, want, &got);
  if (rc == RC_ERR_LIMIT) return RC_ERR_BASE64;
  if (rc != RC_OK || got != want) return RC_ERR_BASE64;
  return RC_OK;
}
