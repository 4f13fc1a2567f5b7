/* sheet_rules.c — the rules of one count sheet (see sheet_rules.h). */
#include "sheet_rules.h"

#include <string.h>

void rc_sheet_rules(const struct rc_manifest *m, const struct rc_station *st,
                    const struct rc_sheet *s, struct rc_sheet_verdict *v) {
  memset(v, 0, sizeof *v);
  if (m && strcmp(s->election, m->election) != 0)
    v->failed |= RC_RULE_ELECTION;
  if (m && st) {
    if (strcmp(s->district, m->districts[st->district].id) != 0)
      v->failed |= RC_RULE_DISTRICT;
    if (s->registered != st->registered) v->failed |= RC_RULE_REGISTERED;
  }
  if (m) {
    int same = s->nvotes == m->nchoices;
    for (size_t i = 0; same && i < s->nvotes; i++)
      same = !strcmp(s->votes[i].choice, m->choices[i].id);
    if (!same) v->failed |= RC_RULE_CHOICES;
  }
  int ar = rc_sheet_arith(s, &v->arith);
  if (ar == RC_ERR_OVERFLOW)
    v->failed |= RC_RULE_OVERFLOW;
  else if (ar != RC_OK)
    v->failed |= RC_RULE_ARITHMETIC;
  if (s->ballots > s->registered) v->failed |= RC_RULE_OVERVOTE;
}

static int line_is_by(const struct rc_sigline *line, const struct rc_vkey *k) {
  return line->namelen == k->namelen &&
         !memcmp(line->name, k->name, line->namelen) &&
         !memcmp(line->keyid, k->id, 4);
}

/* Verifies line line by key k (64-byte signatures only). */
static enum rc_sig_result verify_line(const struct rc_note *n,
                                      const struct rc_sigline *line,
                                      const struct rc_vkey *k,
                                      enum rc_crypto_mode mode,
                                      struct rc_sig_event *ev,
                                      struct rc_sheet_sigs *out) {
  ev->key = k;
  ev->sodium = ev->openssl = -1;
  ev->result = RC_SIG_INVALID;
  if (line->siglen != 64) return ev->result;
  out->checked++;
  ev->result = rc_ed25519_verify(k->pk, n->text, n->textlen, line->sig, mode,
                                 &ev->sodium, &ev->openssl);
  return ev->result;
}

void rc_sheet_signatures(const struct rc_note *n,
                         const struct rc_vkey *station_key, int key_weak,
                         const struct rc_vkey *witnesses, size_t nwitnesses,
                         enum rc_crypto_mode mode,
                         void (*on_event)(void *ctx,
                                          const struct rc_sig_event *ev),
                         void *ctx, struct rc_sheet_sigs *out) {
  memset(out, 0, sizeof *out);
  for (size_t i = 0; i < n->nsigs; i++) {
    const struct rc_sigline *line = &n->sigs[i];
    struct rc_sig_event ev = {0};
    if (station_key && line_is_by(line, station_key)) {
      out->station_line = 1;
      if (line->siglen == 64 && !key_weak) {
        if (verify_line(n, line, station_key, mode, &ev, out) == RC_SIG_VALID)
          out->valid = 1;
        if (on_event) on_event(ctx, &ev);
      }
    }
    for (size_t w = 0; w < nwitnesses; w++) {
      if (!line_is_by(line, &witnesses[w])) continue;
      verify_line(n, line, &witnesses[w], mode, &ev, out);
      ev.witness = 1;
      if (on_event) on_event(ctx, &ev);
    }
  }
}
