/* report_log.c — (v1.1) the release log in the reports (report.h):
 * `"log":{"size":N,"root":"<base64>"}` in the JSON report (root null when
 * the log's entries are not all sheets of the record, "log":null when
 * log.txt could not be read) and its line in the human report. */
#include <stdio.h>

#include "b64.h"
#include "report.h"
#include "text.h"

void rc_report_json_log(FILE *out, const struct rc_record_report *rep) {
  if (!rep->have_log) {
    fputs(",\"log\":null", out);
    return;
  }
  fprintf(out, ",\"log\":{\"size\":%llu,\"root\":",
          (unsigned long long)rep->log_size);
  if (rep->have_log_root) {
    char root[48];
    rc_b64_encode(rep->log_root, 32, root);
    fprintf(out, "\"%s\"}", root);
  } else {
    fputs("null}", out);
  }
}

void rc_report_human_log(FILE *out, const struct rc_record_report *rep) {
  if (!rep->have_manifest) return;
  if (!rep->have_log) {
    fputs("  release log     log.txt unusable (see the findings)\n", out);
    return;
  }
  char root[48] = "not recomputable", g[32];
  if (rep->have_log_root) rc_b64_encode(rep->log_root, 32, root);
  fprintf(out, "  release log     %s sheets in log.txt, root %s\n",
          rc_fmt_count(g, rep->log_size), root);
}
