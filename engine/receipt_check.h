/* receipt_check.h — offline check of one station's receipt. */
#ifndef RC_RECEIPT_CHECK_H
#define RC_RECEIPT_CHECK_H
#include <stdio.h>

#include "ed25519.h"
#include "keys.h"
#include "receipt.h"

/* Checks receipt bytes against the anchor. Writes one line per check and
 * the station's figures to out. Returns 0 when every check passed, 1 when
 * one failed. */
RC_WUR int rc_receipt_check(const uint8_t *buf, size_t len,
                            const struct rc_vkey *anchor,
                            enum rc_crypto_mode mode, FILE *out);
#endif
