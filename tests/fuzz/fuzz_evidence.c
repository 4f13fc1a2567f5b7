/* fuzz_evidence.c — `recount-verify evidence` (rc_evidence_check,
 * engine/evidence_check.c) on evidence directories built from the input.
 *
 * Input, a sequence of sections (the forms of fuzz_record.c):
 *
 *   %%% NAME raw        the body is written to DIR/NAME as it is
 *   %%% NAME sign       the body is one note text, signed: leading lines
 *                       "@KEY" (at most 4) choose the signers, none means
 *                       the commission key; "@KEY" elsewhere becomes the
 *                       verifier key encoding of key KEY (so a manifest
 *                       can register station keys the harness holds)
 *   %%% NAME link       DIR/NAME is a symbolic link to the body's first line
 *   %%% NAME fifo       DIR/NAME is a FIFO
 *   %%% NAME dir        DIR/NAME is a directory
 *
 * NAME is one component of [a-z0-9._-], not "." or "..". Keys are derived
 * from a fixed seed; at most 64 key names and 64 signature lines per
 * input.
 *
 * Invariants: rc_evidence_check returns RC_OK or RC_ERR_NOMEM (the
 * directory always opens); a refusal says why; the result is the same
 * when checked twice; a proof means the directory holds exactly the three
 * regular files, a.note and b.note differ, and the station named is one
 * of the manifest's (re-read here independently). Set TMPDIR to a tmpfs;
 * FUZZ_EVIDENCE_SHOW=1 prints each result on stderr. */
#define _XOPEN_SOURCE 700
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz_common.h"
#include "hash.h"
#include "keys.h"
#include "note.h"
#include "observed.h"
#include "read.h"
#include "signing.h"
#include "skey.h"
#include "texts.h"

#define MAX_SECTIONS 16

#include "fuzz_notes.h"

static void init(void) {
  if (commission) return;
  fuzz_notes_init("e"); /* root: the evidence directory */
}

/* One component of [a-z0-9._-], not "." or "..": fills full. */
static int make_name(const uint8_t *p, size_t n, char *full, size_t cap) {
  if (n == 0 || n > 64) return -1;
  for (size_t i = 0; i < n; i++) {
    uint8_t c = p[i];
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
          c == '_' || c == '-'))
      return -1;
  }
  if ((n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
    return -1;
  int w = snprintf(full, cap, "%s/%.*s", root, (int)n, (const char *)p);
  return w < 0 || (size_t)w >= cap ? -1 : 0;
}

static void write_file(const char *path, const struct rc_buf *b) {
  /* O_NONBLOCK: a FIFO an earlier section made must not block the harness */
  int fd =
      open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_NONBLOCK, 0644);
  if (fd < 0) return;
  size_t off = 0;
  while (off < b->len) {
    ssize_t w = write(fd, b->p + off, b->len - off);
    if (w <= 0) break;
    off += (size_t)w;
  }
  close(fd);
}

