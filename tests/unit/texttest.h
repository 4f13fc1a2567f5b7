/* texttest.h — the checks every record-text test runs on its own text type
 * (test_sheet.c, test_manifest.c, test_district.c, test_checkpoint.c,
 * test_published.c):
 *
 *   - tt_parse: parse, and on success re-encode and require the same bytes;
 *   - tt_run_cases: the cases of a case file (testvectors/texts/
 *     mutations.txt, testvectors/limits/<module>.txt), each an edit of the
 *     type's sample with the result it must give;
 *   - tt_prefixes, tt_byte_flips, tt_random_edits: every prefix, every
 *     single-byte change and seeded random line edits of the sample either
 *     fail or re-encode to exactly themselves.
 *
 * Case files: one case per line, fields separated by one tab:
 *
 *   <type> <code>[/<field>] <line> <description> <from> <to>
 *
 * The case takes testvectors/texts/<type>.txt, replaces the FIRST
 * occurrence of <from> by <to>, parses the result and expects <code> (a
 * formats/rc.c name, or "ok") with err.line == <line> (0: not checked) and,
 * when given, err.field == <field>. <from> may be "@N": the whole line N
 * (with its newline). In <from> and <to>, \n \r \t \\ \xHH are escapes and
 * \(N:text) is text repeated N times. Lines starting with '#' are comments:
 * each case is preceded by one saying what it checks and why. */
#ifndef RC_TEXTTEST_H
#define RC_TEXTTEST_H
#include "keys.h"
#include "note.h"
#include "testutil.h"
#include "texts.h"

#define TV "testvectors/texts/"
#define KRD "testvectors/krd-2017/record/"

enum ttype {
  T_SHEET,
  T_MANIFEST,
  T_DISTRICT,
  T_DISTRICTS,
  T_CHECKPOINT,
  T_PUBLISHED,
  T__COUNT
};
static const char *const tt_names[T__COUNT] = {
    "sheet", "manifest", "district", "districts", "checkpoint", "published"};

static inline void tt_same_bytes(const char *what, const struct rc_buf *b,
                                 const uint8_t *buf, size_t len) {
  if (b->len != len || (len && memcmp(b->p, buf, len) != 0))
    fail_msg("%s: parsed, but re-encodes to different bytes (%zu vs %zu)", what,
             b->len, len);
}

/* Parses buf[0..len) as type t; on success re-encodes and requires the
 * identical bytes, on failure requires err filled with the same code and a
 * message, and the output struct empty. Returns the parse result. */
