/* manifest_tables.h — the manifest text from a
 * registry's CSV tables (districts.csv, stations.csv). The rules, and
 * every choice made where the brief was silent, are in the comment at the
 * top of manifest_tables.c; the command line is sign/cli_manifest.c. */
#ifndef RC_MANIFEST_TABLES_H
#define RC_MANIFEST_TABLES_H
#include "keys.h"
#include "rc.h"

/* Messages kept in a report; further errors are only counted. */
#define RC_MTAB_MSGS_MAX 100

/* What the tables are built from. Strings are NUL-terminated. */
struct rc_mtab_in {
  const char *election, *origin, *title;
  const char *const *choices; /* "ID=NAME", ballot order */
  size_t nchoices;
  const struct rc_vkey *witnesses;
  const char *const *witness_names; /* where each came from, for messages */
  size_t nwitnesses;
  const char *dname; /* districts table: its name in messages */
  const uint8_t *dbuf;
  size_t dlen;
  const char *sname; /* stations table */
  const uint8_t *sbuf;
  size_t slen;
  const char *keydir; /* directory that relative .vkey paths of
                       * the key column are read from; NULL:
                       * key files are refused (no file access) */
};

/* The messages of a run: each line ends in '\n' and names the table, row
 * and column. errors holds at most RC_MTAB_MSGS_MAX lines, nerrors counts
 * every error. notes: remarks that do not refuse (a skipped BOM). */
struct rc_mtab_report {
  struct rc_buf errors, notes;
  size_t nerrors, nkept;
};
void rc_mtab_report_free(struct rc_mtab_report *rep);

/* Builds the manifest text (unsigned) into out. Returns RC_OK; RC_ERR_USAGE
 * when an option (election, origin, title, a choice, a witness key) is
 * invalid; RC_ERR_SYNTAX when the tables are refused; RC_ERR_NOMEM. Every
 * failure but NOMEM leaves at least one line in rep->errors. On success
 * the text parses (rc_parse_manifest) and re-encodes to the same bytes:
 * this is checked before returning. The tables are linear to read and
 * sorted once (n log n). */
RC_WUR int rc_manifest_from_tables(const struct rc_mtab_in *in,
                                   struct rc_buf *out,
                                   struct rc_mtab_report *rep);

#endif
