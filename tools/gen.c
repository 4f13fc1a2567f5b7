/* recount-gen — deterministic record generator.
 *
 *   recount-gen krd --csv districts.csv --out RECORD --anchor-out VKEY
 *                   [--keys-out FILE] [--preliminary-out RECORD]
 *       the 2017 Kurdistan Region referendum record from the district
 *       table: every district's figures are spread over its stations so
 *       that each station balances and every column sums exactly.
 *       (v1.1) With --preliminary-out, also the preliminary release of
 *       polling night: 60 % of each district's stations (the first by
 *       id), published in the table's row order (the region's districts
 *       first, the diaspora last), with its own published.note of the
 *       partial figures; the final log extends its log.
 *   recount-gen synthetic --sheets N --districts D --out RECORD
 *                   --anchor-out VKEY
 *       a large synthetic record for benchmarks (not committed).
 *
 * Everything is derived from SEED below: station keys are TEST KEYS,
 * published so that anyone can regenerate the record byte for byte.
 * Station-level figures are synthetic; only the regional totals are real.
 * Commitments (districts.txt, log.txt, checkpoint) are computed here directly
 * from the generated leaves; the tests check that `recount-sign commit` and
 * `recount-verify` recompute exactly the same bytes. */

#include "gen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "ed25519.h"
#include "hash.h"
#include "text.h"
#include "fileio.h"
#include "texts.h"

static const char *arg(int argc, char **argv, const char *name) {
  for (int i = 0; i + 1 < argc; i++)
    if (!strcmp(argv[i], name)) return argv[i + 1];
  return NULL;
}

