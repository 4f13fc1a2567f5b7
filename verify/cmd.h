/* cmd.h — the commands of recount-verify (each returns the exit status:
 * 0 every check passed, 1 a check failed, 2 could not run). */
#ifndef RC_VERIFY_CMD_H
#define RC_VERIFY_CMD_H
#include <stdio.h>

#include "ed25519.h"
#include "record.h"

#include "record.h"

/* `recount-verify receipt --anchor FILE RECEIPT` */
int rc_receipt_main(int argc, char **argv);

/* (v1.1, previous.c) earlier checkpoints read for --previous. */
struct rc_previous_list {
  struct rc_previous *v;
  uint8_t **bufs;
  char **names;
  size_t n;
};
/* Reads path (at most RC_SMALL_TEXT_MAX bytes) and adds it, named prefix
 * followed by the file's base name. Returns 0, or -1 after saying why on
 * stderr (exit 2: it could not run). */
int rc_previous_add(struct rc_previous_list *pl, const char *path,
                    const char *prefix);
void rc_previous_free(struct rc_previous_list *pl);

/* (v1.1, cmd_diff.c) `recount-verify diff --anchor A [--json] OLD NEW` */
int rc_diff_main(int argc, char **argv);
/* `recount-verify station --anchor FILE RECORD STATION` (cmd_station.c) */
int rc_station_main(int argc, char **argv);
/* "both", "libsodium", "openssl" -> *m; -1 for anything else (main.c) */
int rc_parse_crypto_mode(const char *s, enum rc_crypto_mode *m);

/* progress.c: the progress line of long runs, on stderr. */
struct rc_progress_line {
  FILE *out;
  int tty;      /* rewrite one line (\r) rather than print lines */
  int force;    /* --progress: from the start, even when not a tty */
  double start; /* monotonic seconds */
  double last;  /* when it was last printed */
  int shown;
};
/* Sets up p for stderr; returns 1 when progress is to be shown at all
 * (stderr is a terminal, or force), else 0. */
int rc_progress_init(struct rc_progress_line *p, int force);
/* The engine's callback (struct rc_record_opts.progress). */
void rc_progress_cb(void *ctx, const struct rc_progress *pr);
/* After the run: ends the line (terminal) or prints the last one. */
void rc_progress_done(struct rc_progress_line *p,
                      const struct rc_record_report *rep);

/* `recount-verify evidence --anchor FILE DIR` (cmd_evidence.c) */
int rc_evidence_main(int argc, char **argv);

struct rc_record_report;
/* 0 when dir can be opened as a directory; else says why on stderr
 * (evidence_out.c; an --observed DIR that cannot be read is a usage
 * error, exit 2, never a silently empty observation). */
int rc_observed_dir_usable(const char *dir);
/* `record --evidence DIR` (evidence_out.c): writes DIR/<station>/ for
 * each equivocating station of rep; never inside record, never over an
 * existing file. Returns 0, or -1 after saying why on stderr. */
int rc_evidence_write(const char *dir, const char *record,
                      const struct rc_record_report *rep);
#endif
