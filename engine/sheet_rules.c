/* sheet_rules.c — the rules of one count sheet (see sheet_rules.h). */
#include "sheet_rules.h"

#include <string.h>

void rc_sheet_rules(const struct rc_manifest *m, const struct rc_station *st,
                    const struct rc_sheet *s, struct rc_sheet_verdict *v) {
  memset(v, 0, sizeof *v);
  if (m && strcmp(s->election, m->election) != 0) v->failed |= RC_RULE_ELECTION;
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
  if (ar == RC_ERR_OVERFLOW) v->failed |= RC_RULE_OVERFLOW;
  else if (ar != RC_OK) v->failed |= RC_RULE_ARITHMETIC;
  if (s->ballots > s->registered) v->failed |= RC_RULE_OVERVOTE;
}

void rc_sheet_signatures(const struct rc_note *n,
                         const struct rc_vkey *station_key, int key_weak,
                         const struct rc_vkey *witnesses, size_t nwitnesses,
                         enum rc_crypto_mode mode,
                         void (*on_event)(void *ctx,
                                          const struct rc_sig_event *ev),
                         void *ctx, struct rc_sheet_sigs *out) {
  memset(out, 0, sizeof *out);
  struct rc_line_verdict v[RC_NOTE_MAX_SIGS];
  size_t na = station_key ? 1 : 0;
  struct rc_keyset ks = {station_key, na, witnesses, nwitnesses, key_weak};
  rc_note_judge(n, &ks, mode, v, &out->checked);
  out->ignored = n->nextra;
  for (size_t i = 0; i < n->nsigs; i++) {
    enum rc_line_fate f = (enum rc_line_fate)v[i].fate;
    if (f == RC_LINE_UNKNOWN) continue;
    if (rc_line_ignored(f)) out->ignored++;
    struct rc_sig_event ev = {&n->sigs[i],    f,           NULL,        0,
                              RC_SIG_INVALID, v[i].sodium, v[i].openssl};
    if (f != RC_LINE_MALFORMED) {
      ev.witness = v[i].key >= na;
      ev.key = ev.witness ? &witnesses[v[i].key - na] : station_key;
      if (!ev.witness) out->station_line = 1;
      if (!ev.witness && f == RC_LINE_VALID) out->valid = 1;
      ev.result = f == RC_LINE_VALID      ? RC_SIG_VALID
                  : f == RC_LINE_DISAGREE ? RC_SIG_DISAGREE
                                          : RC_SIG_INVALID;
    }
    if (on_event) on_event(ctx, &ev);
  }
}
