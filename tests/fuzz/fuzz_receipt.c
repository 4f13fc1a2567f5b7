/* fuzz_receipt.c — receipts (formats/receipt.h, engine/receipt_check.h).
 *
 * A receipt that parses must lie inside the input (its sections in order,
 * back to back with their header lines) and re-encode (rc_encode_receipt)
 * to the identical bytes. Every input then goes through rc_receipt_check
 * against a fixed anchor, the commission key of the test records (the seed
 * receipts come from testvectors/tampered/19-duplicate-sheet/record and
 * verify); its report goes to /dev/null. The signature rule (both,
 * libsodium, OpenSSL) is chosen by the input length. */
#include <string.h>

#include "fuzz_common.h"
#include "keys.h"
#include "receipt.h"
#include "receipt_check.h"
#include "report.h"
#include "texts.h"

/* testvectors/tampered/19-duplicate-sheet/anchor.vkey */
static const char anchor_txt[] = "TEST-KEY.bench.example/commission+9c26b1d3+"
                                 "AYKqH0P0A4kokEV9R6hEDtd5nJGHRv7T4JA75P+IuIVi";
static struct rc_vkey anchor;
static FILE *devnull;

static void init(void) {
  if (devnull) return;
  struct rc_error err;
  fuzz_crypto_init();
  FUZZ_CHECK(rc_vkey_parse(anchor_txt, sizeof anchor_txt - 1, &anchor, &err) ==
             RC_OK);
  devnull = fopen("/dev/null", "w");
  FUZZ_CHECK(devnull != NULL);
}

static int inside(const uint8_t *p, size_t n, const uint8_t *buf, size_t len) {
  return p >= buf && p <= buf + len && n <= (size_t)(buf + len - p);
}

static void check_parsed(const struct rc_receipt *r, const uint8_t *data,
                         size_t size) {
  FUZZ_CHECK(rc_id_valid(r->station, strlen(r->station)));
  FUZZ_CHECK(rc_id_valid(r->district, strlen(r->district)));
  FUZZ_CHECK(r->sheet_plen <= RC_PROOF_MAX && r->record_plen <= RC_PROOF_MAX);
  FUZZ_CHECK(inside(r->manifest, r->manifest_len, data, size));
  FUZZ_CHECK(inside(r->sheet, r->sheet_len, data, size));
  FUZZ_CHECK(inside(r->record, r->record_len, data, size));
  FUZZ_CHECK(inside(r->checkpoint, r->checkpoint_len, data, size));
  FUZZ_CHECK(r->manifest + r->manifest_len <= r->sheet);
  FUZZ_CHECK(r->sheet + r->sheet_len <= r->record);
  FUZZ_CHECK(r->record + r->record_len <= r->checkpoint);
  FUZZ_CHECK(r->checkpoint + r->checkpoint_len == data + size);
  struct rc_buf b = {0};
  FUZZ_CHECK(rc_encode_receipt(r, &b) == RC_OK || b.oom);
  fuzz_same_bytes("rc_parse_receipt", &b, data, size);
  rc_buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  init();
  struct rc_receipt *r = malloc(sizeof *r);
  if (!r) return 0;
  struct rc_error err;
  int parsed = rc_parse_receipt(data, size, r, &err) == RC_OK;
  if (parsed) check_parsed(r, data, size);
  free(r);
  enum rc_crypto_mode mode = (enum rc_crypto_mode)(size % 3);
  struct rc_receipt_result *res = malloc(sizeof *res);
  if (!res) return 0;
  int rc = rc_receipt_check(data, size, &anchor, mode, res);
  FUZZ_CHECK(rc == RC_OK || rc == RC_ERR_NOMEM);
  FUZZ_CHECK(res->nsteps <= RC_RS__COUNT);
  if (res->verified) FUZZ_CHECK(parsed && res->parsed && res->have_sheet);
  rc_report_receipt(devnull, res);
  free(res);
  return 0;
}
