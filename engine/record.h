/* record.h — checking a whole election record directory (RECORD.md §4–5).
 *
 * rc_record_check reads RECORD, checks everything it can and collects
 * every finding; it never stops at the first one. Totals are recomputed
 * only from count sheets that passed every check. The engine never writes
 * inside RECORD and reads no secret key. recount-sign's `commit` uses the
 * same engine (phase "sheets only") to build the district records.
 * HACKING.md maps each phase to its file under engine/. */
#ifndef RC_RECORD_H
#define RC_RECORD_H
#include "cosig.h"
#include "ed25519.h"
#include "keys.h"
#include "merkle.h"
#include "rc.h"
#include "read.h"
#include "texts.h"

/* Finding codes of RECORD.md §5, in the table's order (engine/findings.def
 * holds the table: code, severity, the file that raises it, meaning). */
enum rc_code {
#define FINDING(code, sev, file, meaning) RC_F_##code,
#include "findings.def"
#undef FINDING
  RC_F__COUNT
};
enum rc_severity { RC_SEV_ERROR = 0, RC_SEV_WARNING, RC_SEV_INFO };

const char *rc_code_str(enum rc_code c); /* "SHEET_FORMAT" ... */
enum rc_severity rc_code_severity(enum rc_code c);
const char *rc_severity_str(enum rc_severity s); /* "error" ... */
const char *rc_code_meaning(enum rc_code c);     /* the table's meaning */

struct rc_finding {
  enum rc_code code;
  char *district; /* NULL when none */
  char *station;  /* NULL when none */
  char *file;     /* path relative to RECORD, NULL when none */
  size_t line;    /* 1-based line in file, 0 when none */
  char *message;
};

/* Figures recomputed from sheets. overflow is set when any sum would
 * exceed 64 bits, changed when a counted sheet's file changed while the
 * record was checked (a SHEET_FORMAT finding); either way the figures are
 * not meaningful and no published figure reconciles with them. */
struct rc_totals {
  uint64_t registered, ballots, invalid, blank, excluded, valid;
  uint64_t votes[RC_MAX_CHOICES];
  uint64_t sheets_counted;
  int overflow;
  int changed;
};

struct rc_district_result {
  uint64_t stations; /* stations of the district in the manifest */
  uint64_t sheets;   /* distinct parseable sheet texts naming it */
  rc_hash root;      /* recomputed district tree root */
  struct rc_totals totals;
  rc_hash *leaves;     /* only with opts.keep_leaves: sheets entries */
  rc_hash *leaf_sha;   /* SHA-256 of each leaf's text (keep_leaves) */
  char **leaf_station; /* station id of each leaf (keep_leaves) */
};

/* One reconciled published figure. */
struct rc_fig_result {
  struct rc_figure fig; /* as published */
  uint64_t num, den;    /* recomputed value (count: num; percent: num/den) */
  int ok;               /* 1 reconciles, 0 does not */
};

/* RECORD.md v1.1 §6 completeness (engine/completeness.c). "Counted" is a
 * registered station with a sheet that passed every check; the others
 * have no parseable sheet at all (without_sheet) or only sheets that were
 * rejected. R = registered_uncounted = Σ manifest registered over the
 * stations not counted. The leader is the choice with most valid votes
 * over the counted sheets (ties: ballot order); margin = votes(leader) -
 * votes(runner_up) (votes(leader) with one choice). outcome_can_change:
 * R > 0 and some other choice c has votes(c) + R >= votes(leader) (then
 * OUTCOME_NOT_DETERMINED, except in a sheets-only run). */
struct rc_completeness {
  uint64_t stations, counted, without_sheet, rejected;
  uint64_t registered_uncounted;
  long leader;    /* manifest choice index, -1 when nothing to lead */
  long runner_up; /* -1 when there is one choice only */
  uint64_t margin;
  int outcome_can_change;
};

/* What became of one registered station (rep->station_status). */
enum rc_station_status {
  RC_STATION_COUNTED = 1, /* a sheet passed every check and is counted */
  RC_STATION_MISSING = 2, /* no parseable sheet names the station */
  RC_STATION_REJECTED = 3 /* sheets, none counted (see the findings) */
};

#define RC_CLAIMS_KEPT 20

/* The verdict of RECORD.md v1.1 §6 (rc_record_verdict). */
enum rc_verdict {
  RC_VERDICT_RECONCILED,   /* no error, published.note all reconciles */
  RC_VERDICT_VERIFIED,     /* no error, nothing published to reconcile */
  RC_VERDICT_DISCREPANCIES /* at least one error finding */
};

/* (v1.1) An earlier checkpoint note (--previous): its bytes and the name
 * findings give it ("previous:checkpoint.note"). */
struct rc_previous {
  const char *name;
  const uint8_t *buf;
  size_t len;
};

/* (v1.1, sigcache.c) Signatures already verified, shared by the checks
 * that are given it (diff checks OLD, then NEW, with one). Not shared
 * between checks running at the same time. */