static inline int tt_parse(enum ttype t, const uint8_t *buf, size_t len,
                           struct rc_error *err) {
  struct rc_buf b = {0};
  int rc = -1;
  memset(err, 0, sizeof *err);
  switch (t) {
  case T_SHEET: {
    struct rc_sheet *s = malloc(sizeof *s), zero;
    assert_non_null(s);
    memset(&zero, 0, sizeof zero);
    rc = rc_parse_sheet(buf, len, s, err);
    if (rc == RC_OK) {
      assert_int_equal(rc_encode_sheet(s, &b), RC_OK);
      tt_same_bytes("sheet", &b, buf, len);
    } else {
      assert_memory_equal(s, &zero, sizeof zero);
    }
    free(s);
    break;
  }
  case T_MANIFEST: {
    struct rc_manifest m;
    rc = rc_parse_manifest(buf, len, &m, err);
    if (rc == RC_OK) {
      assert_int_equal(rc_encode_manifest(&m, &b), RC_OK);
      tt_same_bytes("manifest", &b, buf, len);
      rc_manifest_free(&m);
    } else {
      assert_null(m.arena);
      assert_null(m.stations);
    }
    break;
  }
  case T_DISTRICT: {
    struct rc_district_rec *d = malloc(sizeof *d), zero;
    assert_non_null(d);
    memset(&zero, 0, sizeof zero);
    rc = rc_parse_district(buf, len, d, err);
    if (rc == RC_OK) {
      assert_int_equal(rc_encode_district(d, &b), RC_OK);
      tt_same_bytes("district", &b, buf, len);
    } else {
      assert_memory_equal(d, &zero, sizeof zero);
    }
    free(d);
    break;
  }
  case T_DISTRICTS: {
    size_t *st, *ln, n;
    rc = rc_split_districts(buf, len, &st, &ln, &n, err);
    if (rc == RC_OK) {
      /* the records joined by single empty lines give the file back; each
       * record parses (errors get the line number in the file) */
      size_t line0 = 0;
      for (size_t i = 0; i < n && rc == RC_OK; i++) {
        if (i) rc_buf_putc(&b, '\n');
        rc_buf_put(&b, buf + st[i], ln[i]);
        rc = tt_parse(T_DISTRICT, buf + st[i], ln[i], err);
        if (rc != RC_OK) err->line += line0;
        for (size_t k = 0; k < ln[i]; k++) line0 += buf[st[i] + k] == '\n';
        line0++;
      }
      if (rc == RC_OK) tt_same_bytes("districts.txt", &b, buf, len);
      free(st);
      free(ln);
    } else {
      assert_null(st);
      assert_null(ln);
    }
    break;
  }
  case T_CHECKPOINT: {
    struct rc_checkpoint c, zero;
    memset(&zero, 0, sizeof zero);
    rc = rc_parse_checkpoint(buf, len, &c, err);
    if (rc == RC_OK) {
      assert_int_equal(rc_encode_checkpoint(&c, &b), RC_OK);
      tt_same_bytes("checkpoint", &b, buf, len);
    } else {
      assert_memory_equal(&c, &zero, sizeof zero);
    }
    break;
  }
  case T_PUBLISHED: {
    struct rc_published p;
    rc = rc_parse_published(buf, len, &p, err);
    if (rc == RC_OK) {
      assert_int_equal(rc_encode_published(&p, &b), RC_OK);
      tt_same_bytes("published", &b, buf, len);
      rc_published_free(&p);
    } else {
      assert_null(p.figs);
      assert_int_equal(p.nfigs, 0);
    }
    break;
  }
  default: fail();
  }
  if (rc != RC_OK) {
    assert_int_equal(err->code, rc);
    assert_true(err->msg[0] != 0);
  }
  rc_buf_free(&b);
  return rc;
}

/* The sample testvectors/texts/<type>.txt. */
static inline uint8_t *tt_sample(enum ttype t, size_t *len) {
  char path[128];
  snprintf(path, sizeof path, TV "%s.txt", tt_names[t]);
  return tu_read_file(path, len);
}

/* Line n (1-based, with its newline) of buf[0..len): *at, *ln. */
static inline void tt_line(const uint8_t *buf, size_t len, size_t n, size_t *at,
                           size_t *ln) {
  size_t s0 = 0;
  for (size_t l = 1; l < n; l++) {
    const uint8_t *nl = memchr(buf + s0, '\n', len - s0);
    if (!nl) fail_msg("the sample has no line %zu", n);
    s0 = (size_t)(nl - buf) + 1;
  }
  const uint8_t *nl = memchr(buf + s0, '\n', len - s0);
  if (!nl) fail_msg("the sample has no line %zu", n);
  *at = s0;
  *ln = (size_t)(nl - buf) + 1 - s0;
}

/* Runs the cases of the case file at path whose type is t (every case if t
 * is T__COUNT). Returns the number of cases run; fails the test on the
 * first case that does not give its result. */
