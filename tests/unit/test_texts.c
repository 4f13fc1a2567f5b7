/* test_texts.c — the record texts of RECORD.md §2–3 (formats/texts.h).
 *
 *   - round trips (parse then encode gives the same bytes) on the samples
 *     in testvectors/texts/ and on the whole Kurdistan record;
 *   - the negative cases of testvectors/texts/mutations.txt, each refused
 *     with the expected error code on the expected line;
 *   - every prefix of every sample, every single-byte change of every
 *     sample, and seeded random line edits: a text either fails or
 *     re-encodes to exactly itself (so nothing but the canonical text is
 *     ever accepted);
 *   - limits (counts, ids, choices, votes, witnesses, names, origin, input
 *     sizes), percents and their reconciliation, sheet arithmetic,
 *     districts.txt framing, the manifest checks of published figures,
 *     encoders refusing what they cannot encode, and a manifest of
 *     1,000,000 stations. */
#include <time.h>

#include "b64.h"
#include "keys.h"
#include "note.h"
#include "testutil.h"
#include "texts.h"

#define TV "testvectors/texts/"
#define KRD "testvectors/krd-2017/record/"

/* ------------------------------------------------------------------ */
/* A parser for each text type, behind one interface: parse buf[0..len),
 * and on success re-encode and require the identical bytes. Returns the
 * parse result; err is filled on failure. */

enum ttype { T_SHEET, T_MANIFEST, T_DISTRICT, T_DISTRICTS, T_CHECKPOINT,
             T_PUBLISHED, T__COUNT };
static const char *const tnames[T__COUNT] = {
    "sheet", "manifest", "district", "districts", "checkpoint", "published"};

static void same_bytes(const char *what, const struct rc_buf *b,
                       const uint8_t *buf, size_t len) {
  if (b->len != len || (len && memcmp(b->p, buf, len) != 0))
    fail_msg("%s: parsed, but re-encodes to different bytes (%zu vs %zu)",
             what, b->len, len);
}

static int parse_any(enum ttype t, const uint8_t *buf, size_t len,
                     struct rc_error *err) {
  struct rc_buf b = {0};
  int rc = -1;
  memset(err, 0, sizeof *err);
  switch (t) {
  case T_SHEET: {
    struct rc_sheet *s = malloc(sizeof *s);
    assert_non_null(s);
    rc = rc_parse_sheet(buf, len, s, err);
    if (rc == RC_OK) {
      assert_int_equal(rc_encode_sheet(s, &b), RC_OK);
      same_bytes("sheet", &b, buf, len);
    }
    free(s);
    break;
  }
  case T_MANIFEST: {
    struct rc_manifest m;
    rc = rc_parse_manifest(buf, len, &m, err);
    if (rc == RC_OK) {
      assert_int_equal(rc_encode_manifest(&m, &b), RC_OK);
      same_bytes("manifest", &b, buf, len);
      rc_manifest_free(&m);
    } else {
      assert_null(m.arena);
      assert_null(m.stations);
    }
    break;
  }
  case T_DISTRICT: {
    struct rc_district_rec *d = malloc(sizeof *d);
    assert_non_null(d);
    rc = rc_parse_district(buf, len, d, err);
    if (rc == RC_OK) {
      assert_int_equal(rc_encode_district(d, &b), RC_OK);
      same_bytes("district", &b, buf, len);
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
        rc = parse_any(T_DISTRICT, buf + st[i], ln[i], err);
        if (rc != RC_OK) err->line += line0;
        for (size_t k = 0; k < ln[i]; k++) line0 += buf[st[i] + k] == '\n';
        line0++;
      }
      if (rc == RC_OK) same_bytes("districts.txt", &b, buf, len);
      free(st);
      free(ln);
    } else {
      assert_null(st);
      assert_null(ln);
    }
    break;
  }
  case T_CHECKPOINT: {
    struct rc_checkpoint c;
    rc = rc_parse_checkpoint(buf, len, &c, err);
    if (rc == RC_OK) {
      assert_int_equal(rc_encode_checkpoint(&c, &b), RC_OK);
      same_bytes("checkpoint", &b, buf, len);
    }
    break;
  }
  case T_PUBLISHED: {
    struct rc_published p;
    rc = rc_parse_published(buf, len, &p, err);
    if (rc == RC_OK) {
      assert_int_equal(rc_encode_published(&p, &b), RC_OK);
      same_bytes("published", &b, buf, len);
      rc_published_free(&p);
    } else {
      assert_null(p.figs);
      assert_int_equal(p.nfigs, 0);
    }
    break;
  }
  default:
    fail();
  }
  if (rc != RC_OK) {
    assert_int_equal(err->code, rc);
    assert_true(err->msg[0] != 0);
  }
  rc_buf_free(&b);
  return rc;
}

static uint8_t *sample(enum ttype t, size_t *len) {
  char path[128];
  snprintf(path, sizeof path, TV "%s.txt", tnames[t]);
  return tu_read_file(path, len);
}

/* The text of the first note in a file (up to its last empty line). */
static uint8_t *note_text(const char *path, size_t *len) {
  size_t n;
  uint8_t *b = tu_read_file(path, &n);
  struct rc_note note;
  struct rc_error err;
  assert_int_equal(rc_note_parse(b, n, &note, &err), RC_OK);
  *len = note.textlen;
  b[note.textlen] = 0;
  return b;
}