struct rc_sigcache;
struct rc_sigcache *rc_sigcache_new(void);
void rc_sigcache_free(struct rc_sigcache *c);
/* What the check has done so far (opts.progress, after each batch). */
struct rc_progress {
  uint64_t files_done, files_total; /* files under sheets/ */
  uint64_t notes_done;              /* signed notes checked */
};

/* With opts.station: one note found for that station (station_look.c),
 * in file order. */
struct rc_station_note {
  char *file; /* relative to RECORD */
  uint32_t file_index;
  size_t line;  /* 1-based line of the note in file */
  uint64_t off; /* byte offset of the note in file */
  size_t notelen, textlen;
  rc_hash leaf;
  long district;       /* district named by the sheet, or -1 */
  int sigvalid;        /* validly signed by the station's key */
  int textok;          /* passed every rule other than the signature */
  int counted;         /* this note's text is the one counted */
  int changed;         /* the file changed while it was checked */
  size_t duplicate_of; /* 1-based index of an earlier note with the
                          same text, 0 when none */
};

struct rc_record_opts {
  const struct rc_vkey *anchor; /* the commission verifier key */
  enum rc_crypto_mode mode;
  unsigned threads; /* 0 = number of online CPUs */
  int sheets_only;  /* stop after the sheets (for commit) */
  int keep_leaves;  /* keep per-district leaf hashes */
  /* keep per station the figures of its counted sheet, or those claimed
   * by its first parseable sheet in bytewise order (rc_station_figures;
   * at most (5 + choices) * 2 bytes per station when every figure is
   * below 65,536: for the CSV and HTML reports) */
  int keep_station_figures;
  const struct rc_previous *previous; /* --previous checkpoints */
  size_t nprevious;
  struct rc_sigcache *sigcache; /* NULL: verify every signature */
  /* for tests: called on the checking thread after each batch of notes
   * is read and checked, before its results are folded (a test changes
   * a file here to see that the engine notices) */
  void (*before_fold)(void *ctx);
  void *before_fold_ctx;
  /* called on the checking thread after each batch (may be NULL) */
  void (*progress)(void *ctx, const struct rc_progress *p);
  void *progress_ctx;
  /* a station id: keep every note found for it (rep->look) */
  const char *station;
  /* --witness keys (cosig.h; the observer's choice, never the record's),
   * the valid cosignatures required (--quorum; at most nwitnesses), and
   * the verifier's clock for cosignature times (seconds since the epoch;
   * the caller reads it, so that tests can fix it) */
  const struct rc_vkey *witnesses;
  size_t nwitnesses, quorum;
  uint64_t now;
  /* v1.1 §6: observers' own copies (--observed DIR, engine/observed.c)
   * and, with keep_evidence, the two notes of each equivocating station */
  const char *const *observed;
  size_t nobserved;
  int keep_evidence;
};

struct rc_record_report {
  int fatal;        /* 1: could not run (exit 2) */
  int not_a_record; /* fatal: neither manifest.note nor
                       sheets/ (fatal_msg has the hint) */
  char fatal_msg[2048];
  int have_manifest; /* manifest parsed (maybe unsigned) */
  struct rc_manifest manifest;
  uint8_t manifest_text_hash[32];
  struct rc_finding *findings;
  size_t nfindings, findings_cap;
  size_t nerrors, nwarnings;
  struct rc_totals totals;
  struct rc_district_result *districts; /* manifest.ndistricts entries */
  char **files;  /* only with opts.keep_leaves: the files */
  size_t nfiles; /* read under sheets/, relative, in order */
  /* what was checked */
  uint64_t files_read, notes_framed, sheets_parsed, signatures_checked;
  uint64_t stations_missing;
  int have_published;
  struct rc_fig_result *figs;
  size_t nfigs;
  enum rc_crypto_mode mode;
  /* v1.1 §6 (engine/completeness.c; with a usable manifest) */
  struct rc_completeness completeness;
  /* the figures claimed by the first parseable sheet (bytewise order of
   * the texts) of each registered station not counted */
  struct rc_totals uncounted;
  struct rc_totals *district_uncounted; /* the same per manifest district */
  uint8_t *station_status; /* per manifest station: enum rc_station_status */
  /* the claims of the first RC_CLAIMS_KEPT rejected stations (manifest
   * order) that have a parseable sheet: station index and figures as in
   * station_figs (for the human report, whatever the options) */
  size_t nclaims;
  size_t claim_station[RC_CLAIMS_KEPT];
  uint64_t claim_figs[RC_CLAIMS_KEPT][5 + RC_MAX_CHOICES];
  /* with opts.keep_station_figures: per station RC_STATION_FIGS(m) values
   * (registered, ballots, invalid, blank, excluded, votes in ballot
   * order), each column k in station_figs_width[k] bytes (1, 2, 4 or 8:
   * the fewest that hold every value of it kept, so that a million
   * stations of two choices take about 10 MB, not 56), station_figs_stride
   * bytes per station, and whether they are known; read them with
   * rc_station_figures */
  uint8_t *station_figs;
  uint8_t station_figs_width[5 + RC_MAX_CHOICES];
  size_t station_figs_stride;
  uint8_t *station_figs_known;

