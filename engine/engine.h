/* engine.h — what the files of the record engine share (not installed;
 * the public interface is record.h). The data flow, stage by stage:
 *
 *   manifest_check.c  manifest.note: anchor signature, format, keys
 *   read.c            sheets/ walked in bytewise path order, files read
 *   frame.c           each file cut into signed notes, batched as jobs
 *   pool.c            worker threads run sheet_check.c on each job, then
 *                     the results are folded in file order (stations.c)
 *   stations.c        per station: duplicates, equivocation, missing
 *   tally.c           counted sheets summed per district, then election
 *   trees.c           district trees in (station, text) order
 *   commitments.c     districts.txt and the checkpoint
 *   release.c         (v1.1) log.txt, the log tree, --previous checkpoints
 *   reconcile.c       published.note against the recount
 *   record.c          the driver: runs the stages in this order
 *
 * Memory: sheet texts are not kept; per distinct sheet text we keep its
 * leaf hash and where it is (file, offset, length), and we re-read a text
 * only in the rare cases that need its bytes again (equivocation, several
 * texts for one station in a tree); a re-read text must hash to the leaf
 * it had when first read. */
#ifndef RC_ENGINE_H
#define RC_ENGINE_H
#include <stdatomic.h>

/* SIGLINE_IGNORED findings given one by one for the signature lines past
 * the RC_NOTE_MAX_SIGS-th of one note (RECORD.md 1: each such line is one
 * warning); past this many, one more finding counts the rest, so a note
 * with millions of appended lines cannot fill memory with findings. */
#define RC_EXTRA_SIGLINES_REPORTED 1000

#include "note.h"
#include "record.h"

/* ---- findings.c: growable list of findings ---- */
struct findings {
  struct rc_finding *v;
  size_t n, cap;
  int oom; /* an allocation failed: the check cannot complete */
};

/* Appends a finding (strings are copied; NULL for none). */
__attribute__((format(printf, 7, 8))) void
findings_add(struct findings *fs, enum rc_code code, const char *district,
             const char *station, const char *file, size_t line,
             const char *fmt, ...);
/* Moves every finding of src to the end of dst; src is left empty. */
void findings_move(struct findings *dst, struct findings *src);
void finding_free(struct rc_finding *f);
char *engine_strdup(const char *s);

/* ---- the figures of one sheet ---- */
struct counts {
  uint64_t registered, ballots, invalid, blank, excluded;
  uint64_t votes[RC_MAX_CHOICES];
};

/* One framed note, checked by a worker (sheet_check.c). */
struct job {
  /* input */
  const uint8_t *note;
  size_t notelen;
  uint32_t file;
  uint64_t off; /* offset of the note in its file */
  size_t line;  /* 1-based line of the note in its file */
  /* output */
  int parsed;    /* the sheet text parsed */
  long station;  /* manifest station index or -1 (also set for a text
                    that names a station but does not parse) */
  long district; /* manifest district index named by the sheet, or -1 */
  int sigvalid;  /* valid signature by the station's registered key */
  int textok;    /* every check other than the signature passed */
  uint32_t textlen;
  rc_hash leaf;
  rc_hash sha;       /* SHA-256 of the text: its release-log hash */
  rc_hash sigkey;    /* with a signature cache: this note's key in it */
  uint32_t sig_n;    /* signatures verified, to remember */
  uint8_t sig_store; /* a clean verification to remember in the fold */
  char station_id[RC_ID_MAX + 1];
  uint64_t sigs_checked;
  struct counts c;
  struct findings found;
};

/* One distinct parseable sheet text. Kept small: a million of these must
 * fit with the manifest in the memory budget (files are at most 1 GiB,
 * so offsets fit in 32 bits). */
struct text_entry {
  rc_hash leaf;
  rc_hash sha; /* SHA-256 of the text, as log.txt names it */
  uint32_t off;
  uint32_t file;
  uint32_t len;
  int32_t district; /* district named by the text, -1 if unknown */
  uint8_t sigvalid, textok, counted;
  uint8_t changed; /* a re-read found other bytes (reported) */
};

/* The texts of a station past its first (few stations have any). */
struct text_more {
  uint32_t cap;    /* entries v can hold */
  uint32_t nvalid; /* distinct texts validly signed by the station */
  uint32_t *index; /* leaf-hash index of all the entries when many */
  struct text_entry v[];
};

/* The texts seen for one station. One per manifest station: a million of
 * these must fit beside the manifest, so the rare parts are in more. */
struct station_texts {
  struct text_entry first; /* first.file is where the first text is */
  uint32_t n;              /* number of entries incl. first */
  uint32_t firstline;
  uint8_t equivocated;
  uint8_t unparsed;       /* a sheet naming this station did not parse:
                             the station has a rejected sheet, not none */
  struct text_more *more; /* entries 1 .. n-1, NULL when none */
};

/* A station not in the manifest. */
struct unknown_station {
  struct station_texts texts;
  char *id; /* owned */
};

