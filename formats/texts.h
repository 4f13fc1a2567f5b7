/* texts.h — the record texts of RECORD.md §3: parsers and encoders.
 *
 * Each parser takes the exact note text (the signed bytes, without the
 * signature lines), checks it against RECORD.md §2–3 and fills a struct,
 * or returns an error naming the 1-based line and the field. Each encoder
 * is the exact inverse: parse then encode gives back the same bytes.
 * Parsers check syntax and everything decidable from the text alone
 * (order of lines, id order, balance of a sheet is NOT checked here: see
 * rc_sheet_arith). Inputs longer than the type's maximum are refused
 * before they are read. err may be NULL. On failure the output is left
 * empty (zeroed; nothing to free).
 *
 * Encoders append to b and return RC_OK, RC_ERR_NOMEM, or (appending
 * nothing) RC_ERR_USAGE for a struct that no valid text has (an invalid
 * id, a name the parser would refuse, ids out of order, ...), RC_ERR_LIMIT
 * for a district-record figure of 10^15 or more. The formats, and every
 * choice made where RECORD.md is silent, are described in FORMATS.md. */
#ifndef RC_TEXTS_H
#define RC_TEXTS_H
#include "keys.h"
#include "rc.h"

/* Returns 1 if s[0..n) is an identifier [a-z0-9][a-z0-9._-]{0,63}. */
int rc_id_valid(const char *s, size_t n);

/* ---------------- manifest ---------------- */
struct rc_choice {
  char id[RC_ID_MAX + 1];
  char *name; /* UTF-8 display name, NUL-terminated */
};
struct rc_mdistrict {
  char id[RC_ID_MAX + 1];
  char *name;
  uint32_t nstations; /* stations of this district in the manifest */
};
struct rc_station {
  char *id;          /* NUL-terminated, in the manifest's arena */
  uint32_t district; /* index into districts[] */
  uint64_t registered;
  struct rc_vkey key; /* key.name points into the arena */
};
struct rc_manifest {
  char election[RC_ID_MAX + 1];
  char *origin;
  char *title;
  struct rc_choice *choices;
  size_t nchoices;
  struct rc_mdistrict *districts;
  size_t ndistricts;
  struct rc_vkey *witnesses;
  size_t nwitnesses;
  struct rc_station *stations;
  size_t nstations;
  void *arena; /* owns every string above */
};

RC_WUR int rc_parse_manifest(const uint8_t *buf, size_t len,
                             struct rc_manifest *out, struct rc_error *err);
RC_WUR int rc_encode_manifest(const struct rc_manifest *m, struct rc_buf *b);
void rc_manifest_free(struct rc_manifest *m);
/* Index of the station with id s[0..n), or -1 (binary search). */
long rc_manifest_station(const struct rc_manifest *m, const char *s, size_t n);
/* Index of the district with id s[0..n), or -1. */
long rc_manifest_district(const struct rc_manifest *m, const char *s, size_t n);

/* ---------------- count sheet ---------------- */
struct rc_vote {
  char choice[RC_ID_MAX + 1];
  uint64_t count;
};
struct rc_sheet {
  char election[RC_ID_MAX + 1];
  char district[RC_ID_MAX + 1];
  char station[RC_ID_MAX + 1];
  uint64_t registered, ballots, invalid, blank, excluded;
  size_t nvotes; /* 1..RC_MAX_CHOICES */
  struct rc_vote votes[RC_MAX_CHOICES];
};
RC_WUR int rc_parse_sheet(const uint8_t *buf, size_t len, struct rc_sheet *out,
                          struct rc_error *err);
RC_WUR int rc_encode_sheet(const struct rc_sheet *s, struct rc_buf *b);
/* Checks invalid + blank + excluded + Σ votes = ballots with checked
 * arithmetic. Returns RC_OK, RC_ERR_ARITH or RC_ERR_OVERFLOW. */
RC_WUR int rc_sheet_arith(const struct rc_sheet *s, struct rc_error *err);

/* ---------------- district record ---------------- */
struct rc_district_rec {
  char election[RC_ID_MAX + 1];
  char district[RC_ID_MAX + 1];
  uint64_t stations, sheets;
  uint8_t root[32];
  uint64_t registered, ballots, invalid, blank, excluded;
  size_t nvotes;
  struct rc_vote votes[RC_MAX_CHOICES];
};
RC_WUR int rc_parse_district(const uint8_t *buf, size_t len,
                             struct rc_district_rec *out, struct rc_error *err);
RC_WUR int rc_encode_district(const struct rc_district_rec *d,
                              struct rc_buf *b);
