/* receipt_check.c — the checks of one station's receipt (RECORD.md §5):
 * the commission's checkpoint, the sheet text at its index of the release
 * log, and, with the manifest, the station's registered key and the sheet
 * rules (sheet_rules.c, the engine's own); then the witnesses. */
#include "receipt_check.h"

#include <openssl/crypto.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "merkle.h"
#include "note.h"
#include "sheet_rules.h"

static const char *const step_names[RC_RS__COUNT] = {
    [RC_RS_FORMAT] = "receipt format (c2sp.org/tlog-proof@v1)",
    [RC_RS_CHECKPOINT_SIGNED] = "checkpoint signed by the anchor key",
    [RC_RS_CHECKPOINT_TEXT] = "checkpoint text",
    [RC_RS_ORIGIN] = "checkpoint is of the log given by --origin",
    [RC_RS_SHEET_FORMAT] = "the receipt's sheet is one signed count sheet",
    [RC_RS_SHEET_INCLUDED] =
        "the sheet is in the release log the checkpoint signs",
    [RC_RS_MANIFEST_SIGNED] = "manifest signed by the anchor key",
    [RC_RS_MANIFEST_NAMED] = "manifest is the one named by the checkpoint",
    [RC_RS_MANIFEST_FORMAT] = "manifest format",
    [RC_RS_CHECKPOINT_MATCHES] =
        "checkpoint origin and districts match the manifest",
    [RC_RS_STATION_REGISTERED] = "station is registered in the manifest",
    [RC_RS_SHEET_SIGNED] = "sheet signed by the station's registered key",
    [RC_RS_SHEET_CONSISTENT] =
        "sheet agrees with the manifest and its figures balance",
    [RC_RS_QUORUM] = "witness cosignatures meet the quorum",
};

static const char *const step_ids[RC_RS__COUNT] = {
    [RC_RS_FORMAT] = "format",
    [RC_RS_CHECKPOINT_SIGNED] = "checkpoint_signed",
    [RC_RS_CHECKPOINT_TEXT] = "checkpoint_text",
    [RC_RS_ORIGIN] = "origin",
    [RC_RS_SHEET_FORMAT] = "sheet_format",
    [RC_RS_SHEET_INCLUDED] = "sheet_included",
    [RC_RS_MANIFEST_SIGNED] = "manifest_signed",
    [RC_RS_MANIFEST_NAMED] = "manifest_named",
    [RC_RS_MANIFEST_FORMAT] = "manifest_format",
    [RC_RS_CHECKPOINT_MATCHES] = "checkpoint_matches",
    [RC_RS_STATION_REGISTERED] = "station_registered",
    [RC_RS_SHEET_SIGNED] = "sheet_signed",
    [RC_RS_SHEET_CONSISTENT] = "sheet_consistent",
    [RC_RS_QUORUM] = "quorum",
};

const char *rc_receipt_step_id(enum rc_receipt_step s) {
  return (unsigned)s < RC_RS__COUNT ? step_ids[s] : "unknown";
}

const char *rc_receipt_step_str(enum rc_receipt_step s) {
  return (unsigned)s < RC_RS__COUNT ? step_names[s] : "unknown check";
}

/* Records one check; returns ok. The detail (why it failed) is kept only
 * when it failed. */
__attribute__((format(printf, 4, 5))) static int
step(struct rc_receipt_result *res, enum rc_receipt_step s, int ok,
     const char *fmt, ...) {
  struct rc_receipt_check_step *st = &res->steps[res->nsteps++];
  st->step = s;
  st->ok = ok;
  st->detail[0] = 0;
  if (fmt && !ok) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(st->detail, sizeof st->detail, fmt, ap);
    va_end(ap);
  }
  if (!ok) res->verified = 0;
  return ok;
}

/* Parses p[0..n) as one note and checks it is signed by a. 0 when it is;
 * -1 with *why set otherwise. */
static int anchor_note(const uint8_t *p, size_t n, const struct rc_vkey *a,
                       enum rc_crypto_mode mode, struct rc_note *note,
                       char *why, size_t whylen) {
  struct rc_error err;
  struct rc_note_check res;
  int ks = 0;
  if (rc_note_parse(p, n, note, &err) != RC_OK) {
    snprintf(why, whylen, "not a signed note: line %zu: %s", err.line, err.msg);
    return -1;
  }
  if (rc_note_verify(note, a, 1, mode, &res, &ks) == RC_OK && ks == 1) return 0;
  snprintf(why, whylen,
           "no signature line by %.*s verifies (is --anchor the key of the "
           "commission that published this record?)",
           (int)a->namelen, a->name);
  return -1;
}

/* What the checks need from the ones before them. */
struct receipt_ctx {
  const struct rc_receipt_opts *o;
  struct rc_tlog_proof p;
  struct rc_checkpoint cp;
  struct rc_note sn; /* the sheet note (points into p.extra) */
  struct rc_manifest m;
  int have_m;
};