static inline size_t tt_run_cases(const char *path, enum ttype t) {
  size_t flen, ncases = 0;
  char *file = (char *)tu_read_file(path, &flen);
  uint8_t *base[T__COUNT] = {0};
  size_t blen[T__COUNT] = {0};
  for (char *line = file, *next; line < file + flen; line = next) {
    char *nl = strchr(line, '\n');
    if (!nl) fail_msg("%s does not end with a newline", path);
    *nl = 0;
    next = nl + 1;
    if (line[0] == '#' || line[0] == 0) continue;
    char *f[6];
    size_t nf = 0;
    for (char *p = line; nf < 6; nf++) {
      f[nf] = p;
      char *tab = strchr(p, '\t');
      if (!tab) {
        nf++;
        break;
      }
      *tab = 0;
      p = tab + 1;
    }
    if (nf != 6) fail_msg("%s: a line without 6 fields: %s", path, line);
    int ct = -1;
    for (int i = 0; i < T__COUNT; i++)
      if (!strcmp(f[0], tt_names[i])) ct = i;
    if (ct < 0) fail_msg("%s: unknown type %s", path, f[0]);
    if (t != T__COUNT && ct != (int)t) continue;
    if (!base[ct]) base[ct] = tt_sample((enum ttype)ct, &blen[ct]);
    char *field = strchr(f[1], '/');
    if (field) *field++ = 0;
    int code = tu_code(f[1]);
    size_t want_line = 0;
    for (const char *d = f[2]; *d; d++) {
      if (*d < '0' || *d > '9') fail_msg("%s: bad line number %s", path, f[2]);
      want_line = want_line * 10 + (size_t)(*d - '0');
    }
    struct rc_buf from = {0}, to = {0};
    if (f[4][0] == '@') {
      size_t at, ln, n = 0;
      for (const char *d = f[4] + 1; *d >= '0' && *d <= '9'; d++)
        n = n * 10 + (size_t)(*d - '0');
      tt_line(base[ct], blen[ct], n, &at, &ln);
      rc_buf_put(&from, base[ct] + at, ln);
    } else {
      tu_unescape(f[4], strlen(f[4]), &from);
    }
    tu_unescape(f[5], strlen(f[5]), &to);
    size_t len = 0;
    uint8_t *text =
        tu_replace(base[ct], blen[ct], from.p, from.len, to.p, to.len, &len);
    if (!text) fail_msg("%s: %s '%s': anchor not found", path, f[0], f[3]);
    struct rc_error err;
    int rc = tt_parse((enum ttype)ct, text, len, &err);
    if (rc != code || (code && want_line && err.line != want_line) ||
        (code && field && strcmp(err.field, field) != 0))
      fail_msg("%s: %s '%s': got %s on line %zu field '%s', expected %s on "
               "line %zu field '%s' (%s)",
               path, f[0], f[3], rc_err_str((enum rc_err)rc), err.line,
               err.field, f[1], want_line, field ? field : "", err.msg);
    ncases++;
    free(text);
    rc_buf_free(&from);
    rc_buf_free(&to);
  }
  for (int i = 0; i < T__COUNT; i++) free(base[i]);
  free(file);
  if (ncases == 0) fail_msg("%s: no case for %s", path, tt_names[t]);
  return ncases;
}

/* Every proper prefix of the sample of type t: refused, or (if it is a
 * valid text itself) re-encoded to exactly the prefix. Requires exactly
 * want_valid valid prefixes; returns the number of prefixes. */
static inline size_t tt_prefixes(enum ttype t, size_t want_valid) {
  struct rc_error err;
  size_t len, valid = 0;
  uint8_t *b = tt_sample(t, &len);
  for (size_t i = 0; i < len; i++) {
    /* an exact-size copy, so a read past the end is caught by ASan */
    uint8_t *c = malloc(i ? i : 1);
    memcpy(c, b, i);
    if (tt_parse(t, c, i, &err) == RC_OK) valid++;
    free(c);
  }
  free(b);
  if (valid != want_valid)
    fail_msg("%s: %zu valid prefixes, expected %zu", tt_names[t], valid,
             want_valid);
  return len;
}

/* Every position of the sample of type t set to every other byte value:
 * each changed text is refused or re-encodes to its own bytes. Returns the
 * number of changed texts; *valid receives how many parse. */
