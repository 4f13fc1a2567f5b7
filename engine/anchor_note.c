/* anchor_note.c — reading a note the commission signs with the anchor key
 * (manifest.note, checkpoint.note, published.note). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "engine.h"
#include "text.h"
#include "read.h"

/* The signature-line rule (RECORD.md §1) for a note by the anchor: each
 * ignored line is a SIGLINE_IGNORED warning; a disagreement of the two
 * libraries is CRYPTO_DISAGREEMENT. Returns 0 when a line by the anchor
 * verifies, else 1 (reported under sigcode). */
static int judge_anchor_note(struct engine *eng, const char *name,
                             enum rc_code sigcode, const struct rc_note *n) {
  struct findings *fs = &eng->found;
  struct rc_line_verdict v[RC_NOTE_MAX_SIGS];
  struct rc_keyset ks = {eng->o->anchor, 1, NULL, 0, 0};
  rc_note_judge(n, &ks, eng->o->mode, v, NULL);
  int valid = 0, line_by_anchor = 0, disagree = 0;
  for (size_t i = 0; i < n->nsigs; i++) {
    const struct rc_sigline *sl = &n->sigs[i];
    switch ((enum rc_line_fate)v[i].fate) {
    case RC_LINE_VALID: valid = 1; break;
    case RC_LINE_DISAGREE: disagree = 1; break;
    case RC_LINE_MALFORMED:
      findings_add(fs, RC_F_SIGLINE_IGNORED, NULL, NULL, name, sl->line,
                   "signature line ignored: %s",
                   rc_sigline_bad_str((enum rc_sigline_bad)sl->bad));
      break;
    case RC_LINE_LENGTH:
      findings_add(fs, RC_F_SIGLINE_IGNORED, NULL, NULL, name, sl->line,
                   "signature line by the anchor key ignored: %zu decoded "
                   "bytes, an Ed25519 note signature has 68",
                   sl->siglen + 4);
      break;
    case RC_LINE_REDUNDANT:
      findings_add(fs, RC_F_SIGLINE_IGNORED, NULL, NULL, name, sl->line,
                   "signature line by the anchor key ignored: it does not "
                   "verify, another line by that key does");
      break;
    default: break;
    }
    if (v[i].fate != RC_LINE_UNKNOWN && v[i].fate != RC_LINE_MALFORMED)
      line_by_anchor = 1;
  }
  /* lines past the RC_NOTE_MAX_SIGS-th: one finding each (consecutive
   * lines), the first RC_EXTRA_SIGLINES_REPORTED, then one for the rest */
  for (size_t k = 0; k < n->nextra; k++) {
    if (k == RC_EXTRA_SIGLINES_REPORTED) {
      char nb[32];
      findings_add(fs, RC_F_SIGLINE_IGNORED, NULL, NULL, name,
                   n->extra_line + k,
                   "this and %s more signature lines after the first %d "
                   "not read",
                   rc_fmt_count(nb, n->nextra - k - 1), RC_NOTE_MAX_SIGS);
      break;
    }
    findings_add(fs, RC_F_SIGLINE_IGNORED, NULL, NULL, name, n->extra_line + k,
                 "signature line after the first %d not read",
                 RC_NOTE_MAX_SIGS);
  }
  if (disagree)
    findings_add(fs, RC_F_CRYPTO_DISAGREEMENT, NULL, NULL, name, 0,
                 "libsodium and OpenSSL disagree on the commission's "
                 "signature");
  if (valid) return 0;
  findings_add(fs, sigcode, NULL, NULL, name, 0, "%s",
               !line_by_anchor ? "no signature by the anchor key"
                               : "the signature by the anchor key does not "
                                 "verify");
  return 1;
}

/* Reads name under the record and verifies it as a note signed by the
 * anchor. Returns 0 when the signature verifies, 1 when the note was read
 * but its signature is missing or bad, -1 when it cannot be read or is not
 * a signed note (or, with present non-NULL, is absent: then *present is 0
 * and nothing is reported). *text and *tlen are the note text (pointing
 * into *buf, which the caller frees) whenever the note parsed, NULL
 * otherwise. A missing or bad signature is reported under sigcode. */
int read_anchor_note(struct engine *eng, const char *name, enum rc_code sigcode,
                     uint8_t **buf, const uint8_t **text, size_t *tlen,
                     uint64_t cap, int *present) {
  struct findings *fs = &eng->found;
  char path[4096];
  struct rc_error err;
  size_t len;
  *buf = NULL;
  *text = NULL;
  *tlen = 0;
  if (present) *present = 1;
  snprintf(path, sizeof path, "%s/%s", eng->root, name);
  if (present) {
    struct stat st;
    if (lstat(path, &st) != 0 && errno == ENOENT) {
      *present = 0;
      return -1;
    }
  }
  if (rc_read_file_as(path, name, cap, buf, &len, &err) != RC_OK) {
    findings_add(fs, sigcode, NULL, NULL, name, 0, "cannot read: %s", err.msg);
    return -1;
  }
  struct rc_note n;
  if (rc_note_parse(*buf, len, &n, &err) != RC_OK) {
    findings_add(fs, sigcode, NULL, NULL, name, err.line,
                 "not a signed note: %s", err.msg);
    return -1;
  }
  *text = n.text;
  *tlen = n.textlen;
  return judge_anchor_note(eng, name, sigcode, &n);
}
