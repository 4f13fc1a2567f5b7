/* sheet_rules.h — the rules one signed count sheet must meet (RECORD.md §3
 * and §4), as functions that return what failed. The engine turns each
 * failed rule into a finding (sheet_check.c); the receipt check turns them
 * into ✓ or ✗. Nothing here prints, allocates or keeps state. */
#ifndef RC_SHEET_RULES_H
#define RC_SHEET_RULES_H
#include "ed25519.h"
#include "keys.h"
#include "note.h"
#include "texts.h"

/* The content rules against the manifest. */
enum rc_sheet_rule {
  RC_RULE_ELECTION = 1u << 0,   /* election id is not the manifest's */
  RC_RULE_DISTRICT = 1u << 1,   /* not the station's manifest district */
  RC_RULE_REGISTERED = 1u << 2, /* registered is not the manifest's */
  RC_RULE_CHOICES = 1u << 3,    /* vote lines are not the manifest's
                                   choices in ballot order (SHEET_CHOICES) */
  RC_RULE_ARITHMETIC = 1u << 4, /* the figures do not balance */
  RC_RULE_OVERFLOW = 1u << 5,   /* the figures overflow 64 bits */
  RC_RULE_OVERVOTE = 1u << 6,   /* ballots exceed registered */
};

struct rc_sheet_verdict {
  unsigned failed;       /* set of enum rc_sheet_rule that failed */
  struct rc_error arith; /* why RC_RULE_ARITHMETIC failed */
};

/* Applies the content rules to sheet s of the station st of manifest m.
 * st NULL (a station not in the manifest) skips the rules that need it
 * (district, registered); m NULL skips every manifest rule. */
void rc_sheet_rules(const struct rc_manifest *m, const struct rc_station *st,
                    const struct rc_sheet *s, struct rc_sheet_verdict *v);

/* What rc_sheet_signatures made of one signature line. */
struct rc_sig_event {
  const struct rc_sigline *line; /* the line (of the note checked) */
  enum rc_line_fate fate;        /* RECORD.md §1: valid, failed, ignored... */
  const struct rc_vkey *key;     /* the station's key or a witness key; NULL
                                    for a malformed line */
  int witness;                   /* 1: key is a manifest witness key */
  enum rc_sig_result result;     /* of the verification (INVALID if none) */
  int sodium, openssl;           /* each library's decision (-1: not asked) */
};

struct rc_sheet_sigs {
  int valid;        /* a line by the station's key verifies */
  int station_line; /* some well-formed line names the station's key */
  uint64_t checked; /* signature verifications done */
  size_t ignored;   /* SIGLINE_IGNORED lines (past the 100th included) */
};

/* The count-sheet signature rule (RECORD.md §1 and §3): valid when at
 * least one line by the station's registered key (same name and key id,
 * 68 decoded bytes) verifies under mode; a failing line by that key next
 * to a valid one, a malformed line and a line of another length are
 * ignored (SIGLINE_IGNORED), never voiding the sheet; a weak key
 * (key_weak) is never verified. Every line by one of the witness keys is
 * verified too. on_event (may be NULL) receives every line that is not by
 * an unknown key, in line order, with its fate. */
void rc_sheet_signatures(const struct rc_note *n,
                         const struct rc_vkey *station_key, int key_weak,
                         const struct rc_vkey *witnesses, size_t nwitnesses,
                         enum rc_crypto_mode mode,
                         void (*on_event)(void *ctx,
                                          const struct rc_sig_event *ev),
                         void *ctx, struct rc_sheet_sigs *out);
#endif
