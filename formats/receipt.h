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

/* Parses a receipt of at most RC_RECEIPT_MAX bytes; the sections point
 * into buf. The header lines follow the line rules of record texts
 * (RECORD.md §2). Errors name the 1-based line and the field: "header",
 * "station", "district", "sheet-index" / "record-index" (the leaf index),
 * "sheet-size" / "record-size" (the tree size), "hash", the section name
 * ("manifest", "sheet", "district-record", "checkpoint": its byte count,
 * or a section cut short), "end" (bytes after the checkpoint section),
 * "line" (a malformed line); codes RC_ERR_SYNTAX, RC_ERR_LIMIT (input too
 * large, a number above 2^64-1, more than RC_PROOF_MAX hashes),
 * RC_ERR_BASE64 (a hash), RC_ERR_ORDER / RC_ERR_DUP (a known line out of
 * place or repeated). err may be NULL. On failure *out is zeroed. */
RC_WUR int rc_parse_receipt(const uint8_t *buf, size_t len,
                            struct rc_receipt *out, struct rc_error *err);
/* Appends r to b (the exact inverse of rc_parse_receipt). Returns RC_OK,
 * RC_ERR_NOMEM, or, appending nothing, RC_ERR_USAGE for a receipt no text
 * has (an invalid station or district id, more than RC_PROOF_MAX hashes,
 * a section with a length but no bytes). */
RC_WUR int rc_encode_receipt(const struct rc_receipt *r, struct rc_buf *b);
#endif
