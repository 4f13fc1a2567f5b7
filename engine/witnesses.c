/* witnesses.c — the checkpoint's witness cosignatures (RECORD.md §3, §6):
 * each --witness key is cosigned (with its time), absent or invalid; an
 * invalid cosignature is CHECKPOINT_COSIGNATURE (a warning: anyone can
 * append a line), fewer valid ones than --quorum is CHECKPOINT_QUORUM.
 * The cosigned bytes are the checkpoint note text as it is in the file,
 * whether or not the anchor's signature on it verifies (that is
 * CHECKPOINT_SIGNATURE, in commitments.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "text.h"
#include "read.h"

#define CP "checkpoint.note"

static const char *why_str(enum rc_cosig_fail f) {
  switch (f) {
  case RC_CF_LENGTH: return "wrong length";
  case RC_CF_FUTURE: return "time in the future";
  case RC_CF_DISAGREE: return "libsodium and OpenSSL disagree";
  default: return "the signature does not verify";
  }
}

static void report_failed(struct engine *eng, const struct rc_vkey *k,
                          const struct rc_witness_result *r) {
  char detail[160];
  if (r->fail == RC_CF_LENGTH)
    snprintf(detail, sizeof detail, "%zu bytes, a cosignature has %d",
             r->fail_len, RC_COSIG_RAW);
  else if (r->fail == RC_CF_FUTURE)
    snprintf(detail, sizeof detail,
             "time %llu is more than %d seconds after this verifier's "
             "clock (%llu)",
             (unsigned long long)r->fail_time, RC_COSIG_FUTURE_MAX,
             (unsigned long long)eng->o->now);
  else
    snprintf(detail, sizeof detail, "time %llu",
             (unsigned long long)r->fail_time);
  char more[64] = "", nb[32];
  if (r->nfailed > 1)
    snprintf(more, sizeof more, " (and %s more failing line%s)",
             rc_fmt_count(nb, r->nfailed - 1), r->nfailed == 2 ? "" : "s");
  findings_add(
      &eng->found, RC_F_CHECKPOINT_COSIGNATURE, NULL, NULL, CP, r->fail_line,
      "the cosignature by witness %.*s+%02x%02x%02x%02x is "
      "invalid: %s (%s)%s%s",
      (int)k->namelen, k->name, k->id[0], k->id[1], k->id[2], k->id[3],
      why_str(r->fail), detail, more,
      r->status == RC_W_COSIGNED ? "; another line by the same witness verifies"
                                 : "");
}

void check_witnesses(struct engine *eng) {
  const struct rc_record_opts *o = eng->o;
  struct rc_record_report *rep = eng->rep;
  if (!o->nwitnesses) return;
  rep->witnesses = calloc(o->nwitnesses, sizeof *rep->witnesses);
  if (!rep->witnesses) {
    eng->found.oom = 1;
    return;
  }
  rep->witness_keys = o->witnesses;
  rep->nwitnesses = o->nwitnesses;
  rep->quorum = o->quorum;
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", eng->root, CP);
  uint8_t *buf = NULL;
  size_t len = 0;
  struct rc_error err;
  /* an unreadable or unsplittable checkpoint is CHECKPOINT_SIGNATURE
   * already: every witness is then absent */
  if (rc_read_file_as(path, CP, RC_SMALL_TEXT_MAX, &buf, &len, &err) == RC_OK) {
    int rc = rc_cosig_check_note(buf, len, o->witnesses, o->nwitnesses, o->now,
                                 o->mode, rep->witnesses, &err);
    if (rc == RC_ERR_NOMEM) eng->found.oom = 1;
    if (rc != RC_OK)
      memset(rep->witnesses, 0, o->nwitnesses * sizeof *rep->witnesses);
  }
  free(buf);
  for (size_t i = 0; i < o->nwitnesses; i++) {
    const struct rc_witness_result *r = &rep->witnesses[i];
    if (r->nfailed) report_failed(eng, &o->witnesses[i], r);
    if (r->status == RC_W_COSIGNED) rep->cosigned++;
  }
  char na[32], nb[32], nq[32];
  if (rep->cosigned < o->quorum)
    findings_add(&eng->found, RC_F_CHECKPOINT_QUORUM, NULL, NULL, CP, 0,
                 "%s of the %s witnesses given cosigned the checkpoint "
                 "validly; the quorum is %s",
                 rc_fmt_count(na, rep->cosigned),
                 rc_fmt_count(nb, o->nwitnesses), rc_fmt_count(nq, o->quorum));
}
