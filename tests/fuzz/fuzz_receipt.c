/* fuzz_receipt.c — the receipt check (engine/receipt_check.h) on
 * tlog-proof receipts (RECORD.md §5), with and without a manifest.
 *
 * Input: a receipt, optionally followed by a line "%%% manifest" and the
 * manifest note bytes (the seeds are receipts of
 * testvectors/tampered/19-duplicate-sheet/record, some with its manifest,
 * and verify). Each input is checked against the commission key of that
 * record, under a signature rule chosen by the input length, and the
 * report is written (human and JSON) to /dev/null. Invariants: a verified
 * receipt lists no failed check; a receipt whose sheet is reported in the
 * log really is (the inclusion is re-checked here from the parsed proof);
 * station_checked exactly when a manifest was given and the sheet is in
 * the log. */
#include <string.h>

#include "fuzz_common.h"
#include "keys.h"
#include "merkle.h"
#include "note.h"
#include "receipt_check.h"
#include "report.h"
#include "texts.h"
#include "tlogproof.h"

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

static const char sep[] = "\n%%% manifest\n";

/* The sheet text of the receipt is at its index of its log: checked again
 * from the parsed proof and the checkpoint text the result reports. */
static void recheck_inclusion(const uint8_t *rc, size_t rlen,
                              const struct rc_receipt_result *res) {
  struct rc_tlog_proof p;
  struct rc_error err;
  FUZZ_CHECK(rc_parse_tlog_proof(rc, rlen, &p, &err) == RC_OK);
  FUZZ_CHECK(p.have_extra && p.index == res->index);
  struct rc_note n;
  FUZZ_CHECK(rc_note_parse(p.extra, p.extra_len, &n, &err) == RC_OK);
  rc_hash leaf;
  rc_merkle_leaf_hash(n.text, n.textlen, leaf);
  FUZZ_CHECK(rc_merkle_verify_inclusion(p.index, res->log_size, leaf,
                                        (const rc_hash *)p.proof, p.plen,
                                        res->log_root) == RC_OK);
  rc_tlog_proof_free(&p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  init();
  uint8_t *buf = fuzz_copy(data, size);
  size_t rlen = size;
  const uint8_t *man = NULL;
  size_t mlen = 0;
  uint8_t *at = memmem(buf, size, sep, sizeof sep - 1);
  if (at) {
    rlen = (size_t)(at - buf) + 1; /* the receipt keeps its newline */
    man = at + sizeof sep - 1;
    mlen = size - (size_t)(man - buf);
  }
  static const enum rc_crypto_mode modes[] = {RC_CRYPTO_BOTH, RC_CRYPTO_SODIUM,
                                              RC_CRYPTO_OPENSSL};
  struct rc_receipt_opts o = {.anchor = &anchor,
                              .mode = modes[size % 3],
                              .manifest = man,
                              .manifest_len = mlen};
  struct rc_receipt_result *res = malloc(sizeof *res);
  FUZZ_CHECK(res != NULL);
  int rc = rc_receipt_check(buf, rlen, &o, res);
  FUZZ_CHECK(rc == RC_OK);
  size_t failed = 0;
  for (size_t i = 0; i < res->nsteps; i++) failed += !res->steps[i].ok;
  FUZZ_CHECK(res->verified == (failed == 0 && res->nsteps > 0));
  FUZZ_CHECK(res->station_checked == (man != NULL && res->have_sheet));
  if (res->have_sheet) recheck_inclusion(buf, rlen, res);
  rc_report_receipt(devnull, res, "fuzz");
  rc_report_receipt_json(devnull, res, "fuzz");
  free(res);
  free(buf);
  return 0;
}