static inline size_t tt_byte_flips(enum ttype t, size_t *valid) {
  struct rc_error err;
  size_t len, total = 0;
  *valid = 0;
  uint8_t *b = tt_sample(t, &len);
  uint8_t *c = malloc(len);
  assert_non_null(c);
  for (size_t i = 0; i < len; i++)
    for (unsigned v = 0; v < 256; v++) {
      if (v == b[i]) continue;
      memcpy(c, b, len);
      c[i] = (uint8_t)v;
      if (tt_parse(t, c, len, &err) == RC_OK) (*valid)++;
      total++;
    }
  free(c);
  free(b);
  assert_int_equal(total, len * 255);
  return total;
}

/* xorshift64*, seeded: reproducible "random" edits */
static inline uint64_t tt_rnd(uint64_t *state) {
  *state ^= *state >> 12;
  *state ^= *state << 25;
  *state ^= *state >> 27;
  return *state * 0x2545F4914F6CDD1Dull;
}

/* rounds texts made from the sample of type t by 1..3 line-level edits:
 * delete, duplicate or swap lines, a line of another sample in place of
 * one, a junk string inserted, truncation. Each is refused or re-encodes
 * to its own bytes. Returns how many parse. */
static inline size_t tt_random_edits(enum ttype t, size_t rounds,
                                     uint64_t seed) {
  struct rc_error err;
  uint8_t *base[T__COUNT];
  size_t blen[T__COUNT], valid = 0;
  uint64_t rs = seed;
  for (int i = 0; i < T__COUNT; i++)
    base[i] = tt_sample((enum ttype)i, &blen[i]);
  static const char *const junk[] = {" ",
                                     "  ",
                                     "\n",
                                     "\r",
                                     "\t",
                                     "0",
                                     "+",
                                     "-",
                                     "=",
                                     "\xc3\xa9",
                                     "\xef\xbb\xbf",
                                     "\xff",
                                     "\x00",
                                     "vote x 1\n",
                                     "district d ballots 1\n",
                                     "hash x\n"};
  for (size_t round = 0; round < rounds; round++) {
    size_t len = blen[t];
    uint8_t *c = malloc(2 * len + 512);
    memcpy(c, base[t], len);
    int edits = 1 + (int)(tt_rnd(&rs) % 3);
    for (int e = 0; e < edits; e++) {
      size_t starts[512], nl = 0;
      starts[nl++] = 0;
      for (size_t i = 0; i < len && nl < 511; i++)
        if (c[i] == '\n' && i + 1 < len) starts[nl++] = i + 1;
      starts[nl] = len;
      size_t a = (size_t)(tt_rnd(&rs) % nl), b2 = (size_t)(tt_rnd(&rs) % nl);
      size_t as = starts[a], al = starts[a + 1] - as;
      switch (tt_rnd(&rs) % 6) {
      case 0: /* delete line a */
        memmove(c + as, c + as + al, len - as - al);
        len -= al;
        break;
      case 1: /* duplicate line a */
        if (len + al > 2 * blen[t] + 256) break;
        memmove(c + as + al, c + as, len - as);
        len += al;
        break;
      case 2: { /* swap lines a and a+1 */
        if (a + 1 >= nl) break;
        size_t bl = starts[a + 2] - starts[a + 1];
        uint8_t tmp[2048];
        if (al + bl > sizeof tmp) break;
        memcpy(tmp, c + starts[a + 1], bl);
        memcpy(tmp + bl, c + as, al);
        memcpy(c + as, tmp, al + bl);
        break;
      }
      case 3: { /* a line of another sample in place of line b2 */
        int o = (int)(tt_rnd(&rs) % T__COUNT);
        size_t pos = (size_t)(tt_rnd(&rs) % blen[o]);
        while (pos > 0 && base[o][pos - 1] != '\n') pos--;
        const uint8_t *nlp = memchr(base[o] + pos, '\n', blen[o] - pos);
        size_t ol = nlp ? (size_t)(nlp - base[o]) - pos + 1 : blen[o] - pos;
        size_t bs = starts[b2], bl = starts[b2 + 1] - bs;
        if (len - bl + ol > 2 * blen[t] + 256) break;
        memmove(c + bs + ol, c + bs + bl, len - bs - bl);
        memcpy(c + bs, base[o] + pos, ol);
        len = len - bl + ol;
        break;
      }
      case 4: { /* insert a junk string anywhere */
        const char *j = junk[tt_rnd(&rs) % (sizeof junk / sizeof junk[0])];
        size_t jl = j[0] ? strlen(j) : 1;
        size_t at = len ? (size_t)(tt_rnd(&rs) % len) : 0;
        if (len + jl > 2 * blen[t] + 256) break;
        memmove(c + at + jl, c + at, len - at);
        memcpy(c + at, j, jl);
        len += jl;
        break;
      }
      default: /* truncate */ len = len ? (size_t)(tt_rnd(&rs) % len) : 0;
      }
    }
    uint8_t *exact = malloc(len ? len : 1);
    memcpy(exact, c, len);
    if (tt_parse(t, exact, len, &err) == RC_OK) valid++;
    free(exact);
    free(c);
  }
  for (int i = 0; i < T__COUNT; i++) free(base[i]);
  return valid;
}

