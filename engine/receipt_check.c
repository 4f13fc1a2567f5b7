/* receipt_check.c — the checks of one station's receipt: the sheet's
 * signature by its station's registered key (from the signed manifest),
 * the sheet rules (sheet_rules.c, the engine's own), its inclusion in the
 * district tree, the district record's inclusion in the election tree, and
 * the commission's checkpoint. */
#include "receipt_check.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "merkle.h"
#include "note.h"
#include "sheet_rules.h"

static const char *const step_names[RC_RS__COUNT] = {
    [RC_RS_FORMAT] = "receipt format",
    [RC_RS_CHECKPOINT_SIGNED] = "checkpoint signed by the anchor key",
    [RC_RS_CHECKPOINT_TEXT] = "checkpoint text",
    [RC_RS_MANIFEST_SIGNED] = "manifest signed by the anchor key",
    [RC_RS_MANIFEST_NAMED] = "manifest is the one named by the checkpoint",
    [RC_RS_MANIFEST_FORMAT] = "manifest format",
    [RC_RS_CHECKPOINT_MATCHES] =
        "checkpoint origin and size match the manifest",
    [RC_RS_RECORD_FORMAT] = "district record format",
    [RC_RS_RECORD_INCLUDED] =
        "district record is in the election tree of the checkpoint",
    [RC_RS_SHEET_FORMAT] = "count sheet format",
    [RC_RS_STATION_REGISTERED] = "station is registered in the manifest",
    [RC_RS_SHEET_SIGNED] = "sheet signed by the station's registered key",
    [RC_RS_SHEET_INCLUDED] =
        "sheet is in the district tree of the district record",
    [RC_RS_SHEET_CONSISTENT] =
        "sheet agrees with the manifest and its figures balance",
};

const char *rc_receipt_step_str(enum rc_receipt_step s) {
  return (unsigned)s < RC_RS__COUNT ? step_names[s] : "unknown check";
}

/* Records one check; returns ok. */
static int step(struct rc_receipt_result *res, enum rc_receipt_step s, int ok,
                const char *detail) {
  struct rc_receipt_check_step *st = &res->steps[res->nsteps++];
  st->step = s;
  st->ok = ok;
  snprintf(st->detail, sizeof st->detail, "%s", detail ? detail : "");
  if (!ok) res->verified = 0;
  return ok;
}

static int anchor_note(const uint8_t *p, size_t n, const struct rc_vkey *a,
                       enum rc_crypto_mode mode, struct rc_note *note) {
  struct rc_error err;
  struct rc_note_check res;
  int ks = 0;
  if (rc_note_parse(p, n, note, &err) != RC_OK) return -1;
  return rc_note_verify(note, a, 1, mode, &res, &ks) == RC_OK ? 0 : -1;
}

/* What the sheet checks need from the parts checked before them. */
struct receipt_ctx {
  const struct rc_receipt *r;
  const struct rc_vkey *anchor;
  enum rc_crypto_mode mode;
  struct rc_manifest m;
  int have_m;
  struct rc_checkpoint cp;
  struct rc_district_rec d;
};

/* The checkpoint and the manifest. Returns 0 to go on. */
static int check_commission(struct receipt_ctx *c,
                            struct rc_receipt_result *res) {
  const struct rc_receipt *r = c->r;
  struct rc_note cn, mn;
  struct rc_error err;
  char msg[512];
  if (!step(res, RC_RS_CHECKPOINT_SIGNED,
            anchor_note(r->checkpoint, r->checkpoint_len, c->anchor, c->mode,
                        &cn) == 0,
            NULL))
    return -1;
  if (rc_parse_checkpoint(cn.text, cn.textlen, &c->cp, &err) != RC_OK)
    return step(res, RC_RS_CHECKPOINT_TEXT, 0, err.msg), -1;
  if (!step(res, RC_RS_MANIFEST_SIGNED,
            anchor_note(r->manifest, r->manifest_len, c->anchor, c->mode,
                        &mn) == 0,
            NULL))
    return -1;
  uint8_t mh[32];
  rc_sha256(mn.text, mn.textlen, mh);
  step(res, RC_RS_MANIFEST_NAMED, !CRYPTO_memcmp(mh, c->cp.manifest_hash, 32),
       NULL);
  if (rc_parse_manifest(mn.text, mn.textlen, &c->m, &err) != RC_OK) {
    snprintf(msg, sizeof msg, "line %zu: %s", err.line, err.msg);
    return step(res, RC_RS_MANIFEST_FORMAT, 0, msg), -1;
  }
  c->have_m = 1;
  step(res, RC_RS_CHECKPOINT_MATCHES,
       !strcmp(c->cp.origin, c->m.origin) &&
           c->cp.ndistricts == c->m.ndistricts &&
           r->record_size == c->cp.ndistricts,
       NULL);
  return 0;
}