/* ------------------------------------------------------------------ */
static void test_samples_round_trip(void **state) {
  (void)state;
  struct rc_error err;
  for (int t = 0; t < T__COUNT; t++) {
    size_t len;
    uint8_t *b = sample((enum ttype)t, &len);
    if (parse_any((enum ttype)t, b, len, &err) != RC_OK)
      fail_msg("%s.txt: line %zu %s: %s", tnames[t], err.line, err.field,
               err.msg);
    free(b);
  }
  /* what the manifest sample holds */
  size_t len;
  uint8_t *b = sample(T_MANIFEST, &len);
  struct rc_manifest m;
  assert_int_equal(rc_parse_manifest(b, len, &m, &err), RC_OK);
  free(b); /* the manifest must not refer to its input */
  assert_string_equal(m.election, "krd-2017-test");
  assert_string_equal(m.origin, "test.example/krd-2017-test");
  assert_int_equal(m.nchoices, 2);
  assert_string_equal(m.choices[0].id, "yes"); /* ballot order, unsorted */
  assert_string_equal(m.choices[1].id, "no");
  assert_string_equal(m.choices[1].name + strlen(m.choices[1].name) - 5,
                      " (No)");
  assert_true((unsigned char)m.choices[1].name[0] >= 0x80);
  assert_int_equal(m.ndistricts, 3);
  assert_int_equal(m.districts[0].nstations, 1);
  assert_int_equal(m.districts[1].nstations, 2);
  assert_int_equal(m.districts[2].nstations, 1);
  assert_int_equal(m.nwitnesses, 2);
  assert_int_equal(m.witnesses[1].namelen, 13);
  assert_memory_equal(m.witnesses[1].name, "party-agent.b", 13);
  assert_int_equal(m.nstations, 4);
  assert_string_equal(m.stations[2].id, "erbil.0002");
  assert_int_equal(m.stations[2].district, 1);
  assert_int_equal(m.stations[2].registered, 1);
  assert_int_equal(m.stations[3].key.namelen, 25);
  assert_memory_equal(m.stations[3].key.name, "station.sulaymaniyah.0001", 25);
  for (size_t i = 0; i < m.nstations; i++)
    assert_int_equal(rc_manifest_station(&m, m.stations[i].id,
                                         strlen(m.stations[i].id)),
                     (long)i);
  assert_int_equal(rc_manifest_station(&m, "erbil.000", 9), -1);
  assert_int_equal(rc_manifest_station(&m, "erbil.00011", 11), -1);
  assert_int_equal(rc_manifest_station(&m, "erbil.0001\0", 11), -1);
  assert_int_equal(rc_manifest_station(&m, "", 0), -1);
  assert_int_equal(rc_manifest_station(&m, "zzz", 3), -1);
  assert_int_equal(rc_manifest_station(&m, "aaa", 3), -1);
  assert_int_equal(rc_manifest_district(&m, "sulaymaniyah", 12), 2);
  assert_int_equal(rc_manifest_district(&m, "duhok", 5), 0);
  assert_int_equal(rc_manifest_district(&m, "duho", 4), -1);
  /* the sheet sample's fields */
  b = sample(T_SHEET, &len);
  struct rc_sheet s;
  assert_int_equal(rc_parse_sheet(b, len, &s, &err), RC_OK);
  assert_string_equal(s.station, "erbil.0001");
  assert_int_equal(s.registered, 388);
  assert_int_equal(s.ballots, 301);
  assert_int_equal(s.nvotes, 2);
  assert_int_equal(s.votes[1].count, 24);
  assert_int_equal(rc_sheet_arith(&s, &err), RC_OK);
  free(b);
  /* the published sample reconciles with the manifest */
  b = sample(T_PUBLISHED, &len);
  struct rc_published p;
  assert_int_equal(rc_parse_published(b, len, &p, &err), RC_OK);
  assert_int_equal(p.nfigs, 19);
  assert_int_equal(rc_published_check_manifest(&p, &m, &err), RC_OK);
  assert_int_equal(p.figs[12].line, 15);
  assert_string_equal(p.figs[12].district, "duhok");
  assert_int_equal(p.figs[12].kind, RC_FIG_TURNOUT);
  assert_int_equal(p.figs[12].pct.units, 850);
  assert_int_equal(p.figs[12].pct.decimals, 1);
  assert_true(rc_percent_matches(&p.figs[12].pct, 350, 412));
  assert_true(rc_percent_matches(&p.figs[17].pct, 270, 294)); /* 91.8367 */
  rc_published_free(&p);
  free(b);
  rc_manifest_free(&m);
  printf("samples: %d text types parsed and re-encoded byte for byte\n",
         T__COUNT);
}

/* The whole Kurdistan record: 12,092 stations, every sheet file. */
static void test_krd_round_trips(void **state) {
  (void)state;
  struct rc_error err;
  size_t len;
  uint8_t *t = note_text(KRD "manifest.note", &len);
  struct rc_manifest m;
  clock_t c0 = clock();
  assert_int_equal(rc_parse_manifest(t, len, &m, &err), RC_OK);
  double secs = (double)(clock() - c0) / CLOCKS_PER_SEC;
  assert_int_equal(m.nstations, 12092);
  assert_int_equal(m.ndistricts, 51);
  free(t);
  t = note_text(KRD "manifest.note", &len);
  assert_int_equal(parse_any(T_MANIFEST, t, len, &err), RC_OK);
  free(t);
  /* every sheet in every file of the record */
  size_t sheets = 0, files = 0;
  for (size_t d = 0; d < m.ndistricts; d++) {
    char path[256];
    snprintf(path, sizeof path, KRD "sheets/%s.txt", m.districts[d].id);
    FILE *f = fopen(path, "rb");
    if (!f) continue;
    fclose(f);
    files++;
    size_t n, pos = 0, used;
    uint8_t *b = tu_read_file(path, &n);
    struct rc_note note;
    while (pos < n) {
      assert_int_equal(rc_note_next(b + pos, n - pos, &used, &note, &err),
                       RC_OK);
      assert_int_equal(parse_any(T_SHEET, note.text, note.textlen, &err),
                       RC_OK);
      pos += used;
      sheets++;
    }
    free(b);
  }
  assert_int_equal(files, 51);
  assert_int_equal(sheets, 12092);
  /* districts.txt: 51 records */
  uint8_t *b = tu_read_file(KRD "districts.txt", &len);
  assert_int_equal(parse_any(T_DISTRICTS, b, len, &err), RC_OK);
  size_t *st, *ln, k;
  assert_int_equal(rc_split_districts(b, len, &st, &ln, &k, &err), RC_OK);
  assert_int_equal(k, 51);
  for (size_t i = 0; i < k; i++)
    assert_int_equal(parse_any(T_DISTRICT, b + st[i], ln[i], &err), RC_OK);
  free(st), free(ln), free(b);
  t = note_text(KRD "checkpoint.note", &len);
  assert_int_equal(parse_any(T_CHECKPOINT, t, len, &err), RC_OK);
  free(t);
  t = note_text(KRD "published.note", &len);
  assert_int_equal(parse_any(T_PUBLISHED, t, len, &err), RC_OK);
  struct rc_published p;
  assert_int_equal(rc_parse_published(t, len, &p, &err), RC_OK);
  assert_int_equal(rc_published_check_manifest(&p, &m, &err), RC_OK);
  rc_published_free(&p);
  free(t);
  rc_manifest_free(&m);
  printf("krd-2017: manifest (12,092 stations, %.3f s), %zu sheets in %zu "
         "files, 51 district records, checkpoint and published figures "
         "re-encoded byte for byte\n",
         secs, sheets, files);
}

/* ------------------------------------------------------------------ */
/* testvectors/texts/mutations.txt */

/* A decimal number (test data only: digits, then anything). */
static size_t digits(const char *s) {
  size_t v = 0;
  while (*s >= '0' && *s <= '9') v = v * 10 + (size_t)(*s++ - '0');
  return v;
}

/* Decodes the escapes \n \r \t \\ \xHH of s[0..n) into out (size >= n+1).
 * Returns the decoded length. */
static size_t unescape(const char *s, size_t n, char *out) {
  size_t o = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] != '\\') {
      out[o++] = s[i];
      continue;
    }
    if (i + 1 >= n) fail_msg("dangling escape in mutations.txt");
    char c = s[++i];
    if (c == 'n') out[o++] = '\n';
    else if (c == 'r') out[o++] = '\r';
    else if (c == 't') out[o++] = '\t';
    else if (c == '\\') out[o++] = '\\';
    else if (c == 'x' && i + 2 < n) {
      int hi = tu_hexval(s[i + 1]), lo = tu_hexval(s[i + 2]);
      if (hi < 0 || lo < 0) fail_msg("bad \\x escape in mutations.txt");
      out[o++] = (char)(hi * 16 + lo);
      i += 2;
    } else {
      fail_msg("unknown escape \\%c in mutations.txt", c);
    }
  }
  out[o] = 0;
  return o;
}

/* base with the first occurrence of from[0..fl) replaced by to[0..tl). */
static uint8_t *replace(const uint8_t *base, size_t blen, const char *from,
                        size_t fl, const char *to, size_t tl, size_t *olen) {
  const uint8_t *at = memmem(base, blen, from, fl);
  if (!at) return NULL;
  size_t a = (size_t)(at - base);
  uint8_t *out = malloc(blen - fl + tl + 1);
  assert_non_null(out);
  memcpy(out, base, a);
  memcpy(out + a, to, tl);
  memcpy(out + a + tl, at + fl, blen - a - fl);
  *olen = blen - fl + tl;
  out[*olen] = 0;
  return out;
}

