/* receipt_check.h — offline check of one station's receipt, a C2SP
 * tlog-proof@v1 file (RECORD.md §5, formats/tlogproof.h): what a party
 * agent who kept a station's sheet, or a journalist with a photograph of
 * it, runs. The result lists each check with its outcome; the command
 * line prints it (cli/report_receipt.c).
 *
 * Without the manifest the receipt proves that exactly this sheet text is
 * in the release log the commission signed; with the anchor-signed
 * manifest it also proves that the station's registered key signed it and
 * that it follows the sheet rules. */
#ifndef RC_RECEIPT_CHECK_H
#define RC_RECEIPT_CHECK_H
#include "cosig.h"
#include "ed25519.h"
#include "keys.h"
#include "texts.h"
#include "tlogproof.h"

/* The checks of a receipt, in the order they are made. */
enum rc_receipt_step {
  RC_RS_FORMAT = 0,         /* a tlog-proof carrying the sheet (extra) */
  RC_RS_CHECKPOINT_SIGNED,  /* checkpoint signed by the anchor key */
  RC_RS_CHECKPOINT_TEXT,    /* the checkpoint text parses */
  RC_RS_ORIGIN,             /* --origin: the checkpoint's origin is it */
  RC_RS_SHEET_FORMAT,       /* extra: one signed note, a count sheet */
  RC_RS_SHEET_INCLUDED,     /* the sheet text is entry index of the log */
  RC_RS_MANIFEST_SIGNED,    /* --manifest: signed by the anchor key */
  RC_RS_MANIFEST_NAMED,     /* its hash is the checkpoint's */
  RC_RS_MANIFEST_FORMAT,    /* the manifest text parses */
  RC_RS_CHECKPOINT_MATCHES, /* checkpoint origin, districts: manifest's */
  RC_RS_STATION_REGISTERED, /* the sheet's station is in the manifest */
  RC_RS_SHEET_SIGNED,       /* by the station's registered key */
  RC_RS_SHEET_CONSISTENT,   /* sheet rules against the manifest */
  RC_RS_QUORUM,             /* --witness: enough valid cosignatures */
  RC_RS__COUNT
};

/* What a check is, as the report names it ("checkpoint signed by ..."). */
const char *rc_receipt_step_str(enum rc_receipt_step s);
/* Its stable name for automation ("sheet_included"). */
const char *rc_receipt_step_id(enum rc_receipt_step s);

struct rc_receipt_check_step {
  enum rc_receipt_step step;
  int ok;
  char detail[512]; /* "" or why it failed */
};

struct rc_receipt_opts {
  const struct rc_vkey *anchor; /* the commission's key */
  enum rc_crypto_mode mode;
  const char *origin; /* the log's origin the receipt must be of, or NULL */
  /* the record's manifest.note (anchor-signed), or NULL: the station's
   * signature and the sheet rules are then not checked, and said so */
  const uint8_t *manifest;
  size_t manifest_len;
  /* witness cosignature keys (cosig.h), the valid cosignatures required
   * (at most nwitnesses), and the clock for cosignature times */
  const struct rc_vkey *witnesses;
  size_t nwitnesses, quorum;
  uint64_t now;
};

struct rc_receipt_result {
  int parsed; /* the tlog-proof parsed: index, log_size below */
  uint64_t index;
  int have_checkpoint; /* checkpoint signed and parsed: origin, log */
  char origin[RC_ORIGIN_MAX + 1];
  uint64_t log_size;
  rc_hash log_root;
  int have_station; /* the sheet parsed: election, station, district */
  char election[RC_ID_MAX + 1];
  char station[RC_ID_MAX + 1];
  char district[RC_ID_MAX + 1];
  struct rc_receipt_check_step steps[RC_RS__COUNT]; /* the checks made */
  size_t nsteps;
  int station_checked; /* a manifest was given (its checks are listed) */
  int origin_checked;  /* --origin or the manifest pinned the origin */
  int have_sheet;      /* the sheet is in the log: sheet holds its figures */
  struct rc_sheet sheet;
  /* one per opts.witnesses key, in the order given; witness_keys
   * borrows opts.witnesses */
  struct rc_witness_result witnesses[RC_MAX_WITNESSES];
  const struct rc_vkey *witness_keys;
  size_t nwitnesses, quorum, cosigned;
  int verified; /* every check made passed */
};

/* Checks tlog-proof bytes buf[0..len) as RECORD.md §5 says, filling *res
 * (every check made, in order; a failed check that later ones depend on
 * ends the list; a passed RC_RS_FORMAT is not listed). Returns RC_OK when
 * the checks ran (see res->verified), RC_ERR_USAGE (no anchor, more
 * witnesses than RC_MAX_WITNESSES or a quorum above them) or
 * RC_ERR_NOMEM. */
RC_WUR int rc_receipt_check(const uint8_t *buf, size_t len,
                            const struct rc_receipt_opts *o,
                            struct rc_receipt_result *res);
#endif