/* The checkpoint, the sheet and its place in the log. 0 to go on. */
static int check_log(struct receipt_ctx *c, struct rc_receipt_result *res) {
  struct rc_note cn;
  struct rc_error err;
  char why[400] = "";
  if (!step(res, RC_RS_CHECKPOINT_SIGNED,
            anchor_note(c->p.checkpoint, c->p.checkpoint_len, c->o->anchor,
                        c->o->mode, &cn, why, sizeof why) == 0,
            "%s", why))
    return -1;
  if (rc_parse_checkpoint(cn.text, cn.textlen, &c->cp, &err) != RC_OK)
    return step(res, RC_RS_CHECKPOINT_TEXT, 0, "line %zu: %s", err.line,
                err.msg),
           -1;
  res->have_checkpoint = 1;
  memcpy(res->origin, c->cp.origin, sizeof res->origin);
  res->log_size = c->cp.size;
  memcpy(res->log_root, c->cp.root, 32);
  if (c->o->origin) {
    res->origin_checked = 1;
    if (!step(res, RC_RS_ORIGIN, !strcmp(c->o->origin, c->cp.origin),
              "the checkpoint is of the log %s", c->cp.origin))
      return -1;
  }
  struct rc_sheet *s = &res->sheet;
  if (rc_note_parse(c->p.extra, c->p.extra_len, &c->sn, &err) != RC_OK)
    return step(res, RC_RS_SHEET_FORMAT, 0,
                "extra is not one signed note: line %zu: %s", err.line,
                err.msg),
           -1;
  if (rc_parse_sheet(c->sn.text, c->sn.textlen, s, &err) != RC_OK)
    return step(res, RC_RS_SHEET_FORMAT, 0,
                "extra is not a count sheet: line %zu: %s%s%s", err.line,
                err.field[0] ? err.field : "", err.field[0] ? ": " : "",
                err.msg),
           -1;
  res->have_station = 1;
  memcpy(res->election, s->election, sizeof res->election);
  memcpy(res->station, s->station, sizeof res->station);
  memcpy(res->district, s->district, sizeof res->district);
  rc_hash leaf;
  rc_merkle_leaf_hash(c->sn.text, c->sn.textlen, leaf);
  if (c->p.index >= c->cp.size)
    return step(res, RC_RS_SHEET_INCLUDED, 0,
                "index %llu is past the log's %llu entries",
                (unsigned long long)c->p.index, (unsigned long long)c->cp.size),
           -1;
  if (rc_merkle_verify_inclusion(c->p.index, c->cp.size, leaf,
                                 (const rc_hash *)c->p.proof, c->p.plen,
                                 c->cp.root) != RC_OK)
    return step(res, RC_RS_SHEET_INCLUDED, 0,
                "the inclusion proof does not lead from this sheet text at "
                "index %llu to the checkpoint's root: the sheet, its index "
                "or the proof is not what the commission logged",
                (unsigned long long)c->p.index),
           -1;
  step(res, RC_RS_SHEET_INCLUDED, 1, NULL);
  res->have_sheet = 1;
  return 0;
}

/* The rules that failed, as words. */
static void rules_str(unsigned failed, const struct rc_error *arith, char *out,
                      size_t n) {
  static const struct {
    unsigned bit;
    const char *what;
  } names[] = {
      {RC_RULE_ELECTION, "not the manifest's election"},
      {RC_RULE_DISTRICT, "not the station's district"},
      {RC_RULE_REGISTERED, "registered is not the manifest's figure"},
      {RC_RULE_CHOICES, "the vote lines are not the manifest's choices"},
      {RC_RULE_ARITHMETIC, "the figures do not balance"},
      {RC_RULE_OVERFLOW, "the figures overflow 64 bits"},
      {RC_RULE_OVERVOTE, "more ballots than registered voters"},
  };
  size_t o = 0;
  out[0] = 0;
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    if (!(failed & names[i].bit) || o >= n) continue;
    int k = snprintf(out + o, n - o, "%s%s", o ? "; " : "", names[i].what);
    if (k > 0) o += (size_t)k;
    if (names[i].bit == RC_RULE_ARITHMETIC && arith->msg[0] && o < n) {
      k = snprintf(out + o, n - o, " (%s)", arith->msg);
      if (k > 0) o += (size_t)k;
    }
  }
}

