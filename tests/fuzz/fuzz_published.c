/* fuzz_published.c — published figures and percents (formats/texts.h).
 *
 * The input is a published.note text; when it is a whole signed note, its
 * text is parsed too. A text that parses must re-encode to the identical
 * bytes and pass the order rules again on re-parsing; it is also checked
 * against a fixed manifest (rc_published_check_manifest). The percent
 * functions are exercised on the parsed figures:
 *   - rc_percent_from_ratio(num, den, d) must give a percent that
 *     rc_percent_matches(num, den), and fail exactly when den == 0 or the
 *     value is >= 1000 %;
 *   - a published percent that matches (num, den) must equal the percent
 *     computed from (num, den) at its own precision;
 *   - rc_percent_encode of a parsed percent must parse back to it. */
#include <string.h>

#include "fuzz_common.h"
#include "note.h"
#include "texts.h"

/* testvectors/tampered/01-forged-count/record/manifest.note, keys cut to
 * three stations. */
static const char manifest_txt[] =
    "recount manifest v1\n"
    "election bench\n"
    "origin bench.example/synthetic\n"
    "title Synthetic test record (12 sheets)\n"
    "choice yes Yes\n"
    "choice no No\n"
    "district d00000 District 0\n"
    "district d00001 District 1\n"
    "district d00002 District 2\n"
    "station s00000.0000000 d00000 528 "
    "TEST-KEY.s00000.0000000+55468a4c+"
    "AaKyuGPfAunsDzfUKm3RMLtSpvLznh5ImQg5apNUUAoq\n"
    "station s00001.0000000 d00001 523 "
    "TEST-KEY.s00001.0000000+feb6bbbc+"
    "AYJ6y89hQbuN2UwlTgWW7OFLhWbhNoCF1B1C9t4XWupt\n"
    "station s00002.0000000 d00002 349 "
    "TEST-KEY.s00002.0000000+622e1581+"
    "ASn/djQHcpPn/yNDJ/CW8aECefnM0OqtTyEzTh/pOMOO\n";

static struct rc_manifest manifest;

static void init(void) {
  static int done;
  if (done) return;
  struct rc_error err;
  FUZZ_CHECK(rc_parse_manifest((const uint8_t *)manifest_txt,
                               sizeof manifest_txt - 1, &manifest,
                               &err) == RC_OK);
  done = 1;
}

static const uint64_t pow10_[5] = {1, 10, 100, 1000, 10000};

static void check_ratio(uint64_t num, uint64_t den, uint8_t d) {
  struct rc_percent p;
  int rc = rc_percent_from_ratio(num, den, d, &p);
  if (den == 0) {
    /* v1.1: a percent of nothing is 0, and only 0 reconciles */
    FUZZ_CHECK(rc == 0 && p.units == 0 && p.decimals == d);
    FUZZ_CHECK(rc_percent_matches(&p, num, den));
    p.units = 1;
    FUZZ_CHECK(!rc_percent_matches(&p, num, den));
    return;
  }
  /* round half up of num/den * 100 * 10^d, in 128 bits */
  unsigned __int128 x = (unsigned __int128)num * 100u * pow10_[d];
  unsigned __int128 q = (2 * x + den) / (2 * (unsigned __int128)den);
  if (q >= (unsigned __int128)1000u * pow10_[d]) {
    FUZZ_CHECK(rc == -1);
    return;
  }
  FUZZ_CHECK(rc == 0);
  FUZZ_CHECK(p.decimals == d && p.units == (uint32_t)q);
  FUZZ_CHECK(rc_percent_matches(&p, num, den));
  /* one unit away never matches */
  struct rc_percent up = p;
  up.units++;
  FUZZ_CHECK(!rc_percent_matches(&up, num, den));
}