static void test_mutations(void **state) {
  (void)state;
  uint8_t *base[T__COUNT];
  size_t blen[T__COUNT], per[T__COUNT] = {0}, total = 0;
  for (int t = 0; t < T__COUNT; t++) base[t] = sample((enum ttype)t, &blen[t]);
  size_t flen;
  char *file = (char *)tu_read_file(TV "mutations.txt", &flen);
  for (char *line = file, *next; line < file + flen; line = next) {
    char *nl = strchr(line, '\n');
    if (!nl) fail_msg("mutations.txt does not end with a newline");
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
    if (nf != 6) fail_msg("mutations.txt: a line without 6 fields: %s", line);
    int t = -1;
    for (int i = 0; i < T__COUNT; i++)
      if (!strcmp(f[0], tnames[i])) t = i;
    if (t < 0) fail_msg("mutations.txt: unknown type %s", f[0]);
    int code = -1;
    for (int c = 0; c < RC_ERR__COUNT; c++)
      if (!strcmp(f[1], rc_err_str((enum rc_err)c))) code = c;
    if (code <= 0) fail_msg("mutations.txt: unknown code %s", f[1]);
    size_t want_line = digits(f[2]);
    char *from = malloc(strlen(f[4]) + 1), *to = malloc(strlen(f[5]) + 1);
    size_t fl = unescape(f[4], strlen(f[4]), from);
    size_t tl = unescape(f[5], strlen(f[5]), to);
    size_t len;
    uint8_t *text = replace(base[t], blen[t], from, fl, to, tl, &len);
    if (!text) fail_msg("%s '%s': anchor not found", f[0], f[3]);
    struct rc_error err;
    int rc = parse_any((enum ttype)t, text, len, &err);
    if (rc == RC_OK) fail_msg("%s '%s': accepted", f[0], f[3]);
    if (rc != code || err.line != want_line)
      fail_msg("%s '%s': refused as %s on line %zu, expected %s on line %zu "
               "(%s: %s)",
               f[0], f[3], rc_err_str((enum rc_err)rc), err.line, f[1],
               want_line, err.field, err.msg);
    per[t]++;
    total++;
    free(text), free(from), free(to);
  }
  printf("mutations.txt: %zu negative cases (", total);
  for (int t = 0; t < T__COUNT; t++)
    printf("%s%s %zu", t ? ", " : "", tnames[t], per[t]);
  printf("), each refused with the expected code on the expected line\n");
  free(file);
  for (int t = 0; t < T__COUNT; t++) free(base[t]);
}

/* ------------------------------------------------------------------ */
/* Every prefix: fails, or (if it happens to be a valid text itself)
 * re-encodes to exactly the prefix; parse_any checks the latter. */
static void test_prefixes(void **state) {
  (void)state;
  struct rc_error err;
  size_t total = 0, valid[T__COUNT] = {0};
  /* The prefixes that are valid texts themselves: a text cut after a vote
   * line but the last (sheet, district record, each record of
   * districts.txt), after a station line but the last (manifest), after
   * each figure line but the last (published: 18), and districts.txt
   * empty or cut after a whole record. */
  static const size_t want[T__COUNT] = {1, 3, 1, 3 + 3, 0, 18};
  for (int t = 0; t < T__COUNT; t++) {
    size_t len;
    uint8_t *b = sample((enum ttype)t, &len);
    for (size_t i = 0; i < len; i++) {
      /* an exact-size copy, so a read past the end is caught by ASan */
      uint8_t *c = malloc(i ? i : 1);
      memcpy(c, b, i);
      if (parse_any((enum ttype)t, c, i, &err) == RC_OK) valid[t]++;
      free(c);
      total++;
    }
    free(b);
  }
  size_t nvalid = 0;
  for (int t = 0; t < T__COUNT; t++) {
    if (valid[t] != want[t])
      fail_msg("%s: %zu valid prefixes, expected %zu", tnames[t], valid[t],
               want[t]);
    nvalid += valid[t];
  }
  printf("prefixes: %zu proper prefixes of the samples; %zu are valid texts "
         "(cut after a whole line that may end the text) and re-encode "
         "exactly, the rest are refused\n",
         total, nvalid);
}

/* Every position of every sample set to every other byte value. */
static void test_byte_flips(void **state) {
  (void)state;
  struct rc_error err;
  size_t total = 0, valid = 0;
  for (int t = 0; t < T__COUNT; t++) {
    size_t len;
    uint8_t *b = sample((enum ttype)t, &len);
    uint8_t *c = malloc(len);
    for (size_t i = 0; i < len; i++) {
      for (unsigned v = 0; v < 256; v++) {
        if (v == b[i]) continue;
        memcpy(c, b, len);
        c[i] = (uint8_t)v;
        if (parse_any((enum ttype)t, c, len, &err) == RC_OK) valid++;
        total++;
      }
    }
    free(c);
    free(b);
  }
  /* the count sheet: an accepted flip gives a different struct */
  size_t len;
  uint8_t *b = sample(T_SHEET, &len);
  struct rc_sheet *orig = malloc(sizeof *orig), *s = malloc(sizeof *s);
  assert_int_equal(rc_parse_sheet(b, len, orig, &err), RC_OK);
  size_t sv = 0;
  for (size_t i = 0; i < len; i++)
    for (unsigned v = 0; v < 256; v++) {
      if (v == b[i]) continue;
      uint8_t o = b[i];
      b[i] = (uint8_t)v;
      if (rc_parse_sheet(b, len, s, &err) == RC_OK) {
        assert_memory_not_equal(s, orig, sizeof *s);
        sv++;
      }
      b[i] = o;
    }
  free(orig), free(s), free(b);
  printf("byte changes: %zu texts with one byte changed (all 255 other values "
         "at every position of every sample); %zu still parse and re-encode "
         "to the changed bytes (%zu of them sheets, each a different sheet)\n",
         total, valid, sv);
}

/* xorshift64*, seeded: reproducible "random" edits */
static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint64_t rnd(void) {
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * 0x2545F4914F6CDD1Dull;
}

/* Line-level edits: delete, duplicate or swap lines, splice a line from
 * another sample, insert a byte, truncate. */
static void test_random_edits(void **state) {
  (void)state;
  struct rc_error err;
  uint8_t *base[T__COUNT];
  size_t blen[T__COUNT], total = 0, valid = 0;
  for (int t = 0; t < T__COUNT; t++) base[t] = sample((enum ttype)t, &blen[t]);
  static const char *const junk[] = {" ", "  ", "\n", "\r", "\t", "0", "+",
                                     "-", "=", "\xc3\xa9", "\xef\xbb\xbf",
                                     "\xff", "\x00", "vote x 1\n",
                                     "district d ballots 1\n"};
  for (int round = 0; round < 20000; round++) {
    int t = (int)(rnd() % T__COUNT);
    size_t len = blen[t];
    uint8_t *c = malloc(2 * len + 512);
    memcpy(c, base[t], len);
    int edits = 1 + (int)(rnd() % 3);
    for (int e = 0; e < edits; e++) {
      /* line boundaries */
      size_t starts[512], nl = 0;
      starts[nl++] = 0;
      for (size_t i = 0; i < len && nl < 511; i++)
        if (c[i] == '\n' && i + 1 < len) starts[nl++] = i + 1;
      starts[nl] = len;
      size_t a = (size_t)(rnd() % nl), b2 = (size_t)(rnd() % nl);
      size_t as = starts[a], al = starts[a + 1] - as;
      switch (rnd() % 6) {
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
        int o = (int)(rnd() % T__COUNT);
        size_t pos = (size_t)(rnd() % blen[o]);
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
        const char *j = junk[rnd() % (sizeof junk / sizeof junk[0])];
        size_t jl = j[0] ? strlen(j) : 1, at = len ? (size_t)(rnd() % len) : 0;
        if (len + jl > 2 * blen[t] + 256) break;
        memmove(c + at + jl, c + at, len - at);
        memcpy(c + at, j, jl);
        len += jl;
        break;
      }
      default: /* truncate */
        len = len ? (size_t)(rnd() % len) : 0;
      }
    }
    uint8_t *exact = malloc(len ? len : 1);
    memcpy(exact, c, len);
    if (parse_any((enum ttype)t, exact, len, &err) == RC_OK) valid++;
    total++;
    free(exact);
    free(c);
  }
  for (int t = 0; t < T__COUNT; t++) free(base[t]);
  printf("random edits: %zu edited texts (seeded); %zu parse, each "
         "re-encoding to exactly its bytes\n",
         total, valid);
}

