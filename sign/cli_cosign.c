/* cli_cosign.c — `recount-sign cosign`: a witness adds its signature line
 * to a signed note: a single note, or with --station the sheet of one
 * station inside a file of many sheets (a district's file under sheets/).
 *
 * The file is framed as RECORD.md §4 frames a sheets file; the new line
 * goes after the last signature line of the chosen note and every other
 * byte of the file stays as it was. The file is replaced atomically,
 * keeping its mode, and only if nobody changed it since it was read.
 * Choices made where the brief was silent:
 *   - a file that cannot be framed to its end is refused (it is not
 *     rewritten, even if the station's sheet comes before the damage);
 *   - two notes for the station in the file (an equivocation, or the same
 *     sheet twice) are refused, naming their lines: the witness must see
 *     which sheet it signs;
 *   - the chosen note must be a text `sign` accepts (a sheet that
 *     balances), and must not carry a line by the witness's key already;
 *   - with --manifest (optional), the sheet must fit the manifest and be
 *     validly signed by its station's registered key, and the key must be
 *     a manifest witness: a witness attests what its station signed. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "fileio.h"
#include "note.h"
#include "read.h"
#include "signing.h"
#include "texts.h"

#define CMD "cosign"

const char rc_cli_cosign_usage[] =
    "cosign --key K FILE [--station S] [--manifest MANIFEST.note "
    "[--anchor COMMISSION_VKEY]] [--out OUT]";
const char rc_cli_cosign_help[] =
    "Adds the key's signature line to a signed note (a witness's\n"
    "co-signature). With --station, co-signs the sheet of station S in a\n"
    "file of many sheets; every other byte of the file stays the same.\n"
    "Replaces FILE atomically (keeping its mode), or writes OUT.\n"
    "--manifest also refuses a sheet that does not fit the manifest or is\n"
    "not validly signed by its station's key, and a key that is not one\n"
    "of the manifest's witnesses; --anchor checks the manifest's signature.";

static size_t line_of(const uint8_t *t, size_t off) {
  size_t line = 1;
  for (size_t i = 0; i < off; i++)
    if (t[i] == '\n') line++;
  return line;
}

/* The station id a note's text names, or "" when it is not a sheet. */
static void station_of(const struct rc_note *n, char out[RC_ID_MAX + 1]) {
  static const char kw[] = "recount count-sheet v1\n";
  out[0] = 0;
  if (n->textlen < sizeof kw || memcmp(n->text, kw, sizeof kw - 1)) return;
  struct rc_sheet *s = malloc(sizeof *s);
  if (!s) return;
  if (rc_parse_sheet(n->text, n->textlen, s, NULL) == RC_OK)
    memcpy(out, s->station, RC_ID_MAX + 1);
  free(s);
}

struct target {
  size_t notes, matches;
  size_t off, end; /* the chosen note: bytes [off, end) */
  size_t lines[2]; /* first two matches, for the message */
};

/* Frames buf into notes and finds the one to co-sign. Returns 0, or the
 * exit status after printing why not. */
static int find_target(const char *name, const uint8_t *buf, size_t len,
                       const char *station, struct rc_note *n,
                       struct target *t) {
  struct rc_error err;
  char st[RC_ID_MAX + 1];
  memset(t, 0, sizeof *t);
  /* one note of any size (a manifest): the whole file, when its text has
   * no empty line (record texts have none; a file of many notes has) */
  if (!station && rc_note_parse(buf, len, n, &err) == RC_OK &&
      !memmem(n->text, n->textlen, "\n\n", 2)) {
    t->notes = t->matches = 1;
    t->end = len;
    return 0;
  }
  for (size_t off = 0; off < len;) {
    size_t used = 0;
    if (rc_note_next(buf + off, len - off, &used, n, &err) != RC_OK) {
      /* the line the error names, or where the note starts when that
       * line is past the end of the file (a note cut short) */
      size_t base = line_of(buf, off);
      size_t at = base + (err.line ? err.line - 1 : 0);
      size_t last = line_of(buf, len) - (len && buf[len - 1] == '\n');
      return rc_cli_refuse(CMD,
                           "%s: line %zu: the file cannot be read as "
                           "signed notes: %s; nothing written",
                           name, at > last ? base : at, err.msg);
    }
    t->notes++;
    int hit = !station;
    if (station) {
      station_of(n, st);
      hit = !strcmp(st, station);
    }
    if (hit) {
      if (t->matches < 2) t->lines[t->matches] = line_of(buf, off);
      t->matches++;
      t->off = off;
      t->end = off + used;
    }
    off += used;
  }
  if (t->notes == 0) return rc_cli_refuse(CMD, "%s: the file is empty", name);
  if (!station && t->notes > 1)
    return rc_cli_refuse(CMD,
                         "%s holds %zu signed notes: name the sheet to "
                         "co-sign with --station S",
                         name, t->notes);
  if (station && t->matches == 0)
    return rc_cli_refuse(CMD,
                         "%s: no sheet of station %s among its %zu "
                         "notes",
                         name, station, t->notes);
  if (t->matches > 1)
    return rc_cli_refuse(CMD,
                         "%s holds %zu sheets of station %s (lines %zu "
                         "and %zu): co-sign only a sheet you can tell "
                         "apart",
                         name, t->matches, station, t->lines[0], t->lines[1]);
  /* parse the chosen note again: n holds the last one framed */
  if (rc_note_next(buf + t->off, t->end - t->off, &(size_t){0}, n, &err) !=
      RC_OK)
    return rc_cli_fail(CMD, "%s: %s", name, err.msg);
  return 0;
}

