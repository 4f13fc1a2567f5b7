/* fuzz_sheet.c — count sheets (formats/texts.h).
 *
 * The input is a count-sheet text; when it is a whole signed note, its
 * text is parsed too (in an exact-size copy). A text that parses must
 * re-encode to the identical bytes (RECORD.md §2), and rc_sheet_arith must
 * agree with a 128-bit recomputation of the balance rule. rc_sheet_arith
 * is also run on figures taken raw from the input, to reach its overflow
 * path. */
#include <string.h>

#include "fuzz_common.h"
#include "note.h"
#include "texts.h"

static void check_arith(const struct rc_sheet *s) {
  struct rc_error err;
  unsigned __int128 sum =
      (unsigned __int128)s->invalid + s->blank + s->excluded;
  for (size_t i = 0; i < s->nvotes; i++) sum += s->votes[i].count;
  int rc = rc_sheet_arith(s, &err);
  if (sum > UINT64_MAX) FUZZ_CHECK(rc == RC_ERR_OVERFLOW);
  else if ((uint64_t)sum != s->ballots) FUZZ_CHECK(rc == RC_ERR_ARITH);
  else FUZZ_CHECK(rc == RC_OK);
}

static void check_sheet(const uint8_t *buf, size_t len) {
  struct rc_sheet *s = malloc(sizeof *s);
  struct rc_error err;
  if (!s) return;
  if (rc_parse_sheet(buf, len, s, &err) == RC_OK) {
    FUZZ_CHECK(len <= RC_SHEET_TEXT_MAX);
    FUZZ_CHECK(s->nvotes >= 1 && s->nvotes <= RC_MAX_CHOICES);
    FUZZ_CHECK(rc_id_valid(s->election, strlen(s->election)));
    FUZZ_CHECK(rc_id_valid(s->district, strlen(s->district)));
    FUZZ_CHECK(rc_id_valid(s->station, strlen(s->station)));
    for (size_t i = 0; i < s->nvotes; i++) {
      FUZZ_CHECK(rc_id_valid(s->votes[i].choice, strlen(s->votes[i].choice)));
      FUZZ_CHECK(s->votes[i].count < RC_COUNT_LIMIT);
    }
    struct rc_buf b = {0};
    FUZZ_CHECK(rc_encode_sheet(s, &b) == RC_OK || b.oom);
    fuzz_same_bytes("rc_parse_sheet", &b, buf, len);
    rc_buf_free(&b);
    check_arith(s);
  }
  free(s);
}

/* Figures straight from the input bytes: reaches RC_ERR_OVERFLOW. */
static void raw_arith(const uint8_t *data, size_t size) {
  struct rc_sheet *s = calloc(1, sizeof *s);
  if (!s) return;
  uint64_t v[4 + RC_MAX_CHOICES];
  size_t nv =
      size / 8 < sizeof v / sizeof v[0] ? size / 8 : sizeof v / sizeof v[0];
  if (nv >= 5) {
    memcpy(v, data, nv * 8);
    s->ballots = v[0];
    s->invalid = v[1];
    s->blank = v[2];
    s->excluded = v[3];
    s->nvotes = nv - 4;
    for (size_t i = 0; i < s->nvotes; i++) s->votes[i].count = v[4 + i];
    check_arith(s);
  }
  free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  check_sheet(data, size);
  struct rc_note n;
  struct rc_error err;
  if (rc_note_parse(data, size, &n, &err) == RC_OK) {
    uint8_t *text = fuzz_copy(n.text, n.textlen);
    if (text) {
      check_sheet(text, n.textlen);
      free(text);
    }
  }
  raw_arith(data, size);
  return 0;
}