/* ------------------------------------------------------------------ */
/* Limits: the largest value accepted, one more refused. */

/* sample t with from replaced by to (all as C strings) */
static uint8_t *edit(enum ttype t, const char *from, const char *to,
                     size_t *len) {
  size_t bl;
  uint8_t *b = sample(t, &bl);
  uint8_t *out = replace(b, bl, from, strlen(from), to, strlen(to), len);
  if (!out) fail_msg("anchor '%s' not found", from);
  free(b);
  return out;
}

static void expect(enum ttype t, const char *from, const char *to, int code,
                   size_t line) {
  size_t len;
  struct rc_error err;
  uint8_t *b = edit(t, from, to, &len);
  int rc = parse_any(t, b, len, &err);
  if (rc != code || (code && line && err.line != line))
    fail_msg("%s: replacing '%.40s' by '%.40s...': got %s line %zu (%s), "
             "expected %s line %zu",
             tnames[t], from, to, rc_err_str((enum rc_err)rc), err.line,
             err.msg, rc_err_str((enum rc_err)code), line);
  free(b);
}

/* sample t with its line `line` (1-based) replaced by text (which ends
 * in '\n', or is "" to delete the line); parsed and checked as expect */
static void expect_line(enum ttype t, size_t line, const char *text,
                        int code, size_t eline) {
  size_t bl, len;
  uint8_t *b = sample(t, &bl);
  size_t s0 = 0, l = 1;
  while (l < line && s0 < bl) {
    const uint8_t *nl = memchr(b + s0, '\n', bl - s0);
    assert_non_null(nl);
    s0 = (size_t)(nl - b) + 1;
    l++;
  }
  const uint8_t *nl = memchr(b + s0, '\n', bl - s0);
  assert_non_null(nl);
  size_t ol = (size_t)(nl - b) + 1 - s0;
  uint8_t *out = replace(b, bl, (const char *)b + s0, ol, text, strlen(text),
                         &len);
  struct rc_error err;
  int rc = parse_any(t, out, len, &err);
  if (rc != code || (code && eline && err.line != eline))
    fail_msg("%s: line %zu replaced by '%.40s...': got %s line %zu (%s), "
             "expected %s line %zu",
             tnames[t], line, text, rc_err_str((enum rc_err)rc), err.line,
             err.msg, rc_err_str((enum rc_err)code), eline);
  free(out);
  free(b);
}

/* a valid verifier key named name (random-looking public key) */
static void make_vkey(const char *name, struct rc_buf *b) {
  struct rc_vkey k;
  memset(&k, 0, sizeof k);
  k.name = name;
  k.namelen = strlen(name);
  for (size_t i = 0; i < 32; i++) k.pk[i] = (uint8_t)(rnd() >> 32);
  rc_key_id(k.name, k.namelen, k.pk, k.id);
  rc_vkey_encode(&k, b);
}

