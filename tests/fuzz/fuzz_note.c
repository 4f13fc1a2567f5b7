/* fuzz_note.c — signed notes (formats/note.h).
 *
 * 1. rc_note_parse on the whole input as one note. When every signature
 *    line carries a 64-byte signature, the note is rebuilt from the parsed
 *    fields and must equal the input. The signatures are checked against
 *    the test commission keys (the bench and krd-2017 names).
 * 2. The input as a concatenated sheets file (RECORD.md §4): it is framed
 *    note by note as recount-verify does (rc_note_span, then rc_note_next
 *    on that span) and as recount-sign commit does (rc_note_next on the
 *    rest of the file). Where rc_note_next frames a note, rc_note_span must
 *    find the same bounds and rc_note_parse must read the same note. */
#include <string.h>

#include "b64.h"
#include "fuzz_common.h"
#include "keys.h"
#include "note.h"

#define EMDASH "\xe2\x80\x94"

/* Same public key as testvectors/krd-2017/commission.vkey, under the two
 * names the test records use. */
static const char *const anchor_txt[] = {
    "TEST-KEY.bench.example/commission+9c26b1d3+"
    "AYKqH0P0A4kokEV9R6hEDtd5nJGHRv7T4JA75P+IuIVi",
    "TEST-KEY.khec.example/krd-2017+947f0aeb+"
    "AYKqH0P0A4kokEV9R6hEDtd5nJGHRv7T4JA75P+IuIVi",
};
#define NANCHORS (sizeof anchor_txt / sizeof anchor_txt[0])
static struct rc_vkey anchors[NANCHORS];

static void init(void) {
  static int done;
  if (done) return;
  fuzz_crypto_init();
  for (size_t i = 0; i < NANCHORS; i++) {
    struct rc_error err;
    FUZZ_CHECK(rc_vkey_parse(anchor_txt[i], strlen(anchor_txt[i]), &anchors[i],
                             &err) == RC_OK);
  }
  done = 1;
}

/* Structural invariants of a parsed note n over buf[0..len). */
static void check_note(const struct rc_note *n, const uint8_t *buf,
                       size_t len) {
  FUZZ_CHECK(n->text == buf);
  FUZZ_CHECK(n->textlen > 0 && n->textlen < len);
  FUZZ_CHECK(buf[n->textlen - 1] == '\n' && buf[n->textlen] == '\n');
  FUZZ_CHECK(n->nsigs >= 1 && n->nsigs <= RC_NOTE_MAX_SIGS);
  FUZZ_CHECK(n->nextra == 0 || n->nsigs == RC_NOTE_MAX_SIGS);
  for (size_t i = 0; i < n->nsigs; i++) {
    const struct rc_sigline *s = &n->sigs[i];
    FUZZ_CHECK(s->line > 0);
    if (s->bad) {
      /* a malformed line (RECORD.md §1, v1.1) is kept with nothing else */
      FUZZ_CHECK(s->name == NULL && s->namelen == 0 && s->siglen == 0);
      continue;
    }
    FUZZ_CHECK((const uint8_t *)s->name > buf + n->textlen);
    FUZZ_CHECK((const uint8_t *)s->name + s->namelen < buf + len);
    FUZZ_CHECK(rc_keyname_valid(s->name, s->namelen));
    FUZZ_CHECK(s->siglen >= 1);
  }
}

/* Rebuilds the note from its fields; possible only when every signature
 * is 64 bytes (other lengths are kept as a length alone). */
static void roundtrip_note(const struct rc_note *n, const uint8_t *buf,
                           size_t len) {
  if (n->nextra) return;
  for (size_t i = 0; i < n->nsigs; i++)
    if (n->sigs[i].siglen != 64 || n->sigs[i].bad) return;
  struct rc_buf b = {0};
  rc_buf_put(&b, n->text, n->textlen);
  rc_buf_putc(&b, '\n');
  for (size_t i = 0; i < n->nsigs; i++) {
    uint8_t raw[68];
    memcpy(raw, n->sigs[i].keyid, 4);
    memcpy(raw + 4, n->sigs[i].sig, 64);
    rc_buf_puts(&b, EMDASH " ");
    rc_buf_put(&b, n->sigs[i].name, n->sigs[i].namelen);
    rc_buf_putc(&b, ' ');
    rc_b64_append(&b, raw, sizeof raw);
    rc_buf_putc(&b, '\n');
  }
  fuzz_same_bytes("rc_note_parse", &b, buf, len);
  rc_buf_free(&b);
}

