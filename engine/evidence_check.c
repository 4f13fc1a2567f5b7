/* evidence_check.c — proving an equivocation from an evidence directory
 * alone (RECORD.md v1.1 §6, `recount-verify evidence`): the manifest the
 * anchor signed registers a key for a station, and that key signed two
 * different count sheets of that station. Every file is read with the
 * engine's bounded read (O_NOFOLLOW, regular files only, size caps). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "note.h"
#include "observed.h"
#include "read.h"
#include "sheet_rules.h"
#include "texts.h"

static const char *const want[3] = {"manifest.note", "a.note", "b.note"};
#define MAX_ENTRIES 64 /* entries listed before giving up */

__attribute__((format(printf, 2, 3))) static int
refuse(struct rc_evidence_result *res, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(res->why, sizeof res->why, fmt, ap);
  va_end(ap);
  res->proved = 0;
  return RC_OK;
}

/* name with every byte outside printable ASCII as \xNN (a directory entry
 * may hold anything; the reason is shown on a terminal). */
static void esc(char *out, size_t cap, const char *in) {
  size_t o = 0;
  for (; *in && o + 5 < cap; in++) {
    unsigned char c = (unsigned char)*in;
    if (c > 0x20 && c < 0x7f && c != '\\') {
      out[o++] = (char)c;
    } else {
      snprintf(out + o, cap - o, "\\x%02x", c);
      o += 4;
    }
  }
  out[o] = 0;
}

static const char *kind(mode_t m) {
  return S_ISLNK(m)    ? "a symbolic link"
         : S_ISDIR(m)  ? "a directory"
         : S_ISFIFO(m) ? "a FIFO"
         : S_ISSOCK(m) ? "a socket"
                       : "a device or special file";
}

/* Exactly the three files, each a regular file. Returns 1 when they are,
 * 0 with res->why set when not, -1 when dir cannot be read. */
static int check_entries(const char *dir, struct rc_evidence_result *res) {
  DIR *d = opendir(dir);
  if (!d) {
    snprintf(res->why, sizeof res->why,
             "%s: cannot open the evidence "
             "directory: %s",
             dir, strerror(errno));
    return -1;
  }
  int seen[3] = {0}, ok = 1;
  size_t entries = 0;
  struct dirent *de;
  char name[96];
  while (ok && (de = readdir(d)) != NULL) {
    if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue;
    if (++entries > MAX_ENTRIES) {
      refuse(res,
             "more than %d entries: an evidence directory holds %s "
             "only",
             MAX_ENTRIES, RC_EVIDENCE_FILES);
      ok = 0;
      break;
    }
    int k = -1;
    for (int i = 0; i < 3; i++)
      if (!strcmp(de->d_name, want[i])) k = i;
    esc(name, sizeof name, de->d_name);
    struct stat st;
    if (k < 0) {
      refuse(res, "%s: extra file; an evidence directory holds %s only", name,
             RC_EVIDENCE_FILES);
      ok = 0;
    } else if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
      refuse(res, "%s: cannot stat: %s", name, strerror(errno));
      ok = 0;
    } else if (!S_ISREG(st.st_mode)) {
      refuse(res, "%s: %s, not a regular file: not opened", name,
             kind(st.st_mode));
      ok = 0;
    } else {
      seen[k] = 1;
    }
  }
  closedir(d);
  for (int i = 0; ok && i < 3; i++)
    if (!seen[i]) {
      refuse(res, "%s: missing; an evidence directory holds %s", want[i],
             RC_EVIDENCE_FILES);
      ok = 0;
    }
  return ok;
}

/* Reads dir/name under cap; 0, or -1 with res->why set (nomem set on an
 * allocation failure). */
static int read_one(const char *dir, const char *name, uint64_t cap,
                    uint8_t **buf, size_t *len, struct rc_evidence_result *res,
                    int *nomem) {
  char path[4096];
  int w = snprintf(path, sizeof path, "%s/%s", dir, name);
  if (w < 0 || (size_t)w >= sizeof path) {
    refuse(res, "%s: path too long", name);
    return -1;
  }
  struct rc_error err;
  if (rc_read_file_as(path, name, cap, buf, len, &err) != RC_OK) {
    if (err.code == RC_ERR_NOMEM) *nomem = 1;
    refuse(res, "%s", err.msg);
    return -1;
  }
  return 0;
}

static void key_str(const struct rc_vkey *k, char *out, size_t cap) {
  snprintf(out, cap, "%.*s+%02x%02x%02x%02x", (int)k->namelen, k->name,
           k->id[0], k->id[1], k->id[2], k->id[3]);
}

/* The manifest: signed by the anchor under both libraries, parsed. */
static int check_manifest_note(const uint8_t *buf, size_t len,
                               const struct rc_vkey *anchor,
                               struct rc_manifest *m,
                               struct rc_evidence_result *res) {
  struct rc_note n;
  struct rc_error err;
  if (rc_note_parse(buf, len, &n, &err) != RC_OK)
    return refuse(res, "manifest.note: not a signed note: line %zu: %s",
                  err.line, err.msg),
           -1;
  struct rc_note_check chk;
  int ks = 0;
  if (rc_note_verify(&n, anchor, 1, RC_CRYPTO_BOTH, &chk, &ks) != RC_OK)
    return refuse(res, "manifest.note: %s",
                  ks == -2  ? "libsodium and OpenSSL disagree on the anchor's "
                              "signature"
                  : ks == 0 ? "no signature line by the anchor key"
                            : "the anchor key's signature does not verify"),
           -1;
  if (rc_parse_manifest(n.text, n.textlen, m, &err) != RC_OK)
    return refuse(res, "manifest.note: line %zu: %s%s%s", err.line,
                  err.field[0] ? err.field : "", err.field[0] ? ": " : "",
                  err.msg),
           -1;
  return 0;
}