  /* (v1.1) the release log, log.txt (engine/release.c): have_log when it
   * parsed; log_size its entries; log_root the RFC 9162 root over the
   * sheet texts in log order, when every entry is a sheet of the record
   * (have_log_root). With opts.keep_leaves, log_leaves holds the leaf
   * hashes in log order (log_size of them) when have_log_root. */
  int have_log, have_log_root;
  uint64_t log_size;
  rc_hash log_root;
  rc_hash *log_leaves;
  /* the checkpoint text, when it parsed (signed or not) */
  int have_checkpoint;
  struct rc_checkpoint checkpoint;
  /* with opts.station */
  struct rc_station_note *look;
  size_t nlook, look_cap;
  long look_station; /* manifest index, -1 when not in it */
  int look_equivocated;
  /* one per opts.witnesses key, in the order given (engine/witnesses.c);
   * witness_keys borrows opts.witnesses */
  struct rc_witness_result *witnesses;
  const struct rc_vkey *witness_keys;
  size_t nwitnesses, quorum, cosigned;
  /* with opts.nobserved or opts.keep_evidence (engine/observed.h) */
  struct rc_observed_report *observed;
};

/* Values per station in rep->station_figs. */
#define RC_STATION_FIGS(m) (5 + (m)->nchoices)
/* Fills out (RC_STATION_FIGS values) with the figures of station i (see
 * station_figs) and returns 1, or returns 0 when they are not kept or not
 * known (a station without a parseable sheet). */
int rc_station_figures(const struct rc_record_report *rep, size_t i,
                       uint64_t out[5 + RC_MAX_CHOICES]);
/* Sets leader, runner_up, margin and outcome_can_change of c from the
 * counted votes (nchoices of them) and c->registered_uncounted. */
void rc_outcome_bound(struct rc_completeness *c, const uint64_t *votes,
                      size_t nchoices);
/* The verdict of RECORD.md v1.1 §6 for a report that ran. */
enum rc_verdict rc_record_verdict(const struct rc_record_report *rep);
const char *rc_verdict_str(enum rc_verdict v); /* "reconciled" ... */

/* Checks the record at root. Returns RC_OK when it ran (see
 * rep->nerrors), or RC_ERR_IO (unreadable root) or RC_ERR_NOMEM when it
 * could not run (then rep->fatal is set and rep->fatal_msg says why). rep
 * must be freed with rc_record_report_free. */
RC_WUR int rc_record_check(const char *root, const struct rc_record_opts *o,
                           struct rc_record_report *rep);

/* The error findings of rep other than OUTCOME_NOT_DETERMINED: what
 * refuses a record to a witness or to `prove`. An undetermined outcome is
 * no defect of the record (a release made on polling night leaves stations
 * uncounted by design); the log and its sheets are what they vouch for. */
size_t rc_record_defects(const struct rc_record_report *rep);
void rc_record_report_free(struct rc_record_report *rep);

/* (v1.1, release.c) The station lines of OLD's manifest against NEW's
 * (the manifest of rep, a finished check of NEW): stations added in NEW,
 * and removed or changed (district, registered or key), each of the
 * latter a RELEASE_MANIFEST_CHANGED finding appended to rep (file
 * manifest.note, the station named). Fills the index lists (malloc'd:
 * added into NEW's stations, removed and changed into OLD's; free with
 * rc_manifest_diff_free). Returns RC_OK or RC_ERR_NOMEM. */
struct rc_manifest_diff {
  size_t *added, nadded;
  size_t *removed, nremoved;
  size_t *changed, nchanged;
};
RC_WUR int rc_release_manifest_diff(const struct rc_manifest *old,
                                    struct rc_record_report *rep,
                                    struct rc_manifest_diff *out);
void rc_manifest_diff_free(struct rc_manifest_diff *d);

/* (v1.1, release.c) Does checkpoint b extend checkpoint a? Same origin,
 * b->size >= a->size, and proof (plen hashes) is an RFC 9162 consistency
 * proof from a's root to b's. An empty a (size 0, root H("")) is extended
 * by every b of its origin with an empty proof (C2SP tlog-witness).
 * Returns RC_OK, RC_ERR_USAGE (another origin), RC_ERR_ORDER (b smaller
 * than a) or RC_ERR_PROOF. The signatures are the caller's to check. A
 * witness calls this before cosigning b (RECORD.md v1.1 §3). */
RC_WUR int rc_checkpoint_extends(const struct rc_checkpoint *a,
                                 const struct rc_checkpoint *b,
                                 const rc_hash *proof, size_t plen);

/* Appends the canonical district record text for district index d of the
 * checked record (election id, counts and root from the recomputation). */
RC_WUR int rc_record_encode_district(const struct rc_record_report *rep,
                                     size_t d, struct rc_buf *b);

#endif
