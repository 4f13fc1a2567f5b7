/* fuzz_district.c — district records and districts.txt (formats/texts.h).
 *
 * The input is parsed as one district record (which must re-encode to the
 * identical bytes) and split as a districts.txt file: the records must lie
 * inside the input, each end with '\n', and joined by single empty lines
 * give back the whole input. Each record is then parsed in an exact-size
 * copy and round-tripped too. */
#include <string.h>

#include "fuzz_common.h"
#include "texts.h"

static void check_record(const uint8_t *buf, size_t len) {
  struct rc_district_rec *d = malloc(sizeof *d);
  struct rc_error err;
  if (!d) return;
  if (rc_parse_district(buf, len, d, &err) == RC_OK) {
    FUZZ_CHECK(d->nvotes >= 1 && d->nvotes <= RC_MAX_CHOICES);
    FUZZ_CHECK(rc_id_valid(d->election, strlen(d->election)));
    FUZZ_CHECK(rc_id_valid(d->district, strlen(d->district)));
    struct rc_buf b = {0};
    int rc = rc_encode_district(d, &b);
    /* every parsed count is below 10^15 and every total below 2^64, so it
     * must be encodable */
    FUZZ_CHECK(rc == RC_OK || (rc == RC_ERR_NOMEM && b.oom));
    fuzz_same_bytes("rc_parse_district", &b, buf, len);
    rc_buf_free(&b);
  }
  free(d);
}

static void check_split(const uint8_t *data, size_t size) {
  size_t *starts = NULL, *lens = NULL, n = 0;
  struct rc_error err;
  int rc = rc_split_districts(data, size, &starts, &lens, &n, &err);
  if (rc != RC_OK) {
    FUZZ_CHECK(starts == NULL && lens == NULL && n == 0);
    return;
  }
  if (size == 0) FUZZ_CHECK(n == 0);
  else FUZZ_CHECK(n >= 1);
  size_t expect = 0;
  for (size_t i = 0; i < n; i++) {
    FUZZ_CHECK(starts[i] == expect);
    FUZZ_CHECK(lens[i] >= 1 && lens[i] <= size - starts[i]);
    const uint8_t *r = data + starts[i];
    FUZZ_CHECK(r[lens[i] - 1] == '\n');
    FUZZ_CHECK(r[0] != '\n'); /* no empty line inside or at the start */
    for (size_t k = 0; k + 1 < lens[i]; k++)
      FUZZ_CHECK(!(r[k] == '\n' && r[k + 1] == '\n'));
    expect = starts[i] + lens[i];
    if (i + 1 < n) {
      FUZZ_CHECK(expect < size && data[expect] == '\n');
      expect++;
    }
    uint8_t *one = fuzz_copy(r, lens[i]);
    if (one) {
      check_record(one, lens[i]);
      free(one);
    }
  }
  FUZZ_CHECK(expect == size);
  free(starts);
  free(lens);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  check_record(data, size);
  check_split(data, size);
  return 0;
}