static void test_limits(void **state) {
  (void)state;
  size_t cases = 0;
  struct rc_buf b = {0};
  char big[1024];
  /* counts */
  expect(T_SHEET, "registered 388", "registered 999999999999999", RC_OK, 0);
  expect(T_SHEET, "registered 388", "registered 1000000000000000",
         RC_ERR_LIMIT, 5);
  expect(T_SHEET, "invalid 4", "invalid 0", RC_OK, 0);
  expect(T_SHEET, "invalid 4", "invalid 00", RC_ERR_SYNTAX, 7);
  expect(T_PUBLISHED, "ballots 651", "ballots 999999999999999", RC_OK, 0);
  expect(T_DISTRICT, "stations 2", "stations 999999999999999", RC_OK, 0);
  cases += 6;
  /* identifiers: 64 characters, the allowed punctuation */
  memset(big, 'a', 64);
  big[64] = 0;
  char line[1100];
  snprintf(line, sizeof line, "station %s", big);
  expect(T_SHEET, "station erbil.0001", line, RC_OK, 0);
  snprintf(line, sizeof line, "station %sa", big);
  expect(T_SHEET, "station erbil.0001", line, RC_ERR_SYNTAX, 4);
  expect(T_SHEET, "station erbil.0001", "station 0._-z9", RC_OK, 0);
  expect(T_SHEET, "station erbil.0001", "station _0", RC_ERR_SYNTAX, 4);
  expect(T_SHEET, "station erbil.0001", "station 0", RC_OK, 0);
  cases += 5;
  /* tree size up to 2^64 - 1 */
  expect(T_CHECKPOINT, "\n3\n", "\n18446744073709551615\n", RC_OK, 0);
  expect(T_CHECKPOINT, "\n3\n", "\n0\n", RC_OK, 0);
  expect(T_CHECKPOINT, "\n3\n", "\n99999999999999999999\n", RC_ERR_LIMIT, 2);
  cases += 3;
  /* origin: RC_ORIGIN_MAX bytes */
  memset(big, 'o', RC_ORIGIN_MAX);
  big[RC_ORIGIN_MAX] = 0;
  snprintf(line, sizeof line, "%s\n3\n", big);
  expect(T_CHECKPOINT, "test.example/krd-2017-test\n3\n", line, RC_OK, 0);
  snprintf(line, sizeof line, "origin %s\n", big);
  expect(T_MANIFEST, "origin test.example/krd-2017-test\n", line, RC_OK, 0);
  snprintf(line, sizeof line, "%so\n3\n", big);
  expect(T_CHECKPOINT, "test.example/krd-2017-test\n3\n", line, RC_ERR_LIMIT,
         1);
  snprintf(line, sizeof line, "origin %so\n", big);
  expect(T_MANIFEST, "origin test.example/krd-2017-test\n", line,
         RC_ERR_LIMIT, 3);
  cases += 4;
  /* names: RC_NAME_MAX bytes (here 128 two-byte letters) */
  big[0] = 0;
  for (int i = 0; i < RC_NAME_MAX / 2; i++) memcpy(big + 2 * i, "\xc3\xa9", 3);
  snprintf(line, sizeof line, "choice no %s\n", big);
  expect_line(T_MANIFEST, 6, line, RC_OK, 0);
  snprintf(line, sizeof line, "choice no %sx\n", big);
  expect_line(T_MANIFEST, 6, line, RC_ERR_LIMIT, 6);
  snprintf(line, sizeof line, "title %s\n", big);
  expect_line(T_MANIFEST, 4, line, RC_OK, 0);
  snprintf(line, sizeof line, "district erbil %s\n", big);
  expect_line(T_MANIFEST, 8, line, RC_OK, 0);
  snprintf(line, sizeof line, "title %s\xc3\xa9\n", big);
  expect_line(T_MANIFEST, 4, line, RC_ERR_LIMIT, 4);
  /* a name cut inside a UTF-8 sequence */
  snprintf(line, sizeof line, "title %s\xc3\n", big + 2);
  expect_line(T_MANIFEST, 4, line, RC_ERR_SYNTAX, 4);
  cases += 6;
  /* UTF-8 edge cases in a name: the largest code point, ZWNJ (used in
   * Kurdish and Persian) and right-to-left marks are fine */
  expect(T_MANIFEST, "(Yes)", "(Yes \xf4\x8f\xbf\xbf)", RC_OK, 0);
  expect(T_MANIFEST, "(Yes)", "(Yes\xe2\x80\x8c\xe2\x80\x8f)", RC_OK, 0);
  expect(T_MANIFEST, "(Yes)", "(Yes \xf4\x90\x80\x80)", RC_ERR_SYNTAX, 5);
  expect(T_MANIFEST, "(Yes)", "(Yes \xf5\x80\x80\x80)", RC_ERR_SYNTAX, 5);
  expect(T_MANIFEST, "(Yes)", "(Yes \xe0\x80\xaf)", RC_ERR_SYNTAX, 5);
  expect(T_MANIFEST, "(Yes)", "(Yes \xe2\x81\xa6)", RC_ERR_SYNTAX, 5);
  expect(T_MANIFEST, "(Yes)", "(Yes \xe2\x80)", RC_ERR_SYNTAX, 5);
  cases += 7;

  /* 64 choices accepted, 65 refused (manifest); votes likewise (sheet) */
  for (int n = RC_MAX_CHOICES; n <= RC_MAX_CHOICES + 1; n++) {
    rc_buf_free(&b);
    for (int i = 0; i < n; i++) rc_buf_printf(&b, "choice c%02d C %d\n", i, i);
    rc_buf_putc(&b, 0);
    size_t len;
    uint8_t *m = edit(T_MANIFEST, "choice yes", "choice yes", &len);
    const char *c0 = strstr((char *)m, "choice yes");
    const char *d0 = strstr((char *)m, "district duhok");
    struct rc_buf t = {0};
    rc_buf_put(&t, m, (size_t)(c0 - (char *)m));
    rc_buf_put(&t, b.p, b.len - 1);
    rc_buf_put(&t, d0, len - (size_t)(d0 - (char *)m));
    struct rc_error err;
    int rc = parse_any(T_MANIFEST, t.p, t.len, &err);
    if (n == RC_MAX_CHOICES) assert_int_equal(rc, RC_OK);
    else {
      assert_int_equal(rc, RC_ERR_LIMIT);
      assert_int_equal(err.line, 5 + RC_MAX_CHOICES);
    }
    rc_buf_free(&t);
    free(m);
    /* sheet */
    rc_buf_puts(&t, "recount count-sheet v1\nelection e\ndistrict d\nstation "
                    "s\nregistered 10\nballots 0\ninvalid 0\nblank 0\n"
                    "excluded 0\n");
    for (int i = 0; i < n; i++) rc_buf_printf(&t, "vote c%02d 0\n", i);
    rc = parse_any(T_SHEET, t.p, t.len, &err);
    if (n == RC_MAX_CHOICES) assert_int_equal(rc, RC_OK);
    else {
      assert_int_equal(rc, RC_ERR_LIMIT);
      assert_int_equal(err.line, 10 + RC_MAX_CHOICES);
    }
    rc_buf_free(&t);
    /* published: vote lines in one group */
    rc_buf_puts(&t, "recount published v1\nelection e\n");
    for (int i = 0; i < n; i++) rc_buf_printf(&t, "vote c%02d 0\n", i);
    rc = parse_any(T_PUBLISHED, t.p, t.len, &err);
    if (n == RC_MAX_CHOICES) assert_int_equal(rc, RC_OK);
    else {
      assert_int_equal(rc, RC_ERR_LIMIT);
      assert_int_equal(err.line, 3 + RC_MAX_CHOICES);
    }
    rc_buf_free(&t);
    cases += 3;
  }
  /* 256 witnesses accepted, 257 refused */
  for (int n = RC_MAX_WITNESSES; n <= RC_MAX_WITNESSES + 1; n++) {
    struct rc_buf t = {0};
    rc_buf_puts(&t, "recount manifest v1\nelection e\norigin o\ntitle T\n"
                    "choice y Y\ndistrict d D\n");
    for (int i = 0; i < n; i++) {
      char name[16];
      snprintf(name, sizeof name, "w%03d", i);
      rc_buf_puts(&t, "witness ");
      make_vkey(name, &t);
      rc_buf_putc(&t, '\n');
    }
    rc_buf_puts(&t, "station s d 1 ");
    make_vkey("s", &t);
    rc_buf_putc(&t, '\n');
    struct rc_error err;
    int rc = parse_any(T_MANIFEST, t.p, t.len, &err);
    if (n == RC_MAX_WITNESSES) assert_int_equal(rc, RC_OK);
    else {
      assert_int_equal(rc, RC_ERR_LIMIT);
      assert_int_equal(err.line, 7 + RC_MAX_WITNESSES);
    }
    rc_buf_free(&t);
    cases++;
  }
  /* inputs over the maximum are refused before being read: buf is NULL */
  struct rc_error err;
  struct rc_sheet *s = malloc(sizeof *s);
  struct rc_district_rec *d = malloc(sizeof *d);
  struct rc_manifest m;
  struct rc_checkpoint c;
  struct rc_published p;
  size_t *st, *ln, n;
  assert_int_equal(rc_parse_sheet(NULL, RC_SHEET_TEXT_MAX + 1, s, &err),
                   RC_ERR_LIMIT);
  assert_int_equal(rc_parse_district(NULL, RC_SMALL_TEXT_MAX + 1, d, &err),
                   RC_ERR_LIMIT);
  assert_int_equal(rc_parse_manifest(NULL, RC_MANIFEST_MAX + 1, &m, &err),
                   RC_ERR_LIMIT);
  assert_int_equal(rc_parse_checkpoint(NULL, RC_SMALL_TEXT_MAX + 1, &c, &err),
                   RC_ERR_LIMIT);
  assert_int_equal(rc_parse_published(NULL, RC_SMALL_TEXT_MAX + 1, &p, &err),
                   RC_ERR_LIMIT);
  assert_int_equal(rc_split_districts(NULL, RC_DISTRICTS_FILE_MAX + 1, &st,
                                      &ln, &n, &err),
                   RC_ERR_LIMIT);
  cases += 6;
  /* a sheet of exactly RC_SHEET_TEXT_MAX bytes is read (and here refused
   * for its content, not its size) */
  uint8_t *full = malloc(RC_SHEET_TEXT_MAX);
  memset(full, 'a', RC_SHEET_TEXT_MAX);
  assert_int_equal(rc_parse_sheet(full, RC_SHEET_TEXT_MAX, s, &err),
                   RC_ERR_SYNTAX);
  free(full);
  /* empty inputs */
  for (int t = 0; t < T__COUNT; t++) {
    int rc = parse_any((enum ttype)t, (const uint8_t *)"", 0, &err);
    assert_int_equal(rc, t == T_DISTRICTS ? RC_OK : RC_ERR_SYNTAX);
    cases++;
  }
  /* err may be NULL */
  assert_int_equal(rc_parse_sheet((const uint8_t *)"x", 1, s, NULL),
                   RC_ERR_SYNTAX);
  assert_int_equal(rc_parse_manifest((const uint8_t *)"x\n", 2, &m, NULL),
                   RC_ERR_SYNTAX);
  assert_int_equal(rc_parse_published((const uint8_t *)"x\n", 2, &p, NULL),
                   RC_ERR_SYNTAX);
  assert_int_equal(rc_parse_checkpoint((const uint8_t *)"\n", 1, &c, NULL),
                   RC_ERR_SYNTAX);
  assert_int_equal(rc_parse_district((const uint8_t *)"", 0, d, NULL),
                   RC_ERR_SYNTAX);
  assert_int_equal(rc_split_districts((const uint8_t *)"\n", 1, &st, &ln, &n,
                                      NULL),
                   RC_ERR_SYNTAX);
  cases += 6;
  free(s), free(d);
  rc_buf_free(&b);
  printf("limits: %zu cases at and just over every limit\n", cases);
}

