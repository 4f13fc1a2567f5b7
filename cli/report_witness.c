/* report_witness.c — the witnesses part of the record report. */
#include "report_witness.h"

#include <time.h>

#include "report.h"
#include "text.h"

static const char *status_str(enum rc_wstatus s) {
  return s == RC_W_COSIGNED  ? "cosigned"
         : s == RC_W_INVALID ? "invalid"
                             : "absent";
}

static void key_str(const struct rc_vkey *k, char *out, size_t n) {
  snprintf(out, n, "%.*s+%02x%02x%02x%02x", (int)k->namelen, k->name, k->id[0],
           k->id[1], k->id[2], k->id[3]);
}

void rc_report_witnesses_json(FILE *out, const struct rc_record_report *rep) {
  rc_report_witness_list_json(out, rep->witnesses, rep->witness_keys,
                              rep->nwitnesses);
}

void rc_report_witness_list_json(FILE *out, const struct rc_witness_result *res,
                                 const struct rc_vkey *keys, size_t n) {
  fputs(",\"witnesses\":[", out);
  for (size_t i = 0; i < n; i++) {
    const struct rc_witness_result *r = &res[i];
    char key[RC_KEYNAME_MAX + 16];
    key_str(&keys[i], key, sizeof key);
    if (i) fputc(',', out);
    fputs("{\"key\":", out);
    rc_json_str(out, key);
    fprintf(out, ",\"status\":\"%s\"", status_str(r->status));
    if (r->status == RC_W_COSIGNED)
      fprintf(out, ",\"time\":%llu", (unsigned long long)r->time);
    fputc('}', out);
  }
  fputc(']', out);
}

/* 1700000000 -> "2023-11-14 22:13:20 UTC" */
static void utc_str(uint64_t t, char *out, size_t n) {
  struct tm tm;
  time_t tt = (time_t)t;
  if (t > (uint64_t)253402300799ull || !gmtime_r(&tt, &tm) ||
      !strftime(out, n, "%Y-%m-%d %H:%M:%S UTC", &tm))
    snprintf(out, n, "%llu s after the epoch", (unsigned long long)t);
}

void rc_report_witnesses_human(FILE *out, const struct rc_record_report *rep) {
  rc_report_witness_list_human(out, rep->witnesses, rep->witness_keys,
                               rep->nwitnesses, rep->quorum, rep->cosigned);
}

void rc_report_witness_list_human(FILE *out,
                                  const struct rc_witness_result *res,
                                  const struct rc_vkey *keys, size_t n,
                                  size_t quorum, size_t cosigned) {
  if (!n) return;
  fprintf(out, "\nWitnesses (checkpoint cosignatures, tlog-cosignature/v1)\n");
  for (size_t i = 0; i < n; i++) {
    const struct rc_witness_result *r = &res[i];
    char key[RC_KEYNAME_MAX + 16], when[64];
    key_str(&keys[i], key, sizeof key);
    fprintf(out, "  %-8s %s", status_str(r->status), key);
    if (r->status == RC_W_COSIGNED) {
      utc_str(r->time, when, sizeof when);
      fprintf(out, " at %s (time %llu)", when, (unsigned long long)r->time);
    }
    fputc('\n', out);
  }
  char a[32], b[32], q[32];
  fprintf(out, "  quorum   %s of %s valid, %s required: %s\n",
          rc_fmt_count(a, cosigned), rc_fmt_count(b, n),
          rc_fmt_count(q, quorum), cosigned >= quorum ? "met" : "NOT met");
}