/* What a proof implies, checked without the code under test's reading. */
static void check_proof(const struct rc_evidence_result *res) {
  size_t n = 0;
  DIR *d = opendir(root);
  FUZZ_CHECK(d != NULL);
  struct dirent *de;
  while ((de = readdir(d)) != NULL) {
    if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue;
    struct stat st;
    FUZZ_CHECK(fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0);
    FUZZ_CHECK(S_ISREG(st.st_mode));
    FUZZ_CHECK(!strcmp(de->d_name, "manifest.note") ||
               !strcmp(de->d_name, "a.note") || !strcmp(de->d_name, "b.note"));
    n++;
  }
  closedir(d);
  FUZZ_CHECK(n == 3);
  uint8_t *a = NULL, *b = NULL;
  size_t alen = 0, blen = 0;
  char pa[128], pb[128];
  struct rc_error err;
  snprintf(pa, sizeof pa, "%s/a.note", root);
  snprintf(pb, sizeof pb, "%s/b.note", root);
  FUZZ_CHECK(rc_read_file(pa, RC_NOTE_MAX, &a, &alen, &err) == RC_OK);
  FUZZ_CHECK(rc_read_file(pb, RC_NOTE_MAX, &b, &blen, &err) == RC_OK);
  struct rc_note na, nb;
  FUZZ_CHECK(rc_note_parse(a, alen, &na, &err) == RC_OK);
  FUZZ_CHECK(rc_note_parse(b, blen, &nb, &err) == RC_OK);
  FUZZ_CHECK(na.textlen != nb.textlen ||
             memcmp(na.text, nb.text, na.textlen) != 0);
  struct rc_sheet s;
  FUZZ_CHECK(rc_parse_sheet(na.text, na.textlen, &s, &err) == RC_OK);
  FUZZ_CHECK(!strcmp(s.station, res->station));
  FUZZ_CHECK(rc_parse_sheet(nb.text, nb.textlen, &s, &err) == RC_OK);
  FUZZ_CHECK(!strcmp(s.station, res->station));
  free(a);
  free(b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  init();
  static const char hdr[] = "%%% ";
  if (size < 4 || memcmp(data, hdr, 4) != 0) return 0;
  reset_keys();
  rm_tree(root);
  FUZZ_CHECK(mkdir(root, 0755) == 0);
  size_t pos = 0;
  for (int s = 0; s < MAX_SECTIONS && pos < size; s++) {
    const uint8_t *nl = memchr(data + pos, '\n', size - pos);
    size_t hend = nl ? (size_t)(nl - data) : size;
    size_t bstart = nl ? hend + 1 : size;
    size_t bend = bstart;
    while (bend < size) {
      if (size - bend >= 4 && memcmp(data + bend, hdr, 4) == 0) break;
      const uint8_t *q = memchr(data + bend, '\n', size - bend);
      bend = q ? (size_t)(q - data) + 1 : size;
    }
    const uint8_t *h = data + pos + 4;
    size_t hn = hend - pos - 4;
    const uint8_t *body = data + bstart;
    size_t bn = bend - bstart;
    pos = bend;
    const uint8_t *sp = memchr(h, ' ', hn);
    if (!sp) continue;
    size_t pn = (size_t)(sp - h);
    const uint8_t *mode = sp + 1;
    size_t mn = hn - pn - 1;
    char full[256];
    if (make_name(h, pn, full, sizeof full) != 0) continue;
    struct rc_buf b = {0};
    if (mn == 3 && !memcmp(mode, "raw", 3)) {
      rc_buf_put(&b, body, bn);
    } else if (mn == 4 && !memcmp(mode, "sign", 4)) {
      body_sign(&b, body, bn);
    } else if (mn == 4 && !memcmp(mode, "link", 4)) {
      char target[128];
      size_t tn = 0;
      while (tn < bn && tn + 1 < sizeof target && body[tn] != '\n' &&
             body[tn] != 0) {
        target[tn] = (char)body[tn];
        tn++;
      }
      target[tn] = 0;
      if (tn) (void)!symlink(target, full);
      continue;
    } else if (mn == 4 && !memcmp(mode, "fifo", 4)) {
      (void)!mkfifo(full, 0644);
      continue;
    } else if (mn == 3 && !memcmp(mode, "dir", 3)) {
      (void)!mkdir(full, 0755);
      continue;
    } else {
      continue;
    }
    if (!b.oom) write_file(full, &b);
    rc_buf_free(&b);
  }
  struct rc_evidence_result r1, r2;
  int rc1 = rc_evidence_check(root, &anchor, NULL, &r1);
  FUZZ_CHECK(rc1 == RC_OK || rc1 == RC_ERR_NOMEM);
  if (rc1 != RC_OK) return 0;
  if (getenv("FUZZ_EVIDENCE_SHOW"))
    fprintf(stderr, "%s %s\n", r1.proved ? "proved" : "not proved:", r1.why);
  FUZZ_CHECK(r1.proved || r1.why[0]);
  FUZZ_CHECK(memchr(r1.why, 0, sizeof r1.why) != NULL);
  for (const char *c = r1.why; *c; c++) FUZZ_CHECK((unsigned char)*c >= 0x20);
  int rc2 = rc_evidence_check(root, &anchor, NULL, &r2);
  FUZZ_CHECK(rc2 == RC_OK);
  FUZZ_CHECK(r1.proved == r2.proved && !strcmp(r1.why, r2.why));
  if (r1.proved) {
    check_proof(&r1);
    struct rc_evidence_result r3;
    FUZZ_CHECK(rc_evidence_check(root, &anchor, r1.station, &r3) == RC_OK);
    FUZZ_CHECK(r3.proved);
  }
  return 0;
}