static void verify_note(const struct rc_note *n) {
  struct rc_note_check res;
  int keystat[NANCHORS];
  int rc = rc_note_verify(n, anchors, NANCHORS, RC_CRYPTO_BOTH, &res, keystat);
  FUZZ_CHECK(res.verified + res.failed <= n->nsigs * NANCHORS);
  FUZZ_CHECK(res.disagreed <= res.failed);
  FUZZ_CHECK(res.unknown <= n->nsigs);
  FUZZ_CHECK(res.ignored <= n->nsigs + n->nextra);
  int any = 0, neg = 0;
  for (size_t k = 0; k < NANCHORS; k++) {
    FUZZ_CHECK(keystat[k] >= -2 && keystat[k] <= 1);
    any |= keystat[k] == 1;
    neg |= keystat[k] < 0;
    /* a key with a valid line is signed, whatever its other lines */
    if (keystat[k] == 1)
      FUZZ_CHECK(rc_note_signed_by(n, &anchors[k], RC_CRYPTO_BOTH));
  }
  FUZZ_CHECK((rc == RC_OK) == (any && !neg));
}

/* Frames buf[0..len) as a concatenation of notes. */
static void frame_file(const uint8_t *buf, size_t len) {
  size_t pos = 0;
  while (pos < len) {
    struct rc_error err;
    struct rc_note n;
    size_t used = 0, consumed = 0;
    int span_rc = rc_note_span(buf + pos, len - pos, &used, &err);
    int next_rc = rc_note_next(buf + pos, len - pos, &consumed, &n, &err);
    if (next_rc == RC_OK) {
      FUZZ_CHECK(consumed > 0 && consumed <= len - pos);
      /* both framings of RECORD.md §4 must agree */
      FUZZ_CHECK(span_rc == RC_OK);
      FUZZ_CHECK(used == consumed);
      check_note(&n, buf + pos, consumed);
      /* the framed note, on its own, is the same note */
      uint8_t *one = fuzz_copy(buf + pos, consumed);
      if (one) {
        struct rc_note p;
        FUZZ_CHECK(rc_note_parse(one, consumed, &p, &err) == RC_OK);
        FUZZ_CHECK(p.textlen == n.textlen && p.nsigs == n.nsigs &&
                   p.nextra == n.nextra);
        for (size_t i = 0; i < p.nsigs; i++) {
          FUZZ_CHECK(p.sigs[i].bad == n.sigs[i].bad);
          FUZZ_CHECK(p.sigs[i].namelen == n.sigs[i].namelen);
          FUZZ_CHECK(p.sigs[i].siglen == n.sigs[i].siglen);
          FUZZ_CHECK(!memcmp(p.sigs[i].keyid, n.sigs[i].keyid, 4));
          FUZZ_CHECK(!memcmp(p.sigs[i].sig, n.sigs[i].sig, 64));
        }
        free(one);
      }
    } else {
      FUZZ_CHECK(consumed == 0);
    }
    if (span_rc != RC_OK) {
      FUZZ_CHECK(used == 0);
      break;
    }
    FUZZ_CHECK(used > 0 && used <= len - pos);
    /* recount-verify: parse the span it framed, in an exact-size copy */
    uint8_t *chunk = fuzz_copy(buf + pos, used);
    if (chunk) {
      size_t c2 = 0;
      if (rc_note_next(chunk, used, &c2, &n, &err) == RC_OK) {
        check_note(&n, chunk, c2);
        if (next_rc == RC_OK) FUZZ_CHECK(c2 == used);
      }
      free(chunk);
    }
    pos += used;
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  init();
  struct rc_note n;
  struct rc_error err;
  if (rc_note_parse(data, size, &n, &err) == RC_OK) {
    check_note(&n, data, size);
    FUZZ_CHECK(rc_text_clean(data, size));
    roundtrip_note(&n, data, size);
    verify_note(&n);
  }
  frame_file(data, size);
  return 0;
}