/* With the manifest: the station's key and the sheet rules. */
static void check_station(struct receipt_ctx *c,
                          struct rc_receipt_result *res) {
  const struct rc_receipt_opts *o = c->o;
  struct rc_note mn;
  struct rc_error err;
  char why[400] = "";
  res->station_checked = 1;
  res->origin_checked = 1;
  if (!step(res, RC_RS_MANIFEST_SIGNED,
            anchor_note(o->manifest, o->manifest_len, o->anchor, o->mode, &mn,
                        why, sizeof why) == 0,
            "%s", why))
    return;
  uint8_t mh[32];
  rc_sha256(mn.text, mn.textlen, mh);
  if (!step(res, RC_RS_MANIFEST_NAMED,
            !CRYPTO_memcmp(mh, c->cp.manifest_hash, 32),
            "its SHA-256 is not the checkpoint's manifest hash: another "
            "manifest (another election or release)"))
    return;
  if (rc_parse_manifest(mn.text, mn.textlen, &c->m, &err) != RC_OK) {
    step(res, RC_RS_MANIFEST_FORMAT, 0, "line %zu: %s", err.line, err.msg);
    return;
  }
  c->have_m = 1;
  step(res, RC_RS_CHECKPOINT_MATCHES,
       !strcmp(c->cp.origin, c->m.origin) &&
           c->cp.ndistricts == c->m.ndistricts,
       "the checkpoint is of %s with %llu districts, the manifest of %s "
       "with %zu",
       c->cp.origin, (unsigned long long)c->cp.ndistricts, c->m.origin,
       c->m.ndistricts);
  const struct rc_sheet *s = &res->sheet;
  long si = rc_manifest_station(&c->m, s->station, strlen(s->station));
  if (!step(res, RC_RS_STATION_REGISTERED, si >= 0,
            "the manifest has no station %s", s->station))
    return;
  const struct rc_station *sta = &c->m.stations[si];
  struct rc_sheet_sigs sigs;
  rc_sheet_signatures(&c->sn, &sta->key,
                      rc_pubkey_check(sta->key.pk) != RC_KEY_GOOD, NULL, 0,
                      o->mode, NULL, NULL, &sigs);
  step(res, RC_RS_SHEET_SIGNED, sigs.valid,
       "no signature line by %.*s (the key the manifest registers for %s) "
       "verifies",
       (int)sta->key.namelen, sta->key.name, sta->id);
  struct rc_sheet_verdict v;
  rc_sheet_rules(&c->m, sta, s, &v);
  rules_str(v.failed, &v.arith, why, sizeof why);
  step(res, RC_RS_SHEET_CONSISTENT, !v.failed, "%s", why);
}

/* The witnesses' cosignatures on the checkpoint, and the quorum. */
static int check_witnesses(struct receipt_ctx *c,
                           struct rc_receipt_result *res) {
  const struct rc_receipt_opts *o = c->o;
  struct rc_error err;
  res->nwitnesses = o->nwitnesses;
  res->witness_keys = o->witnesses;
  res->quorum = o->quorum;
  int rc =
      rc_cosig_check_note(c->p.checkpoint, c->p.checkpoint_len, o->witnesses,
                          o->nwitnesses, o->now, o->mode, res->witnesses, &err);
  if (rc == RC_ERR_NOMEM) return rc;
  for (size_t i = 0; rc == RC_OK && i < o->nwitnesses; i++)
    if (res->witnesses[i].status == RC_W_COSIGNED) res->cosigned++;
  step(res, RC_RS_QUORUM, rc == RC_OK && res->cosigned >= o->quorum,
       "%zu of the %zu witnesses given cosigned the checkpoint validly; "
       "the quorum is %zu",
       res->cosigned, o->nwitnesses, o->quorum);
  return RC_OK;
}

int rc_receipt_check(const uint8_t *buf, size_t len,
                     const struct rc_receipt_opts *o,
                     struct rc_receipt_result *res) {
  memset(res, 0, sizeof *res);
  if (!o->anchor || o->nwitnesses > RC_MAX_WITNESSES ||
      o->quorum > o->nwitnesses)
    return RC_ERR_USAGE;
  res->verified = 1;
  struct receipt_ctx *c = calloc(1, sizeof *c);
  struct rc_error err;
  int rc = RC_OK;
  if (!c) {
    res->verified = 0;
    return RC_ERR_NOMEM;
  }
  c->o = o;
  if (rc_parse_tlog_proof(buf, len, &c->p, &err) != RC_OK) {
    if (err.code == RC_ERR_NOMEM) rc = RC_ERR_NOMEM;
    step(res, RC_RS_FORMAT, 0, "line %zu: %s%s%s", err.line,
         err.field[0] ? err.field : "", err.field[0] ? ": " : "", err.msg);
    goto out;
  }
  if (!c->p.have_extra) {
    step(res, RC_RS_FORMAT, 0,
         "line 2: extra: no extra line: this proof does not carry the "
         "station's signed sheet");
    goto out;
  }
  res->parsed = 1;
  res->index = c->p.index;
  if (check_log(c, res) != 0) goto out;
  if (o->manifest) check_station(c, res);
  if (o->nwitnesses) rc = check_witnesses(c, res);
out:
  if (rc != RC_OK) res->verified = 0;
  if (c->have_m) rc_manifest_free(&c->m);
  rc_tlog_proof_free(&c->p);
  free(c);
  return rc;
}