static void check_percent(const struct rc_percent *p, uint64_t num,
                          uint64_t den) {
  FUZZ_CHECK(p->decimals <= RC_PERCENT_DECIMALS_MAX);
  FUZZ_CHECK(p->units < 1000u * pow10_[p->decimals]);
  struct rc_percent q;
  if (rc_percent_matches(p, num, den)) {
    FUZZ_CHECK(den != 0);
    FUZZ_CHECK(rc_percent_from_ratio(num, den, p->decimals, &q) == 0);
    FUZZ_CHECK(q.units == p->units && q.decimals == p->decimals);
  }
  for (uint8_t d = 0; d <= RC_PERCENT_DECIMALS_MAX; d++)
    check_ratio(num, den, d);
}

static void check_published(const uint8_t *buf, size_t len) {
  struct rc_published p;
  struct rc_error err;
  if (rc_parse_published(buf, len, &p, &err) != RC_OK) {
    FUZZ_CHECK(p.figs == NULL && p.nfigs == 0);
    return;
  }
  FUZZ_CHECK(p.nfigs >= 1 && p.figs != NULL);
  struct rc_buf b = {0};
  FUZZ_CHECK(rc_encode_published(&p, &b) == RC_OK || b.oom);
  fuzz_same_bytes("rc_parse_published", &b, buf, len);
  rc_buf_free(&b);
  int mrc = rc_published_check_manifest(&p, &manifest, &err);
  FUZZ_CHECK(mrc == RC_OK || mrc == RC_ERR_SYNTAX || mrc == RC_ERR_ORDER);

  /* figures as (num, den) pairs: neighbours and a few fixed pairs */
  for (size_t i = 0; i < p.nfigs; i++) {
    const struct rc_figure *f = &p.figs[i];
    FUZZ_CHECK((unsigned)f->kind < RC_FIG__COUNT);
    FUZZ_CHECK(f->line >= 3);
    if (f->kind == RC_FIG_SHARE || f->kind == RC_FIG_TURNOUT) {
      struct rc_buf t = {0};
      rc_percent_encode(&f->pct, &t);
      if (!t.oom) {
        /* the text re-parses to the same percent via a one-figure text */
        struct rc_buf doc = {0};
        rc_buf_puts(&doc, "recount published v1\nelection e\nturnout ");
        rc_buf_put(&doc, t.p, t.len);
        rc_buf_putc(&doc, '\n');
        struct rc_published p2;
        if (!doc.oom) {
          FUZZ_CHECK(rc_parse_published(doc.p, doc.len, &p2, &err) == RC_OK);
          FUZZ_CHECK(p2.figs[0].pct.units == f->pct.units &&
                     p2.figs[0].pct.decimals == f->pct.decimals);
          rc_published_free(&p2);
        }
        rc_buf_free(&doc);
      }
      rc_buf_free(&t);
      uint64_t num = 0, den = 0;
      for (size_t k = 0; k < p.nfigs; k++) {
        if (p.figs[k].kind == RC_FIG_SHARE || p.figs[k].kind == RC_FIG_TURNOUT)
          continue;
        if (!num) num = p.figs[k].count;
        else if (!den) den = p.figs[k].count;
      }
      check_percent(&f->pct, num, den);
      check_percent(&f->pct, den, num);
      check_percent(&f->pct, num, num);
    } else {
      uint64_t c = f->count;
      FUZZ_CHECK(c < RC_COUNT_LIMIT);
      uint64_t o = i + 1 < p.nfigs ? p.figs[i + 1].count : 1;
      check_ratio(c, o, (uint8_t)(i % 5));
      check_ratio(o, c, (uint8_t)((i + 2) % 5));
      check_ratio(UINT64_MAX - c, 1 + o, 4);
    }
  }
  rc_published_free(&p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  init();
  check_published(data, size);
  struct rc_note n;
  struct rc_error err;
  if (rc_note_parse(data, size, &n, &err) == RC_OK) {
    uint8_t *text = fuzz_copy(n.text, n.textlen);
    if (text) {
      check_published(text, n.textlen);
      free(text);
    }
  }
  return 0;
}