/* The text of the first note in a file (up to its last empty line),
 * NUL-terminated. */
static inline uint8_t *tt_note_text(const char *path, size_t *len) {
  size_t n;
  uint8_t *b = tu_read_file(path, &n);
  struct rc_note note;
  struct rc_error err;
  assert_int_equal(rc_note_parse(b, n, &note, &err), RC_OK);
  *len = note.textlen;
  b[note.textlen] = 0;
  return b;
}

/* A valid verifier key named name with a pseudo-random public key drawn
 * from *rs, appended to b as its text encoding. */
static inline void tt_make_vkey(const char *name, uint64_t *rs,
                                struct rc_buf *b) {
  struct rc_vkey k;
  memset(&k, 0, sizeof k);
  k.name = name;
  k.namelen = strlen(name);
  for (size_t i = 0; i < 32; i++) k.pk[i] = (uint8_t)(tt_rnd(rs) >> 32);
  rc_key_id(k.name, k.namelen, k.pk, k.id);
  rc_vkey_encode(&k, b);
}

/* The standard checks of one text type: its sample round-trips, every
 * case of mutations.txt and of testvectors/limits/<limits>.txt for it,
 * every prefix (want_prefixes of them valid), every byte change and
 * `rounds` random edits. Prints one summary line. */
static inline void tt_standard(enum ttype t, const char *limits,
                               size_t want_prefixes, size_t rounds) {
  struct rc_error err;
  size_t len;
  uint8_t *b = tt_sample(t, &len);
  if (tt_parse(t, b, len, &err) != RC_OK)
    fail_msg("%s.txt: line %zu %s: %s", tt_names[t], err.line, err.field,
             err.msg);
  free(b);
  size_t mut = tt_run_cases(TV "mutations.txt", t), lim = 0;
  if (limits) {
    char path[128];
    snprintf(path, sizeof path, "testvectors/limits/%s.txt", limits);
    lim = tt_run_cases(path, t);
  }
  size_t pre = tt_prefixes(t, want_prefixes), fvalid;
  size_t flips = tt_byte_flips(t, &fvalid);
  size_t rvalid = tt_random_edits(t, rounds, 0x9E3779B97F4A7C15ull + t);
  printf("%s: sample round trip; %zu mutations.txt and %zu limit cases "
         "with their code and line; %zu prefixes (%zu valid); %zu byte "
         "changes (%zu parse); %zu random edits (%zu parse), all refused "
         "or re-encoded byte for byte\n",
         tt_names[t], mut, lim, pre, want_prefixes, flips, fvalid, rounds,
         rvalid);
}
#endif