static int cmp_cstr(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int gen_krd(int argc, char **argv) {
  const char *csv = arg(argc, argv, "--csv"), *out = arg(argc, argv, "--out");
  const char *anchor = arg(argc, argv, "--anchor-out");
  const char *keys_out = arg(argc, argv, "--keys-out");
  const char *pre_out = arg(argc, argv, "--preliminary-out");
  if (!csv || !out || !anchor) {
    fprintf(stderr, "usage: recount-gen krd --csv FILE --out RECORD "
                    "--anchor-out VKEY [--keys-out FILE] "
                    "[--preliminary-out RECORD]\n");
    return 2;
  }
  size_t nd = 0;
  struct drow *rows = gen_read_table(csv, &nd);
  if (!rows) return 2;
  struct gen g;
  int status = 2;
  struct rc_buf stations = {0}, m = {0}, pub = {0}, pubn = {0};
  if (gen_setup(&g, out, "TEST-KEY.khec.example/krd-2017")) goto out;
  g.list_keys = keys_out != NULL;
  struct prelim pre = {.out = pre_out};
  char psheets[4096];
  snprintf(psheets, sizeof psheets, "%s/sheets", pre_out ? pre_out : "");
  if (pre_out && (gen_mkdir_new(pre_out) || gen_mkdir_new(psheets))) goto out;
  rc_merkle_stream_init(&pre.election);
  if (pre_out) g.pre = &pre;
  static const char *const choices[] = {"yes", "no"};
  const char *election = "krd-2017", *origin = "khec.example/krd-2017";
  for (size_t d = 0; d < nd; d++) {
    const struct drow *r = &rows[d];
    /* the diaspora row has no physical stations: 20 electronic ones */
    size_t n = r->stations ? (size_t)r->stations : 20;
    struct sfig *s = calloc(n, sizeof *s);
    char **ids = calloc(n, sizeof *ids);
    uint64_t rng = gen_seed(r->id);
    int ok = s && ids && gen_spread(r, n, &rng, s) == 0;
    for (size_t i = 0; ok && i < n; i++) {
      ids[i] = malloc(RC_ID_MAX + 1);
      if (!ids[i]) ok = 0;
      else
        snprintf(ids[i], RC_ID_MAX + 1, "%s.%s%04zu", r->id,
                 r->stations ? "" : "e", i + 1);
    }
    if (ok) qsort(ids, n, sizeof *ids, cmp_cstr);
    /* the preliminary release: 60 % of each district's stations */
    size_t npre = g.pre ? (n * 3 + 4) / 5 : 0;
    if (ok)
      ok = gen_emit_district(&g, election, r->id, choices, 2, n, ids, s,
                             &stations, npre, r->order) == 0;
    for (size_t i = 0; ids && i < n; i++) free(ids[i]);
    free(ids);
    free(s);
    if (!ok) {
      fprintf(stderr, "recount-gen: district %s failed\n", r->id);
      goto out;
    }
  }
  rc_buf_printf(&m, "recount manifest v1\nelection %s\norigin %s\n", election,
                origin);
  rc_buf_puts(&m, "title 2017 Kurdistan Region independence referendum — "
                  "ڕیفراندۆمی سەربەخۆیی کوردستان (SYNTHETIC station-level "
                  "record: only the regional totals are real)\n");
  rc_buf_puts(&m, "choice yes Yes — بەڵێ — نعم\n");
  rc_buf_puts(&m, "choice no No — نەخێر — لا\n");
  for (size_t d = 0; d < nd; d++)
    rc_buf_printf(&m, "district %s %s\n", rows[d].id, rows[d].name);
  rc_buf_puts(&m, "witness ");
  gen_vkey_line(&m, g.witness);
  rc_buf_putc(&m, '\n');
  rc_buf_put(&m, stations.p, stations.len);
  if (gen_finish(&g, &m, origin, anchor)) goto out;
  if (pre_out && gen_finish_prelim(&g, &m, origin)) goto out;
  /* published figures: the commission's declaration of 27 Sep 2017 */
  rc_buf_puts(&pub,
              "recount published v1\nelection krd-2017\nregistered 4581255\n"
              "ballots 3305925\ninvalid 40011\nblank 9368\nexcluded 170611\n"
              "valid 3085935\nvote yes 2861471\nvote no 224464\n"
              "share yes 92.73\nshare no 7.27\nturnout 72.16\n");
  if (gen_sign_append(&pubn, g.commission, pub.p, pub.len) ||
      gen_write_out(out, "published.note", &pubn))
    goto out;
  if (keys_out) {
    struct rc_error err;
    if (rc_write_atomic(keys_out, g.keys.p, g.keys.len, 0644, 0, &err)) {
      fprintf(stderr, "recount-gen: %s\n", err.msg);
      goto out;
    }
  }
  status = 0;
out:
  gen_teardown(&g);
  rc_buf_free(&stations);
  rc_buf_free(&m);
  rc_buf_free(&pub);
  rc_buf_free(&pubn);
  free(rows);
  return status;
}

static int gen_synthetic(int argc, char **argv) {
  const char *out = arg(argc, argv, "--out");
  const char *anchor = arg(argc, argv, "--anchor-out");
  const char *ns = arg(argc, argv, "--sheets"),
             *ds = arg(argc, argv, "--districts");
  const char *keys_out = arg(argc, argv, "--keys-out");
  int maxc = 0;
  for (int i = 0; i < argc; i++)
    if (!strcmp(argv[i], "--max-counts")) maxc = 1;
  uint64_t nsheets = 0, ndist = 0;
  if (!out || !anchor || !ns || rc_parse_u64(ns, strlen(ns), 0, &nsheets) ||
      !nsheets || (ds && (rc_parse_u64(ds, strlen(ds), 0, &ndist) || !ndist))) {
    fprintf(stderr, "usage: recount-gen synthetic --sheets N [--districts D] "
                    "--out RECORD --anchor-out VKEY [--keys-out FILE] "
                    "[--max-counts]\n");
    return 2;
  }
  if (!ndist) ndist = 100;
  if (ndist > nsheets) ndist = nsheets;
  struct gen g;
  int status = 2;
  struct rc_buf stations = {0}, m = {0};
  if (gen_setup(&g, out, "TEST-KEY.bench.example/commission")) goto out;
  g.list_keys = keys_out != NULL;
  static const char *const choices[] = {"yes", "no"};
  rc_buf_printf(&m,
                "recount manifest v1\nelection bench\norigin "
                "bench.example/synthetic\ntitle Synthetic test record "
                "(%llu sheets)\nchoice yes Yes\nchoice no No\n",
                (unsigned long long)nsheets);
  uint64_t per = nsheets / ndist, extra = nsheets % ndist;
  for (uint64_t d = 0; d < ndist; d++)
    rc_buf_printf(&m, "district d%05llu District %llu\n", (unsigned long long)d,
                  (unsigned long long)d);
  rc_buf_puts(&m, "witness ");
  gen_vkey_line(&m, g.witness);
  rc_buf_putc(&m, '\n');
  struct sfig tot = {0};
  uint64_t rng = gen_seed("synthetic");
  for (uint64_t d = 0; d < ndist; d++) {
    size_t n = (size_t)(per + (d < extra ? 1 : 0));
    struct sfig *s = calloc(n, sizeof *s);
    char **ids = calloc(n, sizeof *ids);
    int ok = s && ids;
    for (size_t i = 0; ok && i < n; i++) {
      s[i].registered = 300 + gen_rand(&rng) % 250;
      s[i].ballots = s[i].registered * (50 + gen_rand(&rng) % 40) / 100;
      s[i].invalid = s[i].ballots / 100;
      s[i].blank = s[i].ballots / 300;
      s[i].excluded = s[i].ballots / 50;
      uint64_t valid = s[i].ballots - s[i].invalid - s[i].blank - s[i].excluded;
      s[i].votes[1] = valid * (gen_rand(&rng) % 30) / 100;
      s[i].votes[0] = valid - s[i].votes[1];
      if (maxc) {
        /* each figure at the largest count allowed: the sums overflow
         * 64 bits after 18,447 sheets */
        memset(&s[i], 0, sizeof s[i]);
        s[i].registered = s[i].ballots = s[i].votes[0] = RC_COUNT_LIMIT - 1;
      }
      tot.registered += s[i].registered;
      tot.ballots += s[i].ballots;
      tot.invalid += s[i].invalid;
      tot.blank += s[i].blank;
      tot.excluded += s[i].excluded;
      tot.votes[0] += s[i].votes[0];
      tot.votes[1] += s[i].votes[1];
      ids[i] = malloc(48);
      if (!ids[i]) ok = 0;
      else snprintf(ids[i], 48, "s%05llu.%07zu", (unsigned long long)d, i);
    }
    char did[32];
    snprintf(did, sizeof did, "d%05llu", (unsigned long long)d);
    if (ok)
      ok = gen_emit_district(&g, "bench", did, choices, 2, n, ids, s, &stations,
                             0, 0) == 0;
    for (size_t i = 0; ids && i < n; i++) free(ids[i]);
    free(ids);
    free(s);
    if (!ok) goto out;
  }
  rc_buf_put(&m, stations.p, stations.len);
  if (gen_finish(&g, &m, "bench.example/synthetic", anchor)) goto out;
  if (!maxc) {
    /* published figures equal to the totals, percents at 2 decimals */
    struct rc_buf pub = {0}, pubn = {0};
    uint64_t valid = tot.votes[0] + tot.votes[1];
    rc_buf_printf(
        &pub,
        "recount published v1\nelection bench\nregistered "
        "%llu\nballots %llu\ninvalid %llu\nblank %llu\n"
        "excluded %llu\nvalid %llu\nvote yes %llu\nvote no "
        "%llu\n",
        (unsigned long long)tot.registered, (unsigned long long)tot.ballots,
        (unsigned long long)tot.invalid, (unsigned long long)tot.blank,
        (unsigned long long)tot.excluded, (unsigned long long)valid,
        (unsigned long long)tot.votes[0], (unsigned long long)tot.votes[1]);
    struct rc_percent pc;
    const uint64_t num[3] = {tot.votes[0], tot.votes[1], tot.ballots};
    const uint64_t den[3] = {valid, valid, tot.registered};
    const char *lbl[3] = {"share yes ", "share no ", "turnout "};
    for (int i = 0; i < 3; i++) {
      if (rc_percent_from_ratio(num[i], den[i], 2, &pc) != 0) continue;
      rc_buf_puts(&pub, lbl[i]);
      rc_percent_encode(&pc, &pub);
      rc_buf_putc(&pub, '\n');
    }
    int bad = gen_sign_append(&pubn, g.commission, pub.p, pub.len) ||
              gen_write_out(out, "published.note", &pubn);
    rc_buf_free(&pub);
    rc_buf_free(&pubn);
    if (bad) goto out;
  }
  if (keys_out) {
    struct rc_error err;
    if (rc_write_atomic(keys_out, g.keys.p, g.keys.len, 0644, 0, &err)) {
      fprintf(stderr, "recount-gen: %s\n", err.msg);
      goto out;
    }
  }
  status = 0;
out:
  gen_teardown(&g);
  rc_buf_free(&stations);
  rc_buf_free(&m);
  return status;
}

static const char *gen_usage =
    "usage: recount-gen krd --csv FILE --out RECORD ... (see tools/gen.c)\n"
    "       recount-gen synthetic --sheets N ... (see tools/gen.c)\n"
    "       recount-gen --version\n";

int main(int argc, char **argv) {
  if (rc_args_split(&argc, &argv) != 0) return 2;
  if (rc_args_version(argc, argv, "recount-gen")) return 0;
  for (int i = 1; i < argc; i++)
    if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
      fputs(gen_usage, stdout);
      return 0;
    }
  if (rc_crypto_init() != 0 || rc_hash_init() != RC_OK) return 2;
  if (argc >= 2 && !strcmp(argv[1], "krd")) return gen_krd(argc - 2, argv + 2);
  if (argc >= 2 && !strcmp(argv[1], "synthetic"))
    return gen_synthetic(argc - 2, argv + 2);
  fprintf(stderr, "usage: recount-gen krd|synthetic ... (see tools/gen.c)\n");
  return 2;
}