struct stations {
  struct station_texts *known;     /* one per manifest station */
  struct unknown_station *unknown; /* stations not in the manifest */
  size_t nunknown, capunknown;
  size_t *unknown_index; /* open addressing over unknown ids */
  size_t unknown_index_cap;
  struct rc_totals *district_totals; /* per manifest district */
};

struct engine {
  const struct rc_record_opts *o;
  struct rc_record_report *rep;
  const struct rc_manifest *m; /* NULL if no usable manifest */
  uint8_t *station_weak;       /* per station: key is weak */
  char **files;                /* relative paths under the record */
  size_t nfiles;
  const char *root;
  int rootfd;
  struct stations st;
  struct findings found;
  /* the batch being checked */
  struct job *jobs;
  size_t njobs, jobcap;
  atomic_size_t next;
  rc_hash sig_context; /* sigcache.c: mode and the manifest's witnesses */
  uint64_t notes_done; /* jobs folded so far (progress) */
};

/* ---- the stages, in order ---- */
void check_manifest(struct engine *eng); /* manifest_check.c */
void read_sheets(struct engine *eng);    /* frame.c */
void run_batch(struct engine *eng);      /* pool.c */
void check_job(struct engine *eng, struct job *j, struct rc_sheet *s);
void fold_job(struct engine *eng, struct job *j); /* stations.c */
void check_stations(struct engine *eng);
void build_trees(struct engine *eng); /* trees.c */
void sum_totals(struct engine *eng);  /* tally.c */
void check_districts(struct engine *eng, rc_hash election_root,
                     int *have_root); /* commitments.c */
void check_checkpoint(struct engine *eng, const rc_hash election_root,
                      int have_root);
void check_release(struct engine *eng); /* release.c */
/* release_fast.c: checks a log that is right in one pass, setting
 * have_log, log_size, log_root and have_log_root; 0 (nothing changed)
 * when the log is anything else, for check_release to check it whole */
int release_fast(struct engine *eng);
void reconcile_published(struct engine *eng); /* reconcile.c */
void check_witnesses(struct engine *eng);     /* witnesses.c */
/* completeness.c: station status, uncounted figures, R and the outcome
 * bound (OUTCOME_NOT_DETERMINED unless sheets_only) */
void check_completeness(struct engine *eng);
/* completeness.c: with keep_station_figures, keeps the counted figures */
void keep_counted_figures(struct engine *eng, long station,
                          const struct counts *c);
void check_observed(struct engine *eng); /* observed.c */

/* ---- read.c ---- */
/* Collects the regular files under sheets/ (recursively, without following
 * links) in *files, relative to the record; special entries, unreadable
 * directories and excess are findings. */
void walk_sheets(struct engine *eng);
/* The same walk of any directory: the regular files under rootfd, paths
 * relative to it, bytewise order, at most max_files (special entries,
 * depth and excess are findings of code naming prefix + path; top names
 * the directory in messages). */
void walk_files(struct findings *found, int rootfd, enum rc_code code,
                const char *prefix, const char *top, size_t max_files,
                char ***files, size_t *nfiles);
/* Re-reads the text of entry e and checks it against e's leaf hash.
 * Returns the malloc'd bytes, or NULL when the file can no longer be read
 * or its bytes changed since the first read: then e->changed is set and
 * the first time a SHEET_FORMAT finding names the file (and the station
 * and district of the text). */
uint8_t *reread_text(struct engine *eng, struct text_entry *e,
                     const char *station);

/* ---- anchor_note.c ---- */
/* Reads name under the record and verifies it as a note signed by the
 * anchor key (see anchor_note.c for what is reported). */
int read_anchor_note(struct engine *eng, const char *name, enum rc_code sigcode,
                     uint8_t **buf, const uint8_t **text, size_t *tlen,
                     uint64_t cap, int *present);

/* ---- sigcache.c ---- */
void sigcache_prepare(struct engine *eng);
void sigcache_key(const struct engine *eng, const struct job *j,
                  const struct rc_vkey *k, int weak, rc_hash out);
int sigcache_find(const struct rc_sigcache *c, const rc_hash key,
                  uint32_t *checked);
void sigcache_put(struct rc_sigcache *c, const rc_hash key, uint32_t checked);
/* ---- station_look.c ---- */
void station_look_job(struct engine *eng, const struct job *j);
void station_look_finish(struct engine *eng);
long rep_station_index(const struct engine *eng);
void engine_progress(struct engine *eng, uint64_t notes_done);

/* ---- tally.c ---- */
int sat_add(uint64_t *acc, uint64_t v);
void tally_add(struct rc_totals *t, const struct counts *c, size_t nchoices);
void tally_sub(struct rc_totals *t, const struct counts *c, size_t nchoices);

/* ---- stations.c ---- */
struct text_entry *station_text(struct station_texts *s, uint32_t i);
/* The distinct texts of s validly signed by the station (in s->more when
 * it has several, else whether its one text is). */
uint32_t station_nvalid(const struct station_texts *s);
/* The entry of sl whose text has this leaf hash, or NULL. */
struct text_entry *find_text(struct station_texts *sl, const rc_hash leaf);
void stations_free(struct stations *st, size_t nknown);
#endif