/* With --manifest: the note is a sheet of a registered station, fits
 * the manifest, and is validly signed by the station's registered key.
 * Returns 0, or 1 after printing why not. */
static int check_sheet(const char *name, const struct rc_note *n,
                       const struct rc_manifest *m) {
  struct rc_sheet *s = malloc(sizeof *s);
  int bad = 1;
  if (!s) return rc_cli_fail(CMD, "out of memory");
  if (rc_parse_sheet(n->text, n->textlen, s, NULL) != RC_OK) {
    rc_cli_refuse(CMD,
                  "%s: with --manifest, the note must be a count "
                  "sheet",
                  name);
    goto out;
  }
  long si = rc_manifest_station(m, s->station, strlen(s->station));
  if (si < 0) {
    rc_cli_refuse(CMD, "%s: station %s is not in the manifest", name,
                  s->station);
    goto out;
  }
  const struct rc_station *st = &m->stations[si];
  if (strcmp(s->election, m->election) ||
      strcmp(s->district, m->districts[st->district].id) ||
      s->registered != st->registered) {
    rc_cli_refuse(CMD,
                  "%s: the sheet of station %s does not fit the "
                  "manifest (election %s, district %s, registered "
                  "%llu)",
                  name, s->station, m->election, m->districts[st->district].id,
                  (unsigned long long)st->registered);
    goto out;
  }
  if (!rc_note_signed_by(n, &st->key, RC_CRYPTO_BOTH)) {
    rc_cli_refuse(CMD,
                  "%s: the sheet of station %s is not validly signed "
                  "by its registered key %.*s+%02x%02x%02x%02x: a "
                  "witness co-signs only a sheet its station signed",
                  name, s->station, (int)st->key.namelen, st->key.name,
                  st->key.id[0], st->key.id[1], st->key.id[2], st->key.id[3]);
    goto out;
  }
  bad = 0;
out:
  free(s);
  return bad;
}

/* With --manifest: the co-signing key is one of its witnesses. */
static int check_witness(const struct rc_manifest *m, const struct rc_skey *k) {
  for (size_t i = 0; i < m->nwitnesses; i++) {
    const struct rc_vkey *w = &m->witnesses[i];
    if (w->namelen == k->namelen && !memcmp(w->name, k->name, k->namelen) &&
        !memcmp(w->id, k->id, 4) && !memcmp(w->pk, k->pk, 32))
      return 0;
  }
  return rc_cli_refuse(CMD,
                       "the key %s+%02x%02x%02x%02x is not a witness of "
                       "the manifest: verifiers would ignore its line",
                       k->name, k->id[0], k->id[1], k->id[2], k->id[3]);
}

