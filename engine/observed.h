/* observed.h — observers' own copies of sheets (`--observed DIR`) and
 * portable equivocation evidence (RECORD.md v1.1 §6).
 *
 * The record check compares each observed sheet with the record
 * (engine/observed.c) and, when asked, keeps the two signed notes of each
 * equivocating station so that the CLI can write them out as evidence.
 * rc_evidence_check (engine/evidence_check.c) proves an equivocation from
 * such an evidence directory alone. Nothing here prints. */
#ifndef RC_OBSERVED_H
#define RC_OBSERVED_H
#include "ed25519.h"
#include "keys.h"
#include "rc.h"

#define RC_OBSERVED_FILES_MAX 100000 /* files under one --observed DIR */

/* What one observed sheet (one framed note, or one file that gave none)
 * was found to be. */
enum rc_observed_status {
  RC_OBS_MATCHED = 0, /* the station's text in the record, validly signed */
  RC_OBS_MISMATCHED,  /* validly signed, another text: SHEET_EQUIVOCATION */
  RC_OBS_WITHHELD,    /* validly signed, no sheet of it in the record */
  RC_OBS_INVALID      /* not validly signed, unknown station, unreadable */
};

struct rc_observed_sheet {
  enum rc_observed_status status;
  char *file;   /* "observed:<path relative to DIR>" */
  size_t line;  /* line of the note in its file, 0 when none */
  long station; /* manifest station index, -1 when none */
};

/* The two signed notes of one equivocating station (exact bytes, a < b
 * bytewise). */
struct rc_evidence {
  long station; /* manifest station index */
  uint8_t *a, *b;
  size_t alen, blen;
};

struct rc_observed_report {
  int given; /* at least one --observed DIR */
  uint64_t sheets, matched, mismatched, withheld, invalid;
  struct rc_observed_sheet *v; /* every observed sheet, in reading order */
  size_t n, cap;
  struct rc_evidence *evidence;   /* with opts.keep_evidence: one per */
  size_t nevidence, evidence_cap; /* equivocating station, manifest order */
  /* with evidence: the exact bytes of manifest.note, read again and found
   * signed by the anchor with the text the record was checked against;
   * NULL when it is not (manifest_why says why) */
  uint8_t *manifest;
  size_t manifest_len;
  char manifest_why[256];
};

void rc_observed_report_free(struct rc_observed_report *o);

/* ---- evidence_check.c ---- */
/* The files of an evidence directory, exactly these. */
#define RC_EVIDENCE_FILES "manifest.note, a.note and b.note"

struct rc_evidence_result {
  int proved;                    /* the files prove the equivocation */
  char station[RC_ID_MAX + 1];   /* when the sheets named one */
  char district[RC_ID_MAX + 1];  /* the station's manifest district */
  char key[RC_KEYNAME_MAX + 16]; /* "<name>+<key id hex>" of its key */
  size_t differ_line;            /* first line where the texts differ */
  char why[768];                 /* not proved: why, naming the file */
};

/* Checks the evidence directory dir against the anchor key: manifest.note
 * signed by the anchor, a.note and b.note each one signed note whose text
 * parses as a count sheet of the manifest's election for one registered
 * station, both naming the same station, both validly signed by that
 * station's registered key under both libraries, and different texts.
 * The directory must hold exactly those three regular files. When
 * expect_station is not NULL the sheets must be of that station. Returns
 * RC_OK when the check ran (res->proved), RC_ERR_IO when dir cannot be
 * opened or read (res->why says why), RC_ERR_NOMEM. */
RC_WUR int rc_evidence_check(const char *dir, const struct rc_vkey *anchor,
                             const char *expect_station,
                             struct rc_evidence_result *res);
#endif
