/* tlogproof.h — C2SP tlog-proof@v1 files (c2sp.org/tlog-proof), the v1.1
 * station receipt (RECORD.md §5):
 *
 *   c2sp.org/tlog-proof@v1
 *   extra <base64 of the station's signed sheet note>      (optional)
 *   index <0-based leaf index in the log>
 *   <base64 32-byte hash>             (0..RC_PROOF_MAX: the inclusion proof)
 *   <empty line>
 *   <the checkpoint note, with its signature and cosignature lines>
 *
 * Lines end in '\n'; numbers are decimal without a leading zero; base64 is
 * canonical. The checkpoint note is kept as bytes (the receipt check
 * parses it as a signed note). Parsing then encoding gives back the
 * identical bytes. */
#ifndef RC_TLOGPROOF_H
#define RC_TLOGPROOF_H
#include "merkle.h"
#include "rc.h"

#define RC_TLOG_PROOF_HEADER "c2sp.org/tlog-proof@v1"
#define RC_TLOG_PROOF_MAX (1u << 20)  /* a whole file */
#define RC_TLOG_EXTRA_MAX RC_NOTE_MAX /* decoded extra: one signed note */

struct rc_tlog_proof {
  int have_extra;
  uint8_t *extra; /* decoded (malloc'd; rc_tlog_proof_free) */
  size_t extra_len;
  uint64_t index;
  rc_hash proof[RC_PROOF_MAX];
  size_t plen;
  const uint8_t *checkpoint; /* points into the parsed buffer */
  size_t checkpoint_len;
};

/* Parses buf[0..len). Errors name the 1-based line and the field
 * ("header", "extra", "index", "hash", "checkpoint", "line"): RC_ERR_SYNTAX,
 * RC_ERR_LIMIT (a file, extra or number too large, more than RC_PROOF_MAX
 * hashes), RC_ERR_BASE64, RC_ERR_NOMEM. On failure *out is empty. */
RC_WUR int rc_parse_tlog_proof(const uint8_t *buf, size_t len,
                               struct rc_tlog_proof *out, struct rc_error *err);
/* Appends p to b, the exact inverse of the parser. RC_ERR_USAGE (nothing
 * appended) for a proof no file has: more than RC_PROOF_MAX hashes, an
 * empty checkpoint or one that does not end in '\n'. */
RC_WUR int rc_encode_tlog_proof(const struct rc_tlog_proof *p,
                                struct rc_buf *b);
void rc_tlog_proof_free(struct rc_tlog_proof *p);
#endif
