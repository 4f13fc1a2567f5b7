/* report_log.c — (v1.1) the release log in the reports (report.h):
 * `"log":{"size":N,"root":"<base64>"}` in the JSON report (root null when
 * the log's entries are not all sheets of the record, "log":null when
 * log.txt could not be read) and its line in the human report. */
#include <stdio.h>

#include "b64.h"
#include "report.h"

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
  char root[48] = "not recomputable", n[32], g[40];
  if (rep->have_log_root) rc_b64_encode(rep->log_root, 32, root);
  int len = snprintf(n, sizeof n, "%llu", (unsigned long long)rep->log_size);
  size_t k = 0;
  for (int i = 0; i < len; i++) { /* 12,092 as the rest of the report */
    if (i && (len - i) % 3 == 0) g[k++] = ',';
    g[k++] = n[i];
  }
  g[k] = 0;
  fprintf(out, "  release log     %s sheets in log.txt, root %s\n", g, root);
}
