/* publish.h — the published figures text recomputed from a checked record
 * (`recount-sign publish`). */
#ifndef RC_PUBLISH_H
#define RC_PUBLISH_H
#include "record.h"

/* Appends to out the published-figures text (RECORD.md §3, unsigned) of
 * the checked record rep: every whole-election figure (registered,
 * ballots, invalid, blank, excluded, valid, a vote and a share line per
 * choice in ballot order, turnout), and with districts the same lines for
 * every manifest district, in manifest order. Percents are rounded half
 * up at `decimals` (0..RC_PERCENT_DECIMALS_MAX) decimals; a percent whose
 * denominator is 0 is written as zero (RECORD.md v1.1: it reconciles
 * exactly when zero). The text is parsed back (rc_parse_published,
 * rc_published_check_manifest) before it is returned. Returns RC_OK;
 * RC_ERR_USAGE (decimals, or a report without a manifest); RC_ERR_OVERFLOW
 * (totals that overflowed or changed while checked); the parser's error
 * when the figures cannot be written (err names line and field);
 * RC_ERR_NOMEM. On failure out is left as it was. */
RC_WUR int rc_publish_text(const struct rc_record_report *rep,
                           unsigned decimals, int districts, struct rc_buf *out,
                           struct rc_error *err);
#endif
