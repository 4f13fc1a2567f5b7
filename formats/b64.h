/* b64.h — RFC 4648 §4 base64, canonical only.
 * The decoder rejects missing or extra padding, characters outside the
 * standard alphabet, whitespace, and non-zero unused bits, so every value
 * has exactly one accepted encoding. */
#ifndef RC_B64_H
#define RC_B64_H
#include "rc.h"

/* Encoded length (with padding, without NUL) of n bytes. */
size_t rc_b64_enc_len(size_t n);

/* Writes the encoding of in[0..n) and a NUL to out (size >= enc_len+1). */
void rc_b64_encode(const uint8_t *in, size_t n, char *out);

/* Appends the encoding to b. */
void rc_b64_append(struct rc_buf *b, const uint8_t *in, size_t n);

/* Decodes s[0..slen) into out (capacity outcap). Returns RC_OK and sets
 * *outlen, or RC_ERR_BASE64 if s is not a canonical encoding, or
 * RC_ERR_LIMIT if it would not fit. */
RC_WUR int rc_b64_decode(const char *s, size_t slen, uint8_t *out,
                         size_t outcap, size_t *outlen);

/* Decodes exactly want bytes; any other decoded length is RC_ERR_BASE64. */
RC_WUR int rc_b64_decode_exact(const char *s, size_t slen, uint8_t *out,
                               size_t want);
#endif
