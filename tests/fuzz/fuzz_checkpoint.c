/* fuzz_checkpoint.c — checkpoint texts (formats/texts.h).
 *
 * The input is a checkpoint text; when it is a whole signed note, its text
 * is parsed too (in an exact-size copy). A text that parses must re-encode
 * to the identical bytes. */
#include <string.h>

#include "fuzz_common.h"
#include "note.h"
#include "texts.h"

static void check_checkpoint(const uint8_t *buf, size_t len) {
  struct rc_checkpoint c;
  struct rc_error err;
  if (rc_parse_checkpoint(buf, len, &c, &err) != RC_OK) return;
  size_t on = strnlen(c.origin, sizeof c.origin);
  FUZZ_CHECK(on >= 1 && on <= RC_ORIGIN_MAX);
  FUZZ_CHECK(!memchr(c.origin, ' ', on) && !memchr(c.origin, '+', on));
  struct rc_buf b = {0};
  FUZZ_CHECK(rc_encode_checkpoint(&c, &b) == RC_OK || b.oom);
  fuzz_same_bytes("rc_parse_checkpoint", &b, buf, len);
  rc_buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  check_checkpoint(data, size);
  struct rc_note n;
  struct rc_error err;
  if (rc_note_parse(data, size, &n, &err) == RC_OK) {
    uint8_t *text = fuzz_copy(n.text, n.textlen);
    if (text) {
      check_checkpoint(text, n.textlen);
      free(text);
    }
  }
  return 0;
}
