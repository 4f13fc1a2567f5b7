/* b64.c — strict RFC 4648 §4 base64 (see b64.h). Not crypto: a plain
 * table decoder, written here rather than taken from libsodium because
 * sodium_base642bin stops quietly at the first character outside the
 * alphabet when given an end pointer. Exactly one encoding per value is
 * accepted: the length is a multiple of 4, padding ('=') appears only as
 * the last one or two characters of the last group, every other character
 * is in the standard alphabet (no whitespace, no URL-safe '-' '_'), and
 * the bits a padded group leaves unused are zero ("AB==" is refused, its
 * canonical form is "AA=="). */
#include "b64.h"

static const char alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* value + 1 of each alphabet character; 0 for every other byte ('=' too).
 * A constant table: nothing to initialise, so decoding is thread-safe. */
static const uint8_t dtab[256] = {
    ['A'] = 1,  ['B'] = 2,  ['C'] = 3,  ['D'] = 4,  ['E'] = 5,  ['F'] = 6,
    ['G'] = 7,  ['H'] = 8,  ['I'] = 9,  ['J'] = 10, ['K'] = 11, ['L'] = 12,
    ['M'] = 13, ['N'] = 14, ['O'] = 15, ['P'] = 16, ['Q'] = 17, ['R'] = 18,
    ['S'] = 19, ['T'] = 20, ['U'] = 21, ['V'] = 22, ['W'] = 23, ['X'] = 24,
    ['Y'] = 25, ['Z'] = 26, ['a'] = 27, ['b'] = 28, ['c'] = 29, ['d'] = 30,
    ['e'] = 31, ['f'] = 32, ['g'] = 33, ['h'] = 34, ['i'] = 35, ['j'] = 36,
    ['k'] = 37, ['l'] = 38, ['m'] = 39, ['n'] = 40, ['o'] = 41, ['p'] = 42,
    ['q'] = 43, ['r'] = 44, ['s'] = 45, ['t'] = 46, ['u'] = 47, ['v'] = 48,
    ['w'] = 49, ['x'] = 50, ['y'] = 51, ['z'] = 52, ['0'] = 53, ['1'] = 54,
    ['2'] = 55, ['3'] = 56, ['4'] = 57, ['5'] = 58, ['6'] = 59, ['7'] = 60,
    ['8'] = 61, ['9'] = 62, ['+'] = 63, ['/'] = 64,
};

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
  enum { CHUNK = 192 }; /* input bytes per step: 256 characters */
  char tmp[CHUNK / 3 * 4 + 1];
  for (size_t i = 0; i < n; i += CHUNK) {
    size_t c = n - i < CHUNK ? n - i : CHUNK;
    rc_b64_encode(in + i, c, tmp);
    rc_buf_put(b, tmp, rc_b64_enc_len(c));
  }
}

int rc_b64_decode(const char *s, size_t slen, uint8_t *out, size_t outcap,
                  size_t *outlen) {
  *outlen = 0;
  if (slen % 4 != 0) return RC_ERR_BASE64;
  if (slen == 0) return RC_OK;
  /* the decoded length, known before anything is written */
  size_t pad = s[slen - 1] != '=' ? 0 : s[slen - 2] != '=' ? 1 : 2;
  size_t want = slen / 4 * 3 - pad;
  if (want > outcap) return RC_ERR_LIMIT;
  size_t o = 0, full = slen - (pad ? 4 : 0);
  for (size_t i = 0; i < full; i += 4) {
    unsigned a = dtab[(unsigned char)s[i]], b = dtab[(unsigned char)s[i + 1]],
             c = dtab[(unsigned char)s[i + 2]],
             d = dtab[(unsigned char)s[i + 3]];
    if (!a || !b || !c || !d) return RC_ERR_BASE64; /* includes '=' */
    uint32_t v = (a - 1) << 18 | (b - 1) << 12 | (c - 1) << 6 | (d - 1);
    out[o++] = (uint8_t)(v >> 16);
    out[o++] = (uint8_t)(v >> 8);
    out[o++] = (uint8_t)v;
  }
  if (pad) { /* the last group: "xx==" or "xxx=" */
    const char *g = s + full;
    unsigned a = dtab[(unsigned char)g[0]], b = dtab[(unsigned char)g[1]];
    unsigned c = pad == 1 ? dtab[(unsigned char)g[2]] : 1;
    if (!a || !b || !c) return RC_ERR_BASE64; /* "x===" or a stray char */
    uint32_t v = (a - 1) << 18 | (b - 1) << 12 | (c - 1) << 6;
    /* the unused low bits must be zero: 4 bits for "xx==", 2 for "xxx=" */
    if (v & (pad == 2 ? 0xffffu : 0xffu)) return RC_ERR_BASE64;
    out[o++] = (uint8_t)(v >> 16);
    if (pad == 1) out[o++] = (uint8_t)(v >> 8);
  }
  *outlen = o;
  return RC_OK;
}

int rc_b64_decode_exact(const char *s, size_t slen, uint8_t *out, size_t want) {
  if (slen != rc_b64_enc_len(want)) return RC_ERR_BASE64;
  size_t got = 0;
  if (rc_b64_decode(s, slen, out, want, &got) != RC_OK || got != want)
    return RC_ERR_BASE64;
  return RC_OK;
}
