/* report_receipt.c — what `recount-verify receipt` shows of a receipt check
 * (engine/receipt_check.h): the human report and the JSON object
 * "recount-receipt/v1". Every byte from the receipt is escaped. */
#include <stdio.h>

#include "b64.h"
#include "report.h"
#include "text.h"
#include "report_witness.h"
#include "version.h"

static const char *verdict_str(const struct rc_receipt_result *res) {
  return res->verified ? "verified" : "not_verified";
}

void rc_report_receipt(FILE *out, const struct rc_receipt_result *res,
                       const char *file) {
  char a[32], b[32];
  fprintf(out, "Receipt %s", rc_esc(file));
  if (res->have_station)
    fprintf(out, ": station %s (district %s)", rc_esc(res->station),
            rc_esc(res->district));
  fputc('\n', out);
  if (res->have_checkpoint)
    fprintf(out, "  release log %s of %s sheets (checkpoint)\n",
            rc_esc(res->origin), rc_fmt_count(a, res->log_size));
  for (size_t i = 0; i < res->nsteps; i++) {
    const struct rc_receipt_check_step *st = &res->steps[i];
    fprintf(out, "  %s %s%s%s", st->ok ? "✓" : "✗",
            rc_receipt_step_str(st->step), st->detail[0] ? ": " : "",
            rc_esc(st->detail));
    if (st->ok && st->step == RC_RS_SHEET_INCLUDED)
      fprintf(out, ": entry %s of %s", rc_fmt_count(a, res->index + 1),
              rc_fmt_count(b, res->log_size));
    fputc('\n', out);
    if (st->ok && st->step == RC_RS_SHEET_INCLUDED && !res->station_checked)
      fputs("  - the station's signature and the sheet rules were NOT "
            "checked:\n    give --manifest with the record's manifest.note "
            "to check them\n",
            out);
    if (st->ok && st->step == RC_RS_SHEET_INCLUDED && !res->origin_checked)
      fprintf(out,
              "  - the log's origin (%s) was NOT checked: give --origin or "
              "--manifest\n    to check that this is the log of your "
              "election\n",
              rc_esc(res->origin));
  }
  rc_report_witness_list_human(out, res->witnesses, res->witness_keys,
                               res->nwitnesses, res->quorum, res->cosigned);
  if (res->have_sheet) {
    const struct rc_sheet *s = &res->sheet;
    fprintf(out,
            "\nThe sheet of station %s (election %s): registered %s, "
            "ballots %s",
            rc_esc(s->station), rc_esc(res->election),
            rc_fmt_count(a, s->registered), rc_fmt_count(b, s->ballots));
    fprintf(out, ", invalid %s", rc_fmt_count(a, s->invalid));
    fprintf(out, ", blank %s", rc_fmt_count(a, s->blank));
    fprintf(out, ", excluded %s", rc_fmt_count(a, s->excluded));
    for (size_t c = 0; c < s->nvotes; c++)
      fprintf(out, ", %s %s", rc_esc(s->votes[c].choice),
              rc_fmt_count(a, s->votes[c].count));
    fputc('\n', out);
  }
  if (!res->verified)
    fputs("\nRECEIPT NOT VERIFIED: a check above failed (✗)\n", out);
  else if (res->station_checked)
    fputs("\nRECEIPT VERIFIED: the station's registered key signed this "
          "sheet, and it is in the release log the commission signed\n",
          out);
  else
    fputs("\nRECEIPT VERIFIED: this sheet is in the release log the "
          "commission signed (the station's signature was not checked)\n",
          out);
}

void rc_report_receipt_json(FILE *out, const struct rc_receipt_result *res,
                            const char *file) {
  fputs("{\"format\":\"recount-receipt/v1\",\"tool\":", out);
  rc_json_str(out, RC_TOOL);
  fprintf(out, ",\"verdict\":\"%s\",\"file\":", verdict_str(res));
  rc_json_str(out, file);
  fputs(",\"station\":", out);
  if (res->have_station) rc_json_str(out, res->station);
  else fputs("null", out);
  fputs(",\"district\":", out);
  if (res->have_station) rc_json_str(out, res->district);
  else fputs("null", out);
  fputs(",\"election\":", out);
  if (res->have_station) rc_json_str(out, res->election);
  else fputs("null", out);
  if (res->parsed)
    fprintf(out, ",\"index\":%llu", (unsigned long long)res->index);
  else fputs(",\"index\":null", out);
  fputs(",\"log\":", out);
  if (res->have_checkpoint) {
    char root[48];
    rc_b64_encode(res->log_root, 32, root);
    fputs("{\"origin\":", out);
    rc_json_str(out, res->origin);
    fprintf(out, ",\"size\":%llu,\"root\":\"%s\"}",
            (unsigned long long)res->log_size, root);
  } else fputs("null", out);
  fprintf(out, ",\"station_checked\":%s,\"origin_checked\":%s,\"checks\":[",
          res->station_checked ? "true" : "false",
          res->origin_checked ? "true" : "false");
  for (size_t i = 0; i < res->nsteps; i++) {
    const struct rc_receipt_check_step *st = &res->steps[i];
    fprintf(out, "%s{\"id\":\"%s\",\"check\":", i ? "," : "",
            rc_receipt_step_id(st->step));
    rc_json_str(out, rc_receipt_step_str(st->step));
    fprintf(out, ",\"ok\":%s,\"detail\":", st->ok ? "true" : "false");
    rc_json_str(out, st->detail);
    fputc('}', out);
  }
  fputc(']', out);
  rc_report_witness_list_json(out, res->witnesses, res->witness_keys,
                              res->nwitnesses);
  fprintf(out, ",\"quorum\":%zu,\"cosigned\":%zu,\"sheet\":", res->quorum,
          res->cosigned);
  if (res->have_sheet) {
    const struct rc_sheet *s = &res->sheet;
    fprintf(out,
            "{\"registered\":%llu,\"ballots\":%llu,\"invalid\":%llu,"
            "\"blank\":%llu,\"excluded\":%llu,\"votes\":{",
            (unsigned long long)s->registered, (unsigned long long)s->ballots,
            (unsigned long long)s->invalid, (unsigned long long)s->blank,
            (unsigned long long)s->excluded);
    for (size_t c = 0; c < s->nvotes; c++) {
      if (c) fputc(',', out);
      rc_json_str(out, s->votes[c].choice);
      fprintf(out, ":%llu", (unsigned long long)s->votes[c].count);
    }
    fputs("}}", out);
  } else fputs("null", out);
  fputs("}\n", out);
}