/* The district record in the election tree. Returns 0 to go on. */
static int check_record(struct receipt_ctx *c, struct rc_receipt_result *res) {
  const struct rc_receipt *r = c->r;
  struct rc_error err;
  if (rc_parse_district(r->record, r->record_len, &c->d, &err) != RC_OK)
    return step(res, RC_RS_RECORD_FORMAT, 0, err.msg), -1;
  rc_hash leaf;
  rc_merkle_leaf_hash(r->record, r->record_len, leaf);
  int inc =
      rc_merkle_verify_inclusion(r->record_index, r->record_size, leaf,
                                 (const rc_hash *)r->record_proof,
                                 r->record_plen, c->cp.districts_root) == RC_OK;
  step(res, RC_RS_RECORD_INCLUDED,
       inc && !strcmp(c->d.district, r->district) &&
           !strcmp(c->d.election, c->m.election),
       NULL);
  return 0;
}

/* The sheet: registered station, signature, inclusion, rules. */
static void check_sheet(struct receipt_ctx *c, struct rc_receipt_result *res) {
  const struct rc_receipt *r = c->r;
  struct rc_sheet *s = &res->sheet;
  struct rc_note sn;
  struct rc_error err;
  if (rc_note_parse(r->sheet, r->sheet_len, &sn, &err) != RC_OK ||
      rc_parse_sheet(sn.text, sn.textlen, s, &err) != RC_OK) {
    step(res, RC_RS_SHEET_FORMAT, 0, err.msg);
    return;
  }
  long si = rc_manifest_station(&c->m, r->station, strlen(r->station));
  if (si < 0 || strcmp(s->station, r->station) != 0) {
    step(res, RC_RS_STATION_REGISTERED, 0, r->station);
    return;
  }
  const struct rc_station *sta = &c->m.stations[si];
  struct rc_sheet_sigs sigs;
  rc_sheet_signatures(&sn, &sta->key,
                      rc_pubkey_check(sta->key.pk) != RC_KEY_GOOD, NULL, 0,
                      c->mode, NULL, NULL, &sigs);
  step(res, RC_RS_SHEET_SIGNED, sigs.valid, NULL);
  rc_hash leaf;
  rc_merkle_leaf_hash(sn.text, sn.textlen, leaf);
  int inc = rc_merkle_verify_inclusion(r->sheet_index, r->sheet_size, leaf,
                                       (const rc_hash *)r->sheet_proof,
                                       r->sheet_plen, c->d.root) == RC_OK &&
            r->sheet_size == c->d.sheets;
  step(res, RC_RS_SHEET_INCLUDED, inc, NULL);
  struct rc_sheet_verdict v;
  rc_sheet_rules(&c->m, sta, s, &v);
  step(res, RC_RS_SHEET_CONSISTENT,
       !v.failed && !strcmp(s->district, r->district), NULL);
  res->have_sheet = 1;
}

int rc_receipt_check(const uint8_t *buf, size_t len,
                     const struct rc_vkey *anchor, enum rc_crypto_mode mode,
                     struct rc_receipt_result *res) {
  memset(res, 0, sizeof *res);
  res->verified = 1;
  struct rc_receipt *r = malloc(sizeof *r);
  struct receipt_ctx *c = calloc(1, sizeof *c);
  struct rc_error err;
  int rc = RC_OK;
  if (!r || !c) {
    res->verified = 0;
    rc = RC_ERR_NOMEM;
    goto out;
  }
  if (rc_parse_receipt(buf, len, r, &err) != RC_OK) {
    char msg[512];
    snprintf(msg, sizeof msg, "line %zu: %s", err.line, err.msg);
    step(res, RC_RS_FORMAT, 0, msg);
    goto out;
  }
  res->parsed = 1;
  memcpy(res->station, r->station, sizeof res->station);
  memcpy(res->district, r->district, sizeof res->district);
  *c = (struct receipt_ctx){.r = r, .anchor = anchor, .mode = mode};
  if (check_commission(c, res) == 0 && check_record(c, res) == 0)
    check_sheet(c, res);
out:
  if (c && c->have_m) rc_manifest_free(&c->m);
  free(c);
  free(r);
  return rc;
}