int rc_cli_cosign(int argc, char **argv) {
  const char *keyp = NULL, *file = NULL, *out = NULL, *passfile = NULL,
             *station = NULL, *mpath = NULL, *anchor = NULL;
  struct rc_manifest m;
  int have_m = 0;
  for (int i = 0; i < argc; i++) {
    if (!strcmp(argv[i], "--key") && i + 1 < argc) keyp = argv[++i];
    else if (!strcmp(argv[i], "--out") && i + 1 < argc) out = argv[++i];
    else if (!strcmp(argv[i], "--station") && i + 1 < argc) station = argv[++i];
    else if (!strcmp(argv[i], "--manifest") && i + 1 < argc) mpath = argv[++i];
    else if (!strcmp(argv[i], "--anchor") && i + 1 < argc) anchor = argv[++i];
    else if (!strcmp(argv[i], "--passphrase-file") && i + 1 < argc)
      passfile = argv[++i];
    else if (argv[i][0] != '-' && !file) file = argv[i];
    else return rc_cli_usage(CMD, rc_cli_cosign_usage, argv[i]);
  }
  if (!keyp || !file)
    return rc_cli_usage(CMD, rc_cli_cosign_usage,
                        "--key and FILE are required");
  if (station && !rc_id_valid(station, strlen(station)))
    return rc_cli_usage(CMD, rc_cli_cosign_usage,
                        "--station: not a valid station id");
  if (anchor && !mpath)
    return rc_cli_fail(CMD, "--anchor checks the --manifest: give both");
  char name[512];
  rc_cli_name(file, name, sizeof name);
  uint8_t *buf = NULL;
  size_t len = 0;
  struct rc_error err;
  struct stat before, after;
  if (lstat(file, &before) != 0)
    return rc_cli_fail(CMD, "%s: cannot open: %s", name, strerror(errno));
  if (rc_read_file(file, RC_SHEETS_FILE_MAX, &buf, &len, &err) != RC_OK)
    return rc_cli_fail(CMD, "%s", err.msg);
  int status = 2;
  struct rc_skey *k = NULL;
  struct rc_buf b = {0};
  struct rc_note *n = malloc(sizeof *n);
  struct target t;
  struct rc_text_kind kind;
  if (!n) {
    status = rc_cli_fail(CMD, "out of memory");
    goto out;
  }
  if (lstat(file, &after) != 0 || before.st_ino != after.st_ino ||
      before.st_size != after.st_size ||
      before.st_mtim.tv_sec != after.st_mtim.tv_sec ||
      before.st_mtim.tv_nsec != after.st_mtim.tv_nsec) {
    status = rc_cli_fail(CMD, "%s changed while it was read", name);
    goto out;
  }
  if (rc_text_bom_crlf(buf, len, &kind.err) != RC_OK) {
    kind.what = "";
    rc_text_refusal(CMD, file, &kind);
    status = 1;
    goto out;
  }
  if ((status = find_target(name, buf, len, station, n, &t)) != 0) goto out;
  status = 1;
  if (rc_text_check(n->text, n->textlen, &kind) != RC_OK) {
    /* lines of the note's text, counted from the start of the file */
    kind.err.line += kind.err.line ? line_of(buf, t.off) - 1 : 0;
    rc_text_refusal(CMD, file, &kind);
    goto out;
  }
  if (mpath) {
    if ((status = rc_cli_read_manifest(CMD, mpath, anchor, &m)) != 0) goto out;
    have_m = 1;
    if ((status = check_sheet(name, n, &m)) != 0) goto out;
    status = 1;
  }
  if (n->nsigs >= RC_NOTE_MAX_SIGS) {
    status = rc_cli_refuse(CMD,
                           "%s: the note at line %zu already has %d "
                           "signature lines",
                           name, line_of(buf, t.off), RC_NOTE_MAX_SIGS);
    goto out;
  }
  if (!(k = rc_cli_load_signer(CMD, keyp, passfile, 0, &status))) goto out;
  if (have_m && (status = check_witness(&m, k)) != 0) goto out;
  struct rc_vkey v;
  rc_skey_vkey(k, &v);
  for (size_t i = 0; i < n->nsigs; i++)
    if (n->sigs[i].namelen == v.namelen &&
        !memcmp(n->sigs[i].name, v.name, v.namelen) &&
        !memcmp(n->sigs[i].keyid, v.id, 4)) {
      status = rc_cli_refuse(CMD,
                             "%s: the note at line %zu already carries "
                             "a signature by %s",
                             name, line_of(buf, t.off), k->name);
      goto out;
    }
  status = 2;
  rc_buf_put(&b, buf, t.end);
  if (rc_note_sigline(&v, k->sk, n->text, n->textlen, &b) != RC_OK) {
    status = rc_cli_fail(CMD, "signing failed");
    goto out;
  }
  rc_buf_put(&b, buf + t.end, len - t.end);
  if (b.oom) {
    status = rc_cli_fail(CMD, "out of memory");
    goto out;
  }
  if (out) status = rc_cli_emit(CMD, out, &b, 0);
  else if (rc_rewrite_atomic(file, b.p, b.len, &before, &err) != RC_OK)
    status = rc_cli_fail(CMD, "%s", err.msg);
  else status = 0;
out:
  if (have_m) rc_manifest_free(&m);
  rc_skey_free(k);
  rc_buf_free(&b);
  free(n);
  free(buf);
  return status;
}