/* ------------------------------------------------------------------ */
static void test_percent(void **state) {
  (void)state;
  struct rc_percent p;
  size_t cases = 0;
  /* the Kurdistan figures: 72.16 % turnout, 92.73 / 7.27 % */
  assert_int_equal(rc_percent_from_ratio(3305925, 4581255, 2, &p), 0);
  assert_int_equal(p.units, 7216);
  assert_int_equal(p.decimals, 2);
  assert_true(rc_percent_matches(&p, 3305925, 4581255));
  assert_int_equal(rc_percent_from_ratio(2861471, 3085935, 2, &p), 0);
  assert_int_equal(p.units, 9273);
  assert_int_equal(rc_percent_from_ratio(224464, 3085935, 2, &p), 0);
  assert_int_equal(p.units, 727);
  cases += 3;
  /* half up at the exact half: 92.725 % -> 92.73, 12.5 % -> 13, and
   * just below the half rounds down */
  assert_int_equal(rc_percent_from_ratio(3709, 4000, 2, &p), 0); /* 92.725 */
  assert_int_equal(p.units, 9273);
  struct rc_percent q = {9272, 2, 0};
  assert_false(rc_percent_matches(&q, 3709, 4000));
  q.units = 9273;
  assert_true(rc_percent_matches(&q, 3709, 4000));
  assert_int_equal(rc_percent_from_ratio(1, 8, 0, &p), 0);  /* 12.5 */
  assert_int_equal(p.units, 13);
  assert_int_equal(rc_percent_from_ratio(1, 8, 1, &p), 0);
  assert_int_equal(p.units, 125);
  assert_int_equal(rc_percent_from_ratio(92724999, 100000000, 2, &p), 0);
  assert_int_equal(p.units, 9272);
  /* 2/3 = 66.666..% at every precision */
  static const uint32_t twothirds[5] = {67, 667, 6667, 66667, 666667};
  for (uint8_t d = 0; d <= 4; d++) {
    assert_int_equal(rc_percent_from_ratio(2, 3, d, &p), 0);
    assert_int_equal(p.units, twothirds[d]);
    assert_true(rc_percent_matches(&p, 2, 3));
    p.units++;
    assert_false(rc_percent_matches(&p, 2, 3));
  }
  cases += 11;
  /* ends: 0 %, 100 %, over 100 %, 999.9999 % and beyond, den 0, 64 bits */
  assert_int_equal(rc_percent_from_ratio(0, 5, 4, &p), 0);
  assert_int_equal(p.units, 0);
  assert_int_equal(rc_percent_from_ratio(7, 7, 0, &p), 0);
  assert_int_equal(p.units, 100);
  assert_int_equal(rc_percent_from_ratio(11, 10, 1, &p), 0);
  assert_int_equal(p.units, 1100);
  assert_int_equal(rc_percent_from_ratio(99999994, 10000000, 4, &p), 0);
  assert_int_equal(p.units, 9999999);
  assert_int_equal(rc_percent_from_ratio(99999995, 10000000, 4, &p), -1);
  assert_int_equal(rc_percent_from_ratio(10, 1, 0, &p), -1);
  assert_int_equal(rc_percent_from_ratio(1, 0, 2, &p), -1);
  assert_int_equal(rc_percent_from_ratio(0, 0, 2, &p), -1);
  assert_int_equal(rc_percent_from_ratio(1, 2, 5, &p), -1);
  q = (struct rc_percent){0, 0, 0};
  assert_false(rc_percent_matches(&q, 0, 0));
  assert_true(rc_percent_matches(&q, 0, UINT64_MAX));
  assert_int_equal(rc_percent_from_ratio(UINT64_MAX, UINT64_MAX, 4, &p), 0);
  assert_int_equal(p.units, 1000000);
  assert_int_equal(rc_percent_from_ratio(UINT64_MAX / 3, UINT64_MAX, 4, &p),
                   0);
  assert_int_equal(p.units, 333333);
  assert_int_equal(rc_percent_from_ratio(1, UINT64_MAX, 4, &p), 0);
  assert_int_equal(p.units, 0);
  cases += 14;
  /* encoding, including the leading zeros RECORD.md's pattern allows */
  static const struct {
    const char *text;
    uint32_t units;
    uint8_t dec;
  } enc[] = {{"72.16", 7216, 2}, {"7.27", 727, 2},   {"007.27", 727, 2},
             {"0", 0, 0},        {"000", 0, 0},      {"100", 100, 0},
             {"999.9999", 9999999, 4}, {"0.0001", 1, 4}, {"05.0", 50, 1},
             {"85.0", 850, 1}};
  for (size_t i = 0; i < sizeof enc / sizeof enc[0]; i++) {
    char doc[128];
    snprintf(doc, sizeof doc, "recount published v1\nelection e\nturnout %s\n",
             enc[i].text);
    struct rc_published pub;
    struct rc_error err;
    assert_int_equal(parse_any(T_PUBLISHED, (const uint8_t *)doc, strlen(doc),
                               &err),
                     RC_OK);
    assert_int_equal(rc_parse_published((const uint8_t *)doc, strlen(doc),
                                        &pub, &err),
                     RC_OK);
    assert_int_equal(pub.figs[0].pct.units, enc[i].units);
    assert_int_equal(pub.figs[0].pct.decimals, enc[i].dec);
    rc_published_free(&pub);
    cases++;
  }
  struct rc_buf b = {0};
  rc_percent_from_ratio(224464, 3085935, 2, &p);
  rc_percent_encode(&p, &b);
  assert_int_equal(b.len, 4);
  assert_memory_equal(b.p, "7.27", 4);
  rc_buf_free(&b);
  /* a leading-zero percent reconciles by its value */
  q = (struct rc_percent){727, 2, 3};
  assert_true(rc_percent_matches(&q, 224464, 3085935));
  rc_percent_encode(&q, &b);
  assert_int_equal(b.len, 6);
  assert_memory_equal(b.p, "007.27", 6);
  rc_buf_free(&b);
  cases += 2;
  printf("percent: %zu cases (half-up rounding, precision, ends, encoding)\n",
         cases);
}

