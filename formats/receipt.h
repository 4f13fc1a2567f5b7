/* receipt.h — a self-contained proof that one station's signed count sheet
 * is committed by the commission's signed checkpoint (modelled on the C2SP
 * tlog-proof idea). Text format, every line '\n'-terminated:
 *
 *   recount receipt v1
 *   station <station-id>
 *   district <district-id>
 *   sheet-index <leaf index> <district tree size>
 *   hash <base64 32 bytes>          (0..RC_PROOF_MAX: the inclusion path)
 *   record-index <leaf index> <election tree size>
 *   hash <base64 32 bytes>          (0..RC_PROOF_MAX)
 *   manifest <n>                    then exactly n bytes: the signed manifest
 *   sheet <n>                       then n bytes: the signed count sheet
 *   district-record <n>             then n bytes: the district record text
 *   checkpoint <n>                  then n bytes: the signed checkpoint
 *
 * The manifest is included whole because it is what authenticates the
 * station's key (its hash is in the checkpoint). Nothing may follow. */
#ifndef RC_RECEIPT_H
#define RC_RECEIPT_H
#include "merkle.h"
#include "rc.h"

struct rc_receipt {
  char station[RC_ID_MAX + 1];
  char district[RC_ID_MAX + 1];
  uint64_t sheet_index, sheet_size;
  rc_hash sheet_proof[RC_PROOF_MAX];
  size_t sheet_plen;
  uint64_t record_index, record_size;
  rc_hash record_proof[RC_PROOF_MAX];
  size_t record_plen;
  /* sections point into the parsed buffer */
  const uint8_t *manifest, *sheet, *record, *checkpoint;
  size_t manifest_len, sheet_len, record_len, checkpoint_len;
};

/* Parses a receipt; the sections point into buf. */
RC_WUR int rc_parse_receipt(const uint8_t *buf, size_t len,
                            struct rc_receipt *out, struct rc_error *err);
/* Encodes r (the exact inverse of rc_parse_receipt). */
RC_WUR int rc_encode_receipt(const struct rc_receipt *r, struct rc_buf *b);
#endif