/* Splits districts.txt (records joined by one empty line, ending with the
 * last record's newline) into record texts: *starts and *lens (malloc'd arrays
 * the caller frees) point into buf. Does not parse the records. An empty
 * file has zero records. */
RC_WUR int rc_split_districts(const uint8_t *buf, size_t len, size_t **starts,
                              size_t **lens, size_t *n, struct rc_error *err);

/* ---------------- checkpoint ---------------- */
/* (v1.1) size and root are the release log's (log.h); the election tree
 * over districts.txt is in the "districts" line. */
struct rc_checkpoint {
  char origin[RC_ORIGIN_MAX + 1];
  uint64_t size;    /* log entries */
  uint8_t root[32]; /* log tree root */
  uint8_t manifest_hash[32];
  uint64_t ndistricts;        /* districts <n> ... */
  uint8_t districts_root[32]; /* ... <election tree root> */
};
RC_WUR int rc_parse_checkpoint(const uint8_t *buf, size_t len,
                               struct rc_checkpoint *out, struct rc_error *err);
RC_WUR int rc_encode_checkpoint(const struct rc_checkpoint *c,
                                struct rc_buf *b);

/* ---------------- published figures ---------------- */
enum rc_fig {
  RC_FIG_REGISTERED = 0,
  RC_FIG_BALLOTS,
  RC_FIG_INVALID,
  RC_FIG_BLANK,
  RC_FIG_EXCLUDED,
  RC_FIG_VALID,
  RC_FIG_VOTE,    /* has a choice */
  RC_FIG_SHARE,   /* has a choice, a percent */
  RC_FIG_TURNOUT, /* a percent */
  RC_FIG__COUNT
};
const char *rc_fig_str(enum rc_fig f); /* the keyword: "registered" ... */

/* A percent [0-9]{1,3}(\.[0-9]{1,4})?: value = units / 10^decimals. */
struct rc_percent {
  uint32_t units;    /* e.g. 7216 for "72.16" */
  uint8_t decimals;  /* 0..4 */
  uint8_t intdigits; /* digits before the point as written ("07.27":
                      * 2); 0 = as few as needed. Kept so that parse
                      * then encode gives back the same bytes. */
};

struct rc_figure {
  char district[RC_ID_MAX + 1]; /* "" for a whole-election figure */
  enum rc_fig kind;
  char choice[RC_ID_MAX + 1]; /* for VOTE and SHARE, else "" */
  uint64_t count;             /* for count figures */
  struct rc_percent pct;      /* for SHARE and TURNOUT */
  size_t line;                /* 1-based line in the text */
};

struct rc_published {
  char election[RC_ID_MAX + 1];
  struct rc_figure *figs; /* malloc'd */
  size_t nfigs;           /* >= 1 */
};
/* Checks grammar and the order rules that need no manifest: whole-election
 * figures first in the order of enum rc_fig, then district lines grouped
 * by district (each district one contiguous group, groups in ascending
 * district id, which is the manifest's order), same order inside; no
 * figure twice; at most RC_MAX_CHOICES vote (or share) lines per group.
 * Choice order, and that every district and choice exists, are checked by
 * rc_published_check_manifest. On failure *out is empty (figs NULL). */
RC_WUR int rc_parse_published(const uint8_t *buf, size_t len,
                              struct rc_published *out, struct rc_error *err);
RC_WUR int rc_encode_published(const struct rc_published *p, struct rc_buf *b);
void rc_published_free(struct rc_published *p);
/* Checks the election id, that every choice and district exists in m, that
 * vote/share lines follow the manifest's choice order and district groups
 * the manifest's district order. Returns RC_OK or an error with the line. */
RC_WUR int rc_published_check_manifest(const struct rc_published *p,
                                       const struct rc_manifest *m,
                                       struct rc_error *err);

/* Does the exact ratio num/den, as a percent, round half up to p at p's
 * number of decimals? den == 0 reconciles exactly when p is zero
 * (RECORD.md §3, v1.1). */
int rc_percent_matches(const struct rc_percent *p, uint64_t num, uint64_t den);
/* Appends p as text ("72.16"). */
void rc_percent_encode(const struct rc_percent *p, struct rc_buf *b);
/* Computes num/den as a percent rounded half up at `decimals` decimals
 * (0 when den == 0, the one value that then reconciles). Returns 0, or -1
 * if the value exceeds 999.9999 or decimals is above the maximum. */
int rc_percent_from_ratio(uint64_t num, uint64_t den, uint8_t decimals,
                          struct rc_percent *out);
#endif
