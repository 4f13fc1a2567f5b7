/* receipt_check.h — offline check of one station's receipt: what an
 * observer who photographed one sheet runs. The result lists each check
 * with its outcome; the command line prints it (cli/report.h). */
#ifndef RC_RECEIPT_CHECK_H
#define RC_RECEIPT_CHECK_H
#include "ed25519.h"
#include "keys.h"
#include "receipt.h"
#include "texts.h"

/* The checks of a receipt, in the order they are made. */
enum rc_receipt_step {
  RC_RS_FORMAT = 0,         /* the receipt parses */
  RC_RS_CHECKPOINT_SIGNED,  /* checkpoint signed by the anchor key */
  RC_RS_CHECKPOINT_TEXT,    /* the checkpoint text parses */
  RC_RS_MANIFEST_SIGNED,    /* manifest signed by the anchor key */
  RC_RS_MANIFEST_NAMED,     /* its hash is the checkpoint's */
  RC_RS_MANIFEST_FORMAT,    /* the manifest text parses */
  RC_RS_CHECKPOINT_MATCHES, /* checkpoint origin and size match */
  RC_RS_RECORD_FORMAT,      /* the district record parses */
  RC_RS_RECORD_INCLUDED,    /* district record in the election tree */
  RC_RS_SHEET_FORMAT,       /* the count sheet parses */
  RC_RS_STATION_REGISTERED, /* the station is in the manifest */
  RC_RS_SHEET_SIGNED,       /* by the station's registered key */
  RC_RS_SHEET_INCLUDED,     /* sheet in the district tree */
  RC_RS_SHEET_CONSISTENT,   /* sheet rules against the manifest */
  RC_RS__COUNT
};

/* What a check is, as the report names it ("checkpoint signed by ..."). */
const char *rc_receipt_step_str(enum rc_receipt_step s);

struct rc_receipt_check_step {
  enum rc_receipt_step step;
  int ok;
  char detail[512]; /* "" or why it failed */
};

struct rc_receipt_result {
  int parsed; /* the receipt parsed: station, district */
  char station[RC_ID_MAX + 1];
  char district[RC_ID_MAX + 1];
  struct rc_receipt_check_step steps[RC_RS__COUNT]; /* the checks made */
  size_t nsteps;
  int have_sheet; /* every check ran: sheet holds its figures */
  struct rc_sheet sheet;
  int verified; /* every check made passed */
};

/* Checks receipt bytes against the anchor, filling *res (every check made,
 * in order; a failed check that later ones depend on ends the list; a
 * passed RC_RS_FORMAT is not listed). Returns RC_OK when the checks ran
 * (see res->verified) or RC_ERR_NOMEM. */
RC_WUR int rc_receipt_check(const uint8_t *buf, size_t len,
                            const struct rc_vkey *anchor,
                            enum rc_crypto_mode mode,
                            struct rc_receipt_result *res);
#endif
