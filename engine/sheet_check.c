/* sheet_check.c — what a worker thread does with one framed note: parse
 * it, apply the signature and sheet rules (sheet_rules.c) and turn every
 * failed rule into a finding of the job. Runs in parallel: touches only
 * its job and read-only engine state. */
#include <string.h>

#include "engine.h"
#include "hash.h"
#include "sheet_rules.h"
#include "text.h"

/* Parses the job's note. A note whose signature lines are malformed still
 * has a text: if that text parses it is part of the district tree
 * (RECORD.md: every distinct parseable sheet text), it just has no valid
 * signature. Returns 0 with note filled, -1 when there is no text. */
static int parse_note(struct engine *eng, struct job *j, struct rc_note *note) {
  struct rc_error err;
  size_t consumed = 0;
  if (rc_note_next(j->note, j->notelen, &consumed, note, &err) == RC_OK &&
      consumed == j->notelen)
    return 0;
  findings_add(&j->found, RC_F_SHEET_FORMAT, NULL, NULL, eng->files[j->file],
               j->line + (err.line ? err.line - 1 : 0), "not a signed note: %s",
               err.msg);
  const uint8_t *p = j->note, *end = j->note + j->notelen;
  memset(note, 0, sizeof *note);
  for (; p + 1 < end; p++)
    if (p[0] == '\n' && p[1] == '\n') break;
  if (p + 1 >= end) return -1;
  note->text = j->note;
  note->textlen = (size_t)(p - j->note) + 1;
  note->nsigs = 0; /* no usable signature line */
  return 0;
}

struct sig_ctx {
  struct job *j;
  const char *district, *station, *file;
};

/* line of the note's signature line sl in its file */
static size_t sig_line(const struct job *j, const struct rc_sigline *sl) {
  return j->line + (sl->line ? sl->line - 1 : 0);
}

/* SIGLINE_IGNORED for the lines past the RC_NOTE_MAX_SIGS-th: one finding
 * each (they are consecutive lines), the first RC_EXTRA_SIGLINES_REPORTED
 * of them, then one for the rest. */
static void report_extra(const struct rc_note *note, const struct sig_ctx *c) {
  size_t first = c->j->line + note->extra_line - 1;
  for (size_t k = 0; k < note->nextra; k++) {
    if (k == RC_EXTRA_SIGLINES_REPORTED) {
      char nb[32];
      findings_add(&c->j->found, RC_F_SIGLINE_IGNORED, c->district, c->station,
                   c->file, first + k,
                   "this and %s more signature lines after the first %d "
                   "not read",
                   rc_fmt_count(nb, note->nextra - k - 1), RC_NOTE_MAX_SIGS);
      return;
    }
    findings_add(&c->j->found, RC_F_SIGLINE_IGNORED, c->district, c->station,
                 c->file, first + k,
                 "signature line after the first %d not read",
                 RC_NOTE_MAX_SIGS);
  }
}

/* SIGLINE_IGNORED for each malformed line (notes whose keys we do not
 * know: the lines' form can still be judged). */
static void report_malformed(const struct rc_note *note,
                             const struct sig_ctx *c) {
  for (size_t i = 0; i < note->nsigs; i++) {
    const struct rc_sigline *sl = &note->sigs[i];
    if (sl->bad)
      findings_add(&c->j->found, RC_F_SIGLINE_IGNORED, c->district, c->station,
                   c->file, sig_line(c->j, sl), "signature line ignored: %s",
                   rc_sigline_bad_str((enum rc_sigline_bad)sl->bad));
  }
  report_extra(note, c);
}

