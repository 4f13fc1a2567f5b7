/* fuzz_common.h — helpers shared by the libFuzzer harnesses in tests/fuzz.
 *
 * Every harness defines LLVMFuzzerTestOneInput and is built two ways:
 * with clang and -fsanitize=fuzzer,address,undefined (`make fuzz`), and
 * with the project's gcc flags plus replay.c (`make fuzz-replay`, run by
 * `make check`). So this header must stay warning-free under both. */
#ifndef RC_FUZZ_COMMON_H
#define RC_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ed25519.h"
#include "rc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A failed invariant is a crash: libFuzzer saves the input. */
#define FUZZ_CHECK(cond)                                                       \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: fuzz invariant failed: %s\n", __FILE__,          \
              __LINE__, #cond);                                                \
      abort();                                                                 \
    }                                                                          \
  } while (0)

/* Round trip: the encoder's bytes must equal the parsed input exactly. */
static inline void fuzz_same_bytes(const char *what, const struct rc_buf *b,
                                   const uint8_t *in, size_t n) {
  if (b->oom) return; /* an allocation failure is not a parser bug */
  if (b->len == n && (n == 0 || memcmp(b->p, in, n) == 0)) return;
  size_t i = 0;
  while (i < n && i < b->len && b->p[i] == in[i]) i++;
  fprintf(stderr,
          "%s: round trip differs: input %zu bytes, re-encoded %zu bytes, "
          "first difference at offset %zu\n",
          what, n, b->len, i);
  abort();
}

/* libsodium must be initialised once before any crypto call. */
static inline void fuzz_crypto_init(void) {
  static int done;
  if (done) return;
  if (rc_crypto_init() != 0) {
    fprintf(stderr, "rc_crypto_init failed\n");
    abort();
  }
  done = 1;
}

/* An exact-size heap copy of a slice of the input, so that a parser that
 * reads past the end of a slice (e.g. a note's text inside the note) is
 * caught by ASan. Returns NULL only on allocation failure. */
static inline uint8_t *fuzz_copy(const uint8_t *data, size_t size) {
  uint8_t *p = malloc(size ? size : 1);
  if (p && size) memcpy(p, data, size);
  return p;
}
#endif