struct sig_seen {
  int disagree;
};

static void on_sig(void *ctx, const struct rc_sig_event *ev) {
  struct sig_seen *s = ctx;
  if (!ev->witness && ev->result == RC_SIG_DISAGREE) s->disagree = 1;
}

/* One sheet note (a.note or b.note) of the manifest's election, of a
 * registered station, validly signed by its key. Fills *st (station
 * index) and the text's place. */
static int check_sheet_note(const char *name, const uint8_t *buf, size_t len,
                            const struct rc_manifest *m, long *st,
                            const uint8_t **text, size_t *tlen,
                            struct rc_sheet *s,
                            struct rc_evidence_result *res) {
  struct rc_note n;
  struct rc_error err;
  size_t used = 0;
  if (rc_note_next(buf, len, &used, &n, &err) != RC_OK)
    return refuse(res, "%s: not a signed note: line %zu: %s", name, err.line,
                  err.msg),
           -1;
  if (used != len)
    return refuse(res,
                  "%s: more than one note (the first ends at byte "
                  "%zu); an evidence file holds one signed sheet",
                  name, used),
           -1;
  if (rc_parse_sheet(n.text, n.textlen, s, &err) != RC_OK)
    return refuse(res, "%s: not a count sheet: line %zu: %s%s%s", name,
                  err.line, err.field[0] ? err.field : "",
                  err.field[0] ? ": " : "", err.msg),
           -1;
  if (strcmp(s->election, m->election) != 0)
    return refuse(res, "%s: a sheet of election %s, the manifest's is %s", name,
                  s->election, m->election),
           -1;
  *st = rc_manifest_station(m, s->station, strlen(s->station));
  if (*st < 0)
    return refuse(res, "%s: station %s is not in the manifest", name,
                  s->station),
           -1;
  const struct rc_station *rs = &m->stations[*st];
  enum rc_key_class kc = rc_pubkey_check(rs->key.pk);
  if (kc != RC_KEY_GOOD)
    return refuse(res,
                  "%s: the registered key of station %s is %s: it "
                  "proves nothing",
                  name, rs->id, rc_key_class_str(kc)),
           -1;
  struct rc_sheet_sigs sigs;
  struct sig_seen seen = {0};
  rc_sheet_signatures(&n, &rs->key, 0, NULL, 0, RC_CRYPTO_BOTH, on_sig, &seen,
                      &sigs);
  if (!sigs.valid)
    return refuse(res, "%s: %s", name,
                  seen.disagree ? "libsodium and OpenSSL disagree on the "
                                  "station's signature"
                  : sigs.station_line
                      ? "the signature by the station's registered key does "
                        "not verify"
                      : "no signature line by the station's registered key"),
           -1;
  *text = n.text;
  *tlen = n.textlen;
  return 0;
}

static size_t first_diff_line(const uint8_t *a, size_t alen, const uint8_t *b,
                              size_t blen) {
  size_t line = 1;
  for (size_t i = 0; i < alen && i < blen && a[i] == b[i]; i++)
    if (a[i] == '\n') line++;
  return line;
}

int rc_evidence_check(const char *dir, const struct rc_vkey *anchor,
                      const char *expect_station,
                      struct rc_evidence_result *res) {
  memset(res, 0, sizeof *res);
  int ent = check_entries(dir, res);
  if (ent < 0) return RC_ERR_IO;
  if (ent == 0) return RC_OK;
  uint8_t *buf[3] = {0};
  size_t len[3] = {0};
  int nomem = 0, have_m = 0;
  struct rc_manifest m;
  struct rc_sheet *s = malloc(2 * sizeof *s);
  if (!s) return RC_ERR_NOMEM;
  const uint64_t caps[3] = {RC_MANIFEST_MAX, RC_NOTE_MAX, RC_NOTE_MAX};
  for (int i = 0; i < 3; i++)
    if (read_one(dir, want[i], caps[i], &buf[i], &len[i], res, &nomem))
      goto out;
  if (check_manifest_note(buf[0], len[0], anchor, &m, res) != 0) goto out;
  have_m = 1;
  long st[2];
  const uint8_t *text[2];
  size_t tlen[2];
  for (int i = 0; i < 2; i++)
    if (check_sheet_note(want[i + 1], buf[i + 1], len[i + 1], &m, &st[i],
                         &text[i], &tlen[i], &s[i], res) != 0)
      goto out;
  const struct rc_station *rs = &m.stations[st[0]];
  if (st[0] != st[1]) {
    refuse(res,
           "a.note is a sheet of station %s, b.note of station %s: "
           "not one station",
           rs->id, m.stations[st[1]].id);
    goto out;
  }
  snprintf(res->station, sizeof res->station, "%s", rs->id);
  snprintf(res->district, sizeof res->district, "%s",
           m.districts[rs->district].id);
  key_str(&rs->key, res->key, sizeof res->key);
  if (expect_station && strcmp(expect_station, rs->id) != 0) {
    char e[96];
    esc(e, sizeof e, expect_station);
    refuse(res, "the sheets are of station %s, not of %s", rs->id, e);
    goto out;
  }
  if (tlen[0] == tlen[1] && memcmp(text[0], text[1], tlen[0]) == 0) {
    refuse(res, "a.note and b.note hold the same sheet text: no "
                "equivocation");
    goto out;
  }
  res->differ_line = first_diff_line(text[0], tlen[0], text[1], tlen[1]);
  res->proved = 1;
out:
  if (have_m) rc_manifest_free(&m);
  for (int i = 0; i < 3; i++) free(buf[i]);
  free(s);
  return nomem ? RC_ERR_NOMEM : RC_OK;
}
