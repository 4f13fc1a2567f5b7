/* receipt_check.c — what an observer who photographed one sheet runs:
 * the sheet's signature by its station's registered key (from the signed
 * manifest), its inclusion in the district tree, the district record's
 * inclusion in the election tree, and the commission's checkpoint. */
#include "receipt_check.h"

#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "merkle.h"
#include "note.h"
#include "record.h"
#include "texts.h"

struct rstate {
  FILE *out;
  int failed;
};

static void step(struct rstate *st, int ok, const char *what,
                 const char *detail) {
  fprintf(st->out, "  %s %s%s%s\n", ok ? "✓" : "✗", what, detail ? ": " : "",
          detail ? detail : "");
  if (!ok) st->failed = 1;
}

static int anchor_note(const uint8_t *p, size_t n, const struct rc_vkey *a,
                       enum rc_crypto_mode mode, struct rc_note *note) {
  struct rc_error err;
  struct rc_note_check res;
  int ks = 0;
  if (rc_note_parse(p, n, note, &err) != RC_OK) return -1;
  return rc_note_verify(note, a, 1, mode, &res, &ks) == RC_OK ? 0 : -1;
}

int rc_receipt_check(const uint8_t *buf, size_t len,
                     const struct rc_vkey *anchor, enum rc_crypto_mode mode,
                     FILE *out) {
  struct rstate st = {out, 0};
  struct rc_receipt *r = malloc(sizeof *r);
  struct rc_manifest m = {0};
  struct rc_sheet *s = malloc(sizeof *s);
  struct rc_district_rec *d = malloc(sizeof *d);
  int have_m = 0;
  struct rc_error err;
  char msg[512];
  if (!r || !s || !d) {
    fprintf(out, "out of memory\n");
    st.failed = 1;
    goto out;
  }
  if (rc_parse_receipt(buf, len, r, &err) != RC_OK) {
    snprintf(msg, sizeof msg, "line %zu: %s", err.line, err.msg);
    step(&st, 0, "receipt format", msg);
    goto out;
  }
  fprintf(out, "receipt for station %s (district %s)\n", r->station,
          r->district);
  /* checkpoint */
  struct rc_note cn, mn, sn;
  struct rc_checkpoint cp;
  int cp_ok = anchor_note(r->checkpoint, r->checkpoint_len, anchor, mode,
                          &cn) == 0;
  step(&st, cp_ok, "checkpoint signed by the anchor key", NULL);
  if (!cp_ok) goto out;
  if (rc_parse_checkpoint(cn.text, cn.textlen, &cp, &err) != RC_OK) {
    step(&st, 0, "checkpoint text", err.msg);
    goto out;
  }
  /* manifest */
  int m_ok = anchor_note(r->manifest, r->manifest_len, anchor, mode, &mn) == 0;
  step(&st, m_ok, "manifest signed by the anchor key", NULL);
  if (!m_ok) goto out;
  uint8_t mh[32];
  rc_sha256(mn.text, mn.textlen, mh);
  step(&st, !CRYPTO_memcmp(mh, cp.manifest_hash, 32),
       "manifest is the one named by the checkpoint", NULL);
  if (rc_parse_manifest(mn.text, mn.textlen, &m, &err) != RC_OK) {
    snprintf(msg, sizeof msg, "line %zu: %s", err.line, err.msg);
    step(&st, 0, "manifest format", msg);
    goto out;
  }
  have_m = 1;
  step(&st, !strcmp(cp.origin, m.origin) && cp.size == m.ndistricts &&
                r->record_size == cp.size,
       "checkpoint origin and size match the manifest", NULL);
  /* district record in the election tree */
  if (rc_parse_district(r->record, r->record_len, d, &err) != RC_OK) {
    step(&st, 0, "district record format", err.msg);
    goto out;
  }
  rc_hash leaf;
  rc_merkle_leaf_hash(r->record, r->record_len, leaf);
  int inc = rc_merkle_verify_inclusion(r->record_index, r->record_size, leaf,
                                       (const rc_hash *)r->record_proof,
                                       r->record_plen, cp.root) == RC_OK;
  step(&st, inc && !strcmp(d->district, r->district) &&
                !strcmp(d->election, m.election),
       "district record is in the election tree of the checkpoint", NULL);
  /* sheet */
  if (rc_note_parse(r->sheet, r->sheet_len, &sn, &err) != RC_OK ||
      rc_parse_sheet(sn.text, sn.textlen, s, &err) != RC_OK) {
    step(&st, 0, "count sheet format", err.msg);
    goto out;
  }
  long si = rc_manifest_station(&m, r->station, strlen(r->station));
  if (si < 0 || strcmp(s->station, r->station) != 0) {
    step(&st, 0, "station is registered in the manifest", r->station);
    goto out;
  }
  const struct rc_station *sta = &m.stations[si];
  int sig = rc_pubkey_check(sta->key.pk) == RC_KEY_GOOD &&
            rc_note_signed_by(&sn, &sta->key, mode);
  step(&st, sig, "sheet signed by the station's registered key", NULL);
  rc_merkle_leaf_hash(sn.text, sn.textlen, leaf);
  inc = rc_merkle_verify_inclusion(r->sheet_index, r->sheet_size, leaf,
                                   (const rc_hash *)r->sheet_proof,
                                   r->sheet_plen, d->root) == RC_OK &&
        r->sheet_size == d->sheets;
  step(&st, inc, "sheet is in the district tree of the district record",
       NULL);
  int ar = rc_sheet_arith(s, &err) == RC_OK;
  int consistent = ar && !strcmp(s->election, m.election) &&
                   !strcmp(s->district, m.districts[sta->district].id) &&
                   !strcmp(s->district, r->district) &&
                   s->registered == sta->registered &&
                   s->ballots <= s->registered && s->nvotes == m.nchoices;
  for (size_t c = 0; consistent && c < s->nvotes; c++)
    consistent = !strcmp(s->votes[c].choice, m.choices[c].id);
  step(&st, consistent,
       "sheet agrees with the manifest and its figures balance", NULL);
  fprintf(out, "station %s figures: registered %llu, ballots %llu, invalid "
               "%llu, blank %llu, excluded %llu",
          s->station, (unsigned long long)s->registered,
          (unsigned long long)s->ballots, (unsigned long long)s->invalid,
          (unsigned long long)s->blank, (unsigned long long)s->excluded);
  for (size_t c = 0; c < s->nvotes; c++)
    fprintf(out, ", %s %llu", s->votes[c].choice,
            (unsigned long long)s->votes[c].count);
  fputc('\n', out);
out:
  fprintf(out, "%s\n", st.failed ? "RECEIPT NOT VERIFIED" : "RECEIPT VERIFIED");
  if (have_m) rc_manifest_free(&m);
  free(r);
  free(s);
  free(d);
  return st.failed ? 1 : 0;
}