static void test_arith(void **state) {
  (void)state;
  struct rc_sheet *s = malloc(sizeof *s);
  struct rc_error err;
  size_t len;
  uint8_t *b = sample(T_SHEET, &len);
  assert_int_equal(rc_parse_sheet(b, len, s, &err), RC_OK);
  free(b);
  assert_int_equal(rc_sheet_arith(s, &err), RC_OK);
  s->votes[1].count++;
  assert_int_equal(rc_sheet_arith(s, &err), RC_ERR_ARITH);
  assert_int_equal(err.line, 6);
  s->votes[1].count -= 2;
  assert_int_equal(rc_sheet_arith(s, &err), RC_ERR_ARITH);
  /* a sum over 64 bits is an overflow, never a wrap to the right total */
  s->votes[0].count = UINT64_MAX;
  s->votes[1].count = 0;
  s->invalid = s->blank = 0;
  s->excluded = 1;
  s->ballots = 0; /* UINT64_MAX + 1 wraps to 0 */
  assert_int_equal(rc_sheet_arith(s, &err), RC_ERR_OVERFLOW);
  s->excluded = 0;
  s->ballots = UINT64_MAX;
  assert_int_equal(rc_sheet_arith(s, &err), RC_OK);
  /* the largest counts a text can hold never overflow */
  s->invalid = s->blank = s->excluded = RC_COUNT_LIMIT - 1;
  s->nvotes = RC_MAX_CHOICES;
  for (size_t i = 0; i < RC_MAX_CHOICES; i++) {
    snprintf(s->votes[i].choice, sizeof s->votes[i].choice, "c%zu", i);
    s->votes[i].count = RC_COUNT_LIMIT - 1;
  }
  s->ballots = (RC_COUNT_LIMIT - 1) * (3 + RC_MAX_CHOICES);
  assert_int_equal(rc_sheet_arith(s, &err), RC_OK);
  free(s);
  printf("sheet arithmetic: 6 cases (balance, off by one each way, 64-bit "
         "overflow vs exact 2^64-1, largest figures)\n");
}

static void test_split_districts(void **state) {
  (void)state;
  struct rc_error err;
  size_t *st, *ln, n;
  static const struct {
    const char *text;
    size_t n;   /* records, or (size_t)-1 for an error */
    size_t line;
  } cases[] = {
      {"", 0, 0},
      {"a\n", 1, 0},
      {"a\nb\n", 1, 0},
      {"a\n\nb\n", 2, 0},
      {"a\nb\n\nc\n\nd\ne\n", 3, 0},
      {"\n", (size_t)-1, 1},
      {"\n\n", (size_t)-1, 1},
      {"\na\n", (size_t)-1, 1},
      {"a", (size_t)-1, 1},
      {"a\n\nb", (size_t)-1, 3},
      {"a\n\n", (size_t)-1, 2},
      {"a\n\n\n", (size_t)-1, 3},
      {"a\n\n\nb\n", (size_t)-1, 3},
      {"a\nb\n\n\n\nc\n", (size_t)-1, 4},
      {"a\r\n\r\nb\r\n", 1, 0}, /* no empty line: one record (refused later) */
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const char *t = cases[i].text;
    int rc = rc_split_districts((const uint8_t *)t, strlen(t), &st, &ln, &n,
                                &err);
    if (cases[i].n == (size_t)-1) {
      if (rc == RC_OK) fail_msg("split '%s': accepted", t);
      assert_int_equal(rc, RC_ERR_SYNTAX);
      if (err.line != cases[i].line)
        fail_msg("split case %zu: line %zu, expected %zu", i, err.line,
                 cases[i].line);
      assert_null(st);
      continue;
    }
    assert_int_equal(rc, RC_OK);
    assert_int_equal(n, cases[i].n);
    size_t sum = 0;
    for (size_t k = 0; k < n; k++) {
      assert_int_equal(((const char *)t)[st[k] + ln[k] - 1], '\n');
      sum += ln[k] + (k ? 1 : 0);
    }
    assert_int_equal(sum, strlen(t));
    free(st);
    free(ln);
  }
  printf("districts.txt framing: %zu cases\n", sizeof cases / sizeof cases[0]);
}

/* rc_published_check_manifest against the manifest sample */
static void test_published_manifest(void **state) {
  (void)state;
  struct rc_error err;
  size_t len;
  uint8_t *mb = sample(T_MANIFEST, &len);
  struct rc_manifest m;
  assert_int_equal(rc_parse_manifest(mb, len, &m, &err), RC_OK);
  free(mb);
  static const struct {
    const char *what, *from, *to;
    int code;
    size_t line;
  } cases[] = {
      {"as is", "x", "x", RC_OK, 0},
      {"votes against the ballot order", "vote yes 600\nvote no 37\n",
       "vote no 37\nvote yes 600\n", RC_ERR_ORDER, 10},
      {"shares against the ballot order",
       "share yes 94.19\nshare no 5.81\n", "share no 5.81\nshare yes 94.19\n",
       RC_ERR_ORDER, 12},
      {"district votes against the ballot order",
       "district erbil vote yes 270\ndistrict erbil vote no 24\n",
       "district erbil vote no 24\ndistrict erbil vote yes 270\n",
       RC_ERR_ORDER, 19},
      {"one choice only", "vote yes 600\n", "", RC_OK, 0},
      {"unknown choice", "vote no 37", "vote maybe 37", RC_ERR_SYNTAX, 10},
      {"unknown district", "district duhok ballots 350\ndistrict duhok",
       "district dohuk ballots 350\ndistrict dohuk", RC_ERR_SYNTAX, 14},
      {"other election", "election krd-2017-test", "election krd-2017",
       RC_ERR_SYNTAX, 2},
      {"unknown choice in a share", "share no", "share maybe", RC_ERR_SYNTAX,
       12},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    size_t tl;
    uint8_t *t = edit(T_PUBLISHED, cases[i].from, cases[i].to, &tl);
    struct rc_published p;
    assert_int_equal(rc_parse_published(t, tl, &p, &err), RC_OK);
    int rc = rc_published_check_manifest(&p, &m, &err);
    if (rc != cases[i].code || (rc && err.line != cases[i].line))
      fail_msg("'%s': %s line %zu (%s)", cases[i].what,
               rc_err_str((enum rc_err)rc), err.line, err.msg);
    rc_published_free(&p);
    free(t);
  }
  rc_manifest_free(&m);
  printf("published vs manifest: %zu cases\n", sizeof cases / sizeof cases[0]);
}

