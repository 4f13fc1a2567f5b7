/* cmd_witness.h — `recount-sign witness`: a witness cosigns a record's
 * checkpoint (C2SP tlog-cosignature/v1, RECORD.md §3) only after it has
 * verified the whole record with the engine and checked that the
 * checkpoint extends the last one it cosigned for the same origin.
 *
 * The state file is the witness's memory: the checkpoint notes it last
 * cosigned, one per origin, concatenated (framed like a sheets file:
 * checkpoint texts hold no empty line), in bytewise origin order. It is
 * rewritten atomically, BEFORE checkpoint.note, so that a crash in
 * between can only make the witness stricter, never let it cosign a
 * checkpoint that does not extend one it has already cosigned. */
#ifndef RC_CMD_WITNESS_H
#define RC_CMD_WITNESS_H
#include "commit.h"
#include "record.h"
#include "skey.h"

#define RC_WITNESS_STATE_MAX (64u << 20)

struct rc_witness_outcome {
  struct rc_record_report rep; /* the check the cosignature rests on */
  int list_findings;           /* refused for rep's error findings */
  char why[4352];              /* the sentence to show when not RC_DONE */
  int already;                 /* RC_DONE: a valid cosignature by this key
                                  was there; nothing was written */
  int first;                   /* RC_DONE: no earlier checkpoint of this
                                  origin in the state */
  uint64_t prev_size;          /* the earlier one's size (when !first) */
  char origin[RC_ORIGIN_MAX + 1];
  uint64_t size, time; /* the checkpoint cosigned, and T */
};

/* Cosigns record/checkpoint.note with key (a cosignature key, type 0x04)
 * at time now, after checking the record against anchor (threads 0 = all
 * CPUs). res must be freed with rc_witness_outcome_free. */
RC_WUR enum rc_outcome rc_witness_cosign(const char *record,
                                         const struct rc_vkey *anchor,
                                         const struct rc_skey *key,
                                         const char *state_path, uint64_t now,
                                         unsigned threads,
                                         struct rc_witness_outcome *res);
void rc_witness_outcome_free(struct rc_witness_outcome *res);
#endif
