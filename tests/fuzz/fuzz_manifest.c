/* fuzz_manifest.c — the manifest (formats/texts.h).
 *
 * The input is a manifest text; when it is a whole signed note, its text
 * is parsed too. A manifest that parses must re-encode to the identical
 * bytes, every station and district must be found at its own index by
 * rc_manifest_station / rc_manifest_district, ids that cannot be in the
 * manifest must not be found, and lookups of strings taken from the input
 * must agree with a linear scan. */
#include <string.h>

#include "fuzz_common.h"
#include "note.h"
#include "texts.h"

static long scan_station(const struct rc_manifest *m, const char *s, size_t n) {
  for (size_t i = 0; i < m->nstations; i++)
    if (strlen(m->stations[i].id) == n && !memcmp(m->stations[i].id, s, n))
      return (long)i;
  return -1;
}

static long scan_district(const struct rc_manifest *m, const char *s,
                          size_t n) {
  for (size_t i = 0; i < m->ndistricts; i++)
    if (strlen(m->districts[i].id) == n && !memcmp(m->districts[i].id, s, n))
      return (long)i;
  return -1;
}

/* Lookups of NUL-free strings cut from the input (callers pass C strings
 * with their strlen, so a NUL inside is outside the contract). */
static void probe(const struct rc_manifest *m, const uint8_t *data,
                  size_t size) {
  char q[2 * RC_ID_MAX + 2];
  size_t pos = 0;
  for (int k = 0; k < 4 && pos < size; k++) {
    size_t n = data[pos] % sizeof q;
    pos++;
    if (n > size - pos) n = size - pos;
    memcpy(q, data + pos, n);
    for (size_t i = 0; i < n; i++)
      if (q[i] == 0) q[i] = 'a';
    pos += n;
    FUZZ_CHECK(rc_manifest_station(m, q, n) == scan_station(m, q, n));
    FUZZ_CHECK(rc_manifest_district(m, q, n) == scan_district(m, q, n));
  }
}

static void lookups(const struct rc_manifest *m) {
  char q[RC_ID_MAX + 2];
  size_t total = 0;
  for (size_t i = 0; i < m->ndistricts; i++) {
    const char *id = m->districts[i].id;
    size_t n = strlen(id);
    FUZZ_CHECK(rc_id_valid(id, n));
    if (i) FUZZ_CHECK(strcmp(m->districts[i - 1].id, id) < 0);
    FUZZ_CHECK(rc_manifest_district(m, id, n) == (long)i);
    /* '~' is not an id character: never found */
    memcpy(q, id, n);
    q[n] = '~';
    FUZZ_CHECK(rc_manifest_district(m, q, n + 1) == -1);
    FUZZ_CHECK(rc_manifest_district(m, id, n - 1) ==
               scan_district(m, id, n - 1));
    total += m->districts[i].nstations;
  }
  FUZZ_CHECK(total == m->nstations);
  for (size_t i = 0; i < m->nstations; i++) {
    const struct rc_station *st = &m->stations[i];
    size_t n = strlen(st->id);
    FUZZ_CHECK(rc_id_valid(st->id, n));
    if (i) FUZZ_CHECK(strcmp(m->stations[i - 1].id, st->id) < 0);
    FUZZ_CHECK(st->district < m->ndistricts);
    FUZZ_CHECK(st->registered < RC_COUNT_LIMIT);
    FUZZ_CHECK(rc_keyname_valid(st->key.name, st->key.namelen));
    FUZZ_CHECK(rc_manifest_station(m, st->id, n) == (long)i);
    memcpy(q, st->id, n);
    q[n] = '~';
    FUZZ_CHECK(rc_manifest_station(m, q, n + 1) == -1);
    FUZZ_CHECK(rc_manifest_station(m, st->id, n - 1) ==
               scan_station(m, st->id, n - 1));
  }
  FUZZ_CHECK(rc_manifest_station(m, "", 0) == -1);
  FUZZ_CHECK(rc_manifest_district(m, "", 0) == -1);
}

static void check_manifest(const uint8_t *buf, size_t len, const uint8_t *data,
                           size_t size) {
  struct rc_manifest m;
  struct rc_error err;
  if (rc_parse_manifest(buf, len, &m, &err) != RC_OK) {
    /* a failed parse leaves nothing to free */
    FUZZ_CHECK(m.arena == NULL && m.stations == NULL && m.choices == NULL);
    return;
  }
  FUZZ_CHECK(m.nchoices >= 1 && m.nchoices <= RC_MAX_CHOICES);
  FUZZ_CHECK(m.ndistricts >= 1 && m.nstations >= 1);
  FUZZ_CHECK(m.nwitnesses <= RC_MAX_WITNESSES);
  struct rc_buf b = {0};
  FUZZ_CHECK(rc_encode_manifest(&m, &b) == RC_OK || b.oom);
  fuzz_same_bytes("rc_parse_manifest", &b, buf, len);
  rc_buf_free(&b);
  lookups(&m);
  probe(&m, data, size);
  rc_manifest_free(&m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  check_manifest(data, size, data, size);
  struct rc_note n;
  struct rc_error err;
  if (rc_note_parse(data, size, &n, &err) == RC_OK) {
    uint8_t *text = fuzz_copy(n.text, n.textlen);
    if (text) {
      check_manifest(text, n.textlen, data, size);
      free(text);
    }
  }
  return 0;
}
