/* fuzz_log.c — the release log, log.txt (formats/log.h).
 *
 * A log that parses must re-encode to the identical bytes, and every
 * entry's station id must lie inside the input. */
#include <string.h>

#include "fuzz_common.h"
#include "log.h"
#include "texts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  struct rc_log l;
  struct rc_error err;
  if (rc_parse_log(data, size, &l, &err) != RC_OK) {
    FUZZ_CHECK(l.v == NULL && l.n == 0);
    FUZZ_CHECK(err.code != RC_OK);
    return 0;
  }
  for (size_t i = 0; i < l.n; i++) {
    FUZZ_CHECK(l.v[i].id_len >= 1 && l.v[i].id_len <= RC_ID_MAX);
    FUZZ_CHECK((size_t)l.v[i].id_off + l.v[i].id_len <= size);
    FUZZ_CHECK(rc_id_valid((const char *)data + l.v[i].id_off, l.v[i].id_len));
  }
  struct rc_buf b = {0};
  FUZZ_CHECK(rc_encode_log(&l, data, &b) == RC_OK || b.oom);
  fuzz_same_bytes("rc_parse_log", &b, data, size);
  rc_buf_free(&b);
  rc_log_free(&l);
  return 0;
}