/* Encoders refuse a struct they could not encode as a valid text. */
static void test_encoders_refuse(void **state) {
  (void)state;
  struct rc_error err;
  struct rc_buf b = {0};
  size_t len, cases = 0;
  uint8_t *t = sample(T_SHEET, &len);
  struct rc_sheet s0, s;
  assert_int_equal(rc_parse_sheet(t, len, &s0, &err), RC_OK);
  free(t);
  s = s0, s.ballots = RC_COUNT_LIMIT;
  assert_int_not_equal(rc_encode_sheet(&s, &b), RC_OK);
  s = s0, snprintf(s.station, sizeof s.station, "Upper");
  assert_int_not_equal(rc_encode_sheet(&s, &b), RC_OK);
  s = s0, s.station[0] = 0;
  assert_int_not_equal(rc_encode_sheet(&s, &b), RC_OK);
  s = s0, s.nvotes = 0;
  assert_int_not_equal(rc_encode_sheet(&s, &b), RC_OK);
  s = s0, s.nvotes = RC_MAX_CHOICES + 1;
  assert_int_not_equal(rc_encode_sheet(&s, &b), RC_OK);
  s = s0, memcpy(s.votes[1].choice, s.votes[0].choice, sizeof s.votes[1].choice);
  assert_int_not_equal(rc_encode_sheet(&s, &b), RC_OK);
  s = s0, memset(s.election, 'a', sizeof s.election);
  assert_int_not_equal(rc_encode_sheet(&s, &b), RC_OK);
  assert_int_equal(b.len, 0);
  cases += 7;
  t = sample(T_DISTRICT, &len);
  struct rc_district_rec d0, d;
  assert_int_equal(rc_parse_district(t, len, &d0, &err), RC_OK);
  free(t);
  d = d0, d.registered = RC_COUNT_LIMIT;
  assert_int_equal(rc_encode_district(&d, &b), RC_ERR_LIMIT);
  d = d0, d.votes[0].count = UINT64_MAX;
  assert_int_equal(rc_encode_district(&d, &b), RC_ERR_LIMIT);
  d = d0, snprintf(d.district, sizeof d.district, "-x");
  assert_int_not_equal(rc_encode_district(&d, &b), RC_OK);
  assert_int_equal(b.len, 0);
  cases += 3;
  t = sample(T_CHECKPOINT, &len);
  struct rc_checkpoint c0, c;
  assert_int_equal(rc_parse_checkpoint(t, len, &c0, &err), RC_OK);
  free(t);
  c = c0, snprintf(c.origin, sizeof c.origin, "a b");
  assert_int_not_equal(rc_encode_checkpoint(&c, &b), RC_OK);
  c = c0, c.origin[0] = 0;
  assert_int_not_equal(rc_encode_checkpoint(&c, &b), RC_OK);
  c = c0, memset(c.origin, 'a', sizeof c.origin);
  assert_int_not_equal(rc_encode_checkpoint(&c, &b), RC_OK);
  c = c0, c.size = UINT64_MAX;
  assert_int_equal(rc_encode_checkpoint(&c, &b), RC_OK);
  assert_int_equal(parse_any(T_CHECKPOINT, b.p, b.len, &err), RC_OK);
  rc_buf_free(&b);
  cases += 4;
  t = sample(T_PUBLISHED, &len);
  struct rc_published p;
  assert_int_equal(rc_parse_published(t, len, &p, &err), RC_OK);
  free(t);
  struct rc_figure f0 = p.figs[1];
  p.figs[1] = p.figs[0]; /* registered twice */
  assert_int_not_equal(rc_encode_published(&p, &b), RC_OK);
  p.figs[1] = f0;
  p.figs[10].pct.decimals = 5;
  assert_int_not_equal(rc_encode_published(&p, &b), RC_OK);
  p.figs[10].pct.decimals = 2;
  p.figs[10].pct.units = 100000;
  assert_int_not_equal(rc_encode_published(&p, &b), RC_OK);
  p.figs[10].pct.units = 8127;
  p.figs[0].count = RC_COUNT_LIMIT;
  assert_int_not_equal(rc_encode_published(&p, &b), RC_OK);
  p.figs[0].count = 801;
  p.figs[0].kind = RC_FIG__COUNT;
  assert_int_not_equal(rc_encode_published(&p, &b), RC_OK);
  p.figs[0].kind = RC_FIG_REGISTERED;
  assert_int_equal(b.len, 0);
  assert_int_equal(rc_encode_published(&p, &b), RC_OK);
  rc_buf_free(&b);
  rc_published_free(&p);
  cases += 5;
  t = sample(T_MANIFEST, &len);
  struct rc_manifest m;
  assert_int_equal(rc_parse_manifest(t, len, &m, &err), RC_OK);
  free(t);
  char *keep = m.choices[0].name;
  m.choices[0].name = (char *)"two  spaces";
  assert_int_not_equal(rc_encode_manifest(&m, &b), RC_OK);
  m.choices[0].name = (char *)"\x01";
  assert_int_not_equal(rc_encode_manifest(&m, &b), RC_OK);
  m.choices[0].name = keep;
  m.stations[1].registered = RC_COUNT_LIMIT;
  assert_int_not_equal(rc_encode_manifest(&m, &b), RC_OK);
  m.stations[1].registered = 388;
  m.stations[1].district = 3;
  assert_int_not_equal(rc_encode_manifest(&m, &b), RC_OK);
  m.stations[1].district = 1;
  char *sid = m.stations[1].id;
  m.stations[1].id = m.stations[2].id; /* not ascending */
  assert_int_not_equal(rc_encode_manifest(&m, &b), RC_OK);
  m.stations[1].id = sid;
  assert_int_equal(b.len, 0);
  assert_int_equal(rc_encode_manifest(&m, &b), RC_OK);
  rc_buf_free(&b);
  rc_manifest_free(&m);
  cases += 5;
  printf("encoders: %zu structs that no valid text has are refused\n", cases);
}

/* A manifest of 1,000,000 stations (about 100 MB): time and memory. The
 * station count can be lowered with RC_TEST_STATIONS (e.g. under
 * sanitizers). */
static void test_manifest_million(void **state) {
  (void)state;
  size_t nst = 1000000;
  const char *env = getenv("RC_TEST_STATIONS");
  if (env && *env) nst = digits(env);
  const size_t ndist = 1000;
  struct rc_buf t = {0};
  rc_buf_puts(&t, "recount manifest v1\nelection big\norigin big.example/e\n"
                  "title A large synthetic manifest\nchoice yes Yes\n"
                  "choice no No\n");
  for (size_t d = 0; d < ndist; d++)
    rc_buf_printf(&t, "district d%04zu District %zu\n", d, d);
  char name[48];
  for (size_t i = 0; i < nst; i++) {
    snprintf(name, sizeof name, "station-key.s%07zu", i);
    rc_buf_printf(&t, "station s%07zu d%04zu %zu ", i, i % ndist, 300 + i % 97);
    make_vkey(name, &t);
    rc_buf_putc(&t, '\n');
  }
  assert_false(t.oom);
  struct rc_manifest m;
  struct rc_error err;
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  assert_int_equal(rc_parse_manifest(t.p, t.len, &m, &err), RC_OK);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double secs = (double)(t1.tv_sec - t0.tv_sec) +
                (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
  assert_int_equal(m.nstations, nst);
  assert_int_equal(m.districts[7].nstations, nst / ndist);
  for (size_t i = 0; i < nst; i += 9973) {
    char id[32];
    snprintf(id, sizeof id, "s%07zu", i);
    assert_int_equal(rc_manifest_station(&m, id, 8), (long)i);
  }
  assert_int_equal(rc_manifest_station(&m, "s9999999", 8), -1);
  struct rc_buf e = {0};
  assert_int_equal(rc_encode_manifest(&m, &e), RC_OK);
  same_bytes("manifest of 1M stations", &e, t.p, t.len);
  rc_buf_free(&e);
  rc_manifest_free(&m);
  printf("manifest: %zu stations (%.1f MB) parsed in %.2f s, %zu bytes of "
         "struct per station plus its id and key name; re-encoded byte for "
         "byte\n",
         nst, (double)t.len / 1e6, secs, sizeof(struct rc_station));
  rc_buf_free(&t);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_samples_round_trip),
      cmocka_unit_test(test_krd_round_trips),
      cmocka_unit_test(test_mutations),
      cmocka_unit_test(test_prefixes),
      cmocka_unit_test(test_byte_flips),
      cmocka_unit_test(test_random_edits),
      cmocka_unit_test(test_limits),
      cmocka_unit_test(test_percent),
      cmocka_unit_test(test_arith),
      cmocka_unit_test(test_split_districts),
      cmocka_unit_test(test_published_manifest),
      cmocka_unit_test(test_encoders_refuse),
      cmocka_unit_test(test_manifest_million),
  };
  return cmocka_run_group_tests_name("texts", tests, NULL, NULL);
}
