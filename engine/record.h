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

const char *rc_code_str(enum rc_code c);          /* "SHEET_FORMAT" ... */
enum rc_severity rc_code_severity(enum rc_code c);
const char *rc_severity_str(enum rc_severity s);  /* "error" ... */
const char *rc_code_meaning(enum rc_code c);      /* the table's meaning */

struct rc_finding {
  enum rc_code code;
  char *district;   /* NULL when none */
  char *station;    /* NULL when none */
  char *file;       /* path relative to RECORD, NULL when none */
  size_t line;      /* 1-based line in file, 0 when none */
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
  uint64_t stations;      /* stations of the district in the manifest */
  uint64_t sheets;        /* distinct parseable sheet texts naming it */
  rc_hash root;           /* recomputed district tree root */
  struct rc_totals totals;
  rc_hash *leaves;        /* only with opts.keep_leaves: sheets entries */
  char **leaf_station;    /* station id of each leaf (keep_leaves) */
};

/* One reconciled published figure. */
struct rc_fig_result {
  struct rc_figure fig;   /* as published */
  uint64_t num, den;      /* recomputed value (count: num; percent: num/den) */
  int ok;                 /* 1 reconciles, 0 does not */
};

struct rc_record_opts {
  const struct rc_vkey *anchor;   /* the commission verifier key */
  enum rc_crypto_mode mode;
  unsigned threads;               /* 0 = number of online CPUs */
  int sheets_only;                /* stop after the sheets (for commit) */
  int keep_leaves;                /* keep per-district leaf hashes */
  /* for tests: called on the checking thread after each batch of notes
   * is read and checked, before its results are folded (a test changes
   * a file here to see that the engine notices) */
  void (*before_fold)(void *ctx);
  void *before_fold_ctx;
  /* v1.1 §6: observers' own copies (--observed DIR, engine/observed.c)
   * and, with keep_evidence, the two notes of each equivocating station */
  const char *const *observed;
  size_t nobserved;
  int keep_evidence;
};

struct rc_record_report {
  int fatal;                      /* 1: could not run (exit 2) */
  char fatal_msg[512];
  int have_manifest;              /* manifest parsed (maybe unsigned) */
  struct rc_manifest manifest;
  uint8_t manifest_text_hash[32];
  struct rc_finding *findings;
  size_t nfindings, findings_cap;
  size_t nerrors, nwarnings;
  struct rc_totals totals;
  struct rc_district_result *districts;  /* manifest.ndistricts entries */
  char **files;                   /* only with opts.keep_leaves: the files */
  size_t nfiles;                  /* read under sheets/, relative, in order */
  /* what was checked */
  uint64_t files_read, notes_framed, sheets_parsed, signatures_checked;
  uint64_t stations_missing;
  int have_published;
  struct rc_fig_result *figs;
  size_t nfigs;
  enum rc_crypto_mode mode;
  /* with opts.nobserved or opts.keep_evidence (engine/observed.h) */
  struct rc_observed_report *observed;
};

/* Checks the record at root. Returns RC_OK when it ran (see
 * rep->nerrors), or RC_ERR_IO (unreadable root) or RC_ERR_NOMEM when it
 * could not run (then rep->fatal is set and rep->fatal_msg says why). rep
 * must be freed with rc_record_report_free. */
RC_WUR int rc_record_check(const char *root, const struct rc_record_opts *o,
                           struct rc_record_report *rep);
void rc_record_report_free(struct rc_record_report *rep);

/* Appends the canonical district record text for district index d of the
 * checked record (election id, counts and root from the recomputation). */
RC_WUR int rc_record_encode_district(const struct rc_record_report *rep,
                                     size_t d, struct rc_buf *b);

#endif
