/* fuzz_tlogproof.c — C2SP tlog-proof@v1 files (formats/tlogproof.h).
 *
 * A file that parses must re-encode to the identical bytes; the proof
 * holds at most RC_PROOF_MAX hashes and the checkpoint is the file's
 * tail, ending in a newline. */
#include <string.h>

#include "fuzz_common.h"
#include "tlogproof.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  uint8_t *p = fuzz_copy(data, size);
  if (!p) return 0;
  struct rc_tlog_proof t;
  struct rc_error err;
  if (rc_parse_tlog_proof(p, size, &t, &err) == RC_OK) {
    FUZZ_CHECK(t.plen <= RC_PROOF_MAX);
    FUZZ_CHECK(t.checkpoint_len > 0 &&
               t.checkpoint + t.checkpoint_len == p + size);
    FUZZ_CHECK(!t.have_extra || t.extra_len > 0);
    struct rc_buf b = {0};
    FUZZ_CHECK(rc_encode_tlog_proof(&t, &b) == RC_OK || b.oom);
    fuzz_same_bytes("rc_parse_tlog_proof", &b, p, size);
    rc_buf_free(&b);
    rc_tlog_proof_free(&t);
  } else {
    FUZZ_CHECK(t.extra == NULL && t.plen == 0);
  }
  free(p);
  return 0;
}