static void on_sig_event(void *arg, const struct rc_sig_event *ev) {
  struct sig_ctx *c = arg;
  struct findings *fs = &c->j->found;
  size_t line = sig_line(c->j, ev->line);
  const char *who = ev->witness ? "witness " : "the station's key ";
  int nl = ev->key ? (int)ev->key->namelen : 0;
  const char *name = ev->key ? ev->key->name : "";
  switch (ev->fate) {
  case RC_LINE_MALFORMED:
    findings_add(fs, RC_F_SIGLINE_IGNORED, c->district, c->station, c->file,
                 line, "signature line ignored: %s",
                 rc_sigline_bad_str((enum rc_sigline_bad)ev->line->bad));
    return;
  case RC_LINE_LENGTH:
    findings_add(fs, RC_F_SIGLINE_IGNORED, c->district, c->station, c->file,
                 line,
                 "signature line by %s%.*s ignored: %zu decoded bytes, an "
                 "Ed25519 note signature has 68",
                 who, nl, name, ev->line->siglen + 4);
    return;
  case RC_LINE_REDUNDANT:
    findings_add(fs, RC_F_SIGLINE_IGNORED, c->district, c->station, c->file,
                 line,
                 "signature line by %s%.*s ignored: it does not verify, "
                 "another line by that key does",
                 who, nl, name);
    return;
  case RC_LINE_DISAGREE: {
    const char *so = ev->sodium ? "accepts" : "rejects";
    const char *oo = ev->openssl ? "accepts" : "rejects";
    if (ev->witness)
      findings_add(fs, RC_F_CRYPTO_DISAGREEMENT, c->district, c->station,
                   c->file, c->j->line,
                   "witness %.*s signature: libsodium %s it, OpenSSL %s it", nl,
                   name, so, oo);
    else
      findings_add(fs, RC_F_CRYPTO_DISAGREEMENT, c->district, c->station,
                   c->file, c->j->line,
                   "station signature: libsodium %s it, OpenSSL %s it", so, oo);
    break;
  }
  default: break;
  }
  if (ev->witness && ev->fate != RC_LINE_VALID)
    findings_add(fs, RC_F_COSIGNATURE_INVALID, c->district, c->station, c->file,
                 c->j->line, "co-signature by witness %.*s does not verify", nl,
                 name);
}

/* Signatures of a sheet of a known station: the station's key must
 * verify; witnesses' lines are checked; other lines are ignored. */
static void check_signatures(struct engine *eng, struct job *j,
                             const struct rc_note *note, struct sig_ctx *c) {
  const struct rc_manifest *m = eng->m;
  const struct rc_station *st = &m->stations[j->station];
  int weak = eng->station_weak[j->station];
  struct rc_sheet_sigs sigs;
  struct rc_sigcache *cache = eng->o->sigcache;
  uint32_t n;
  if (cache) {
    sigcache_key(eng, j, &st->key, weak, j->sigkey);
    if (sigcache_find(cache, j->sigkey, &n)) { /* verified before, clean */
      j->sigs_checked += n;
      j->sigvalid = 1;
      return;
    }
  }
  size_t before = j->found.n;
  rc_sheet_signatures(note, &st->key, weak, m->witnesses, m->nwitnesses,
                      eng->o->mode, on_sig_event, c, &sigs);
  report_extra(note, c);
  j->sigs_checked += sigs.checked;
  j->sigvalid = sigs.valid;
  if (cache && sigs.valid && j->found.n == before) {
    j->sig_store = 1;
    j->sig_n = (uint32_t)sigs.checked;
  }
  if (sigs.valid) return;
  const char *why = weak ? "the station's registered key is weak (see KEY_WEAK)"
                    : sigs.station_line
                        ? "no signature line by the station's registered "
                          "key verifies"
                        : "no signature line by the station's registered key";
  findings_add(&j->found, RC_F_SHEET_SIGNATURE, c->district, c->station,
               c->file, j->line, "%s", why);
}

/* The station a sheet text that does not parse names, when its first four
 * lines (header, election, district, station) do parse: then the finding
 * names it and the station has a rejected sheet, not none. */
static int named_station(const uint8_t *t, size_t len, char district[],
                         char station[]) {
  static const char *const kws[] = {"election", "district", "station", NULL};
  struct rc_cur cur;
  struct rc_error err;
  char election[RC_ID_MAX + 1];
  rc_cur_init(&cur, t, len, kws);
  return rc_cur_header(&cur, "recount count-sheet v1", "count sheet", &err) ==
             RC_OK &&
         rc_cur_id_line(&cur, "election", election, &err) == RC_OK &&
         rc_cur_id_line(&cur, "district", district, &err) == RC_OK &&
         rc_cur_id_line(&cur, "station", station, &err) == RC_OK;
}

