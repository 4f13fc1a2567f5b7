/* anchor_note.c — reading a note the commission signs with the anchor key
 * (manifest.note, checkpoint.note, published.note). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "engine.h"
#include "read.h"

/* Reads name under the record and verifies it as a note signed by the
 * anchor. Returns 0 when the signature verifies, 1 when the note was read
 * but its signature is missing or bad, -1 when it cannot be read or is not
 * a signed note (or, with present non-NULL, is absent: then *present is 0
 * and nothing is reported). *text and *tlen are the note text (pointing
 * into *buf, which the caller frees) whenever the note parsed, NULL
 * otherwise. A missing or bad signature is reported under sigcode. */
int read_anchor_note(struct engine *eng, const char *name,
                     enum rc_code sigcode, uint8_t **buf,
                     const uint8_t **text, size_t *tlen, uint64_t cap,
                     int *present) {
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
    findings_add(fs, sigcode, NULL, NULL, name, 0, "cannot read: %s",
                 err.msg);
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
  struct rc_note_check res;
  int ks = 0;
  int r = rc_note_verify(&n, eng->o->anchor, 1, eng->o->mode, &res, &ks);
  if (ks == -2)
    findings_add(fs, RC_F_CRYPTO_DISAGREEMENT, NULL, NULL, name, 0,
                 "libsodium and OpenSSL disagree on the commission's "
                 "signature");
  if (r != RC_OK) {
    findings_add(fs, sigcode, NULL, NULL, name, 0, "%s",
                 ks == 0 ? "no signature by the anchor key"
                         : "the signature by the anchor key does not verify");
    return 1;
  }
  return 0;
}