/* Each failed content rule is a finding (lines relative to the note). */
static void report_rules(struct engine *eng, struct job *j,
                         const struct rc_sheet *s,
                         const struct rc_sheet_verdict *v,
                         const struct sig_ctx *c) {
  const struct rc_manifest *m = eng->m;
  const struct rc_station *st =
      j->station >= 0 ? &m->stations[j->station] : NULL;
  struct findings *fs = &j->found;
  const char *d = c->district, *sid = c->station, *file = c->file;
  char na[32], nb[32];
  if (v->failed & RC_RULE_ELECTION)
    findings_add(fs, RC_F_SHEET_WRONG_ELECTION, d, sid, file, j->line + 1,
                 "election %s, the manifest's is %s", s->election, m->election);
  if (v->failed & RC_RULE_DISTRICT)
    findings_add(fs, RC_F_SHEET_WRONG_DISTRICT, d, sid, file, j->line + 2,
                 "district %s, the manifest places station %s in %s",
                 s->district, sid, m->districts[st->district].id);
  if (v->failed & RC_RULE_REGISTERED)
    findings_add(fs, RC_F_SHEET_REGISTERED_MISMATCH, d, sid, file, j->line + 4,
                 "registered %s, the manifest says %s",
                 rc_fmt_count(na, s->registered),
                 rc_fmt_count(nb, st->registered));
  if (v->failed & RC_RULE_CHOICES)
    findings_add(fs, RC_F_SHEET_CHOICES, d, sid, file, j->line + 9,
                 "the vote lines are not the manifest's %s choices in "
                 "ballot order",
                 rc_fmt_count(na, m->nchoices));
  if (v->failed & RC_RULE_OVERFLOW)
    findings_add(fs, RC_F_COUNT_OVERFLOW, d, sid, file, j->line,
                 "the sheet's figures overflow 64 bits when added");
  if (v->failed & RC_RULE_ARITHMETIC)
    findings_add(fs, RC_F_SHEET_ARITHMETIC, d, sid, file, j->line, "%s",
                 v->arith.msg);
  if (v->failed & RC_RULE_OVERVOTE)
    findings_add(fs, RC_F_SHEET_OVERVOTE, d, sid, file, j->line + 5,
                 "ballots %s exceed registered %s",
                 rc_fmt_count(na, s->ballots), rc_fmt_count(nb, s->registered));
}

static void keep_counts(struct job *j, const struct rc_sheet *s) {
  j->c.registered = s->registered;
  j->c.ballots = s->ballots;
  j->c.invalid = s->invalid;
  j->c.blank = s->blank;
  j->c.excluded = s->excluded;
  for (size_t i = 0; i < s->nvotes && i < RC_MAX_CHOICES; i++)
    j->c.votes[i] = s->votes[i].count;
}

/* A sheet text that does not parse: SHEET_FORMAT, naming the station
 * when the text names one before the error. */
static void report_unparsed(struct engine *eng, struct job *j,
                            const struct rc_note *note,
                            const struct rc_error *err) {
  const struct rc_manifest *m = eng->m;
  const char *file = eng->files[j->file];
  char district[RC_ID_MAX + 1], station[RC_ID_MAX + 1];
  struct sig_ctx c = {j, NULL, NULL, file};
  if (named_station(note->text, note->textlen, district, station)) {
    long si = m ? rc_manifest_station(m, station, strlen(station)) : -1;
    long di = m ? rc_manifest_district(m, district, strlen(district)) : -1;
    c.station = station;
    c.district = si >= 0   ? m->districts[m->stations[si].district].id
                 : di >= 0 ? district
                           : NULL;
    j->station = si;
  }
  findings_add(&j->found, RC_F_SHEET_FORMAT, c.district, c.station, file,
               j->line + (err->line ? err->line - 1 : 0), "count sheet: %s%s%s",
               err->field[0] ? err->field : "", err->field[0] ? ": " : "",
               err->msg);
  report_malformed(note, &c);
}

void check_job(struct engine *eng, struct job *j, struct rc_sheet *s) {
  const struct rc_manifest *m = eng->m;
  const char *file = eng->files[j->file];
  struct rc_note note;
  struct rc_error err;
  if (parse_note(eng, j, &note) != 0) return;
  j->textlen = (uint32_t)note.textlen;
  if (rc_parse_sheet(note.text, note.textlen, s, &err) != RC_OK) {
    report_unparsed(eng, j, &note, &err);
    return;
  }
  j->parsed = 1;
  rc_merkle_leaf_hash(note.text, note.textlen, j->leaf);
  rc_sha256(note.text, note.textlen, j->sha);
  memcpy(j->station_id, s->station, sizeof j->station_id);
  const char *sid = s->station;
  j->district =
      m ? rc_manifest_district(m, s->district, strlen(s->district)) : -1;
  j->station = m ? rc_manifest_station(m, sid, strlen(sid)) : -1;
  const struct rc_station *st =
      j->station >= 0 ? &m->stations[j->station] : NULL;
  struct sig_ctx c = {j,
                      st ? m->districts[st->district].id
                         : (j->district >= 0 ? s->district : NULL),
                      sid, file};
  if (st) {
    check_signatures(eng, j, &note, &c);
  } else {
    findings_add(&j->found, RC_F_SHEET_UNKNOWN_STATION, c.district, sid, file,
                 j->line, "station %s is not in the manifest", sid);
    report_malformed(&note, &c);
  }
  struct rc_sheet_verdict v;
  rc_sheet_rules(m, st, s, &v);
  report_rules(eng, j, s, &v, &c);
  j->textok = st && !v.failed;
  keep_counts(j, s);
}
