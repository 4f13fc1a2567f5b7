/* report.c — the report module: every result of the library that a
 * program shows goes through here (the record check as JSON, findings,
 * the receipt check; the human report is in report_human.c, the CSV
 * tables in csv_report.c). Escaping lives here: JSON strings, and the
 * terminal escaping of every byte that comes from a record. */
#include "report.h"

#include <stdlib.h>
#include <string.h>

#include "b64.h"
#include "report_witness.h"
#include "version.h"
#include "report_observed.h"

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if invalid; *cp
 * gets the code point. */
static size_t utf8_seq(const unsigned char *s, uint32_t *cpo) {
  unsigned char c = s[0];
  if (c < 0x80) {
    *cpo = c;
    return 1;
  }
  size_t n;
  uint32_t cp;
  if ((c & 0xE0) == 0xC0) n = 2, cp = c & 0x1Fu;
  else if ((c & 0xF0) == 0xE0) n = 3, cp = c & 0x0Fu;
  else if ((c & 0xF8) == 0xF0) n = 4, cp = c & 0x07u;
  else return 0;
  for (size_t i = 1; i < n; i++) {
    if ((s[i] & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (s[i] & 0x3Fu);
  }
  if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) ||
      (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
      (cp >= 0xD800 && cp <= 0xDFFF))
    return 0;
  *cpo = cp;
  return n;
}

void rc_json_str(FILE *out, const char *str) {
  const unsigned char *s = (const unsigned char *)str;
  fputc('"', out);
  while (*s) {
    unsigned char c = *s;
    uint32_t cp;
    if (c == '"' || c == '\\') {
      fputc('\\', out);
      fputc(c, out);
      s++;
    } else if (c == '\n') {
      fputs("\\n", out);
      s++;
    } else if (c < 0x20 || c == 0x7f) {
      fprintf(out, "\\u%04x", c);
      s++;
    } else {
      size_t n = utf8_seq(s, &cp);
      if (n == 0) {
        fputs("\\ufffd", out);
        s++;
      } else {
        fwrite(s, 1, n, out);
        s += n;
      }
    }
  }
  fputc('"', out);
}

/* Code points a terminal acts on or that reorder what is shown: C1
 * controls (U+0080..U+009F, e.g. CSI) and the bidi embeddings, overrides
 * and isolates. */
static int term_unsafe(uint32_t cp) {
  return (cp >= 0x80 && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E || cp == 0x200F ||
         cp == 0x061C;
}

void rc_put_esc(FILE *out, const char *str) {
  const unsigned char *s = (const unsigned char *)(str ? str : "");
  while (*s) {
    uint32_t cp;
    size_t n = *s < 0x20 || *s == 0x7f || *s == '\\' ? 0 : utf8_seq(s, &cp);
    if (n && !term_unsafe(cp)) {
      fwrite(s, 1, n, out);
      s += n;
    } else if (*s == '\\') {
      fputs("\\\\", out);
      s++;
    } else {
      /* the bytes of an unsafe sequence, or one invalid byte */
      size_t k = n ? n : 1;
      for (size_t i = 0; i < k; i++) fprintf(out, "\\x%02x", s[i]);
      s += k;
    }
  }
}

/* A ring of buffers for escaped short strings inside one fprintf. */
#define ESC_RING 6
#define ESC_CAP (4 * 4096 + 1)
const char *rc_esc(const char *str) {
  static char ring[ESC_RING][ESC_CAP];
  static unsigned next;
  char *buf = ring[next++ % ESC_RING];
  FILE *f = fmemopen(buf, ESC_CAP, "w");
  if (!f) return "?";
  setvbuf(f, NULL, _IONBF, 0);
  rc_put_esc(f, str);
  fputc(0, f);
  fclose(f);
  buf[ESC_CAP - 1] = 0;
  return buf;
}

/* ---- JSON ---- */

static void json_totals(FILE *out, const struct rc_totals *t,
                        const struct rc_manifest *m) {
  fprintf(out,
          "{\"registered\":%llu,\"ballots\":%llu,\"invalid\":%llu,"
          "\"blank\":%llu,\"excluded\":%llu,\"valid\":%llu,\"votes\":{",
          (unsigned long long)t->registered, (unsigned long long)t->ballots,
          (unsigned long long)t->invalid, (unsigned long long)t->blank,
          (unsigned long long)t->excluded, (unsigned long long)t->valid);
  for (size_t c = 0; m && c < m->nchoices; c++) {
    if (c) fputc(',', out);
    rc_json_str(out, m->choices[c].id);
    fprintf(out, ":%llu", (unsigned long long)t->votes[c]);
  }
  fputs("}}", out);
}

const char *rc_crypto_str(enum rc_crypto_mode mode) {
  return mode == RC_CRYPTO_SODIUM    ? "libsodium"
         : mode == RC_CRYPTO_OPENSSL ? "openssl"
                                     : "both";
}

void rc_key_label(const struct rc_vkey *k, char *out, size_t n) {
  snprintf(out, n, "%.*s+%02x%02x%02x%02x", (int)k->namelen, k->name, k->id[0],
           k->id[1], k->id[2], k->id[3]);
}

static void json_head(FILE *out) {
  fputs("{\"format\":\"recount-report/v1.1\",\"tool\":", out);
  rc_json_str(out, RC_TOOL);
}

void rc_report_json_error(FILE *out, const char *reason) {
  json_head(out);
  fputs(",\"verdict\":\"error\",\"reason\":", out);
  rc_json_str(out, reason);
  fputs("}\n", out);
}

static void json_completeness(FILE *out, const struct rc_record_report *rep,
                              const struct rc_manifest *m) {
  const struct rc_completeness *c = &rep->completeness;
  fprintf(out,
          ",\"completeness\":{\"stations\":%llu,\"counted\":%llu,"
          "\"without_sheet\":%llu,\"rejected\":%llu,"
          "\"registered_uncounted\":%llu,\"leader\":",
          (unsigned long long)c->stations, (unsigned long long)c->counted,
          (unsigned long long)c->without_sheet, (unsigned long long)c->rejected,
          (unsigned long long)c->registered_uncounted);
  if (m && m->nchoices && rep->station_status && c->leader >= 0)
    rc_json_str(out, m->choices[c->leader].id);
  else fputs("null", out);
  fprintf(out, ",\"margin\":%llu,\"outcome_can_change\":%s}",
          (unsigned long long)c->margin,
          c->outcome_can_change ? "true" : "false");
}

static void json_districts(FILE *out, const struct rc_record_report *rep,
                           const struct rc_manifest *m) {
  fputs(",\"districts\":[", out);
  for (size_t d = 0; m && rep->districts && d < m->ndistricts; d++) {
    const struct rc_district_result *dr = &rep->districts[d];
    char root[48];
    rc_b64_encode(dr->root, 32, root);
    if (d) fputc(',', out);
    fputs("{\"id\":", out);
    rc_json_str(out, m->districts[d].id);
    fprintf(out,
            ",\"stations\":%llu,\"sheets\":%llu,\"root\":\"%s\","
            "\"totals\":",
            (unsigned long long)dr->stations, (unsigned long long)dr->sheets,
            root);
    json_totals(out, &dr->totals, m);
    fputc('}', out);
  }
  fputc(']', out);
}

void rc_fig_line(const struct rc_figure *f, char *out, size_t n) {
  struct rc_buf b = {0};
  if (f->district[0]) rc_buf_printf(&b, "district %s ", f->district);
  rc_buf_puts(&b, rc_fig_str(f->kind));
  if (f->choice[0]) rc_buf_printf(&b, " %s", f->choice);
  rc_buf_putc(&b, ' ');
  if (f->kind == RC_FIG_SHARE || f->kind == RC_FIG_TURNOUT)
    rc_percent_encode(&f->pct, &b);
  else rc_buf_printf(&b, "%llu", (unsigned long long)f->count);
  snprintf(out, n, "%.*s", b.oom ? 1 : (int)b.len,
           b.oom ? "?" : (const char *)b.p);
  rc_buf_free(&b);
}

void rc_fig_recomputed(const struct rc_fig_result *r, char *out, size_t n) {
  if (r->fig.kind != RC_FIG_SHARE && r->fig.kind != RC_FIG_TURNOUT) {
    snprintf(out, n, "%llu", (unsigned long long)r->num);
    return;
  }
  struct rc_percent got;
  if (rc_percent_from_ratio(r->num, r->den, r->fig.pct.decimals, &got)) {
    snprintf(out, n, "undefined (%llu / %llu)", (unsigned long long)r->num,
             (unsigned long long)r->den);
    return;
  }
  struct rc_buf b = {0};
  rc_percent_encode(&got, &b);
  snprintf(out, n, "%.*s", b.oom ? 1 : (int)b.len,
           b.oom ? "?" : (const char *)b.p);
  rc_buf_free(&b);
}

static void json_published(FILE *out, const struct rc_record_report *rep) {
  if (!rep->have_published) {
    fputs(",\"published\":null", out);
    return;
  }
  fputs(",\"published\":[", out);
  for (size_t i = 0; i < rep->nfigs; i++) {
    const struct rc_fig_result *r = &rep->figs[i];
    char line[256], got[96];
    rc_fig_line(&r->fig, line, sizeof line);
    rc_fig_recomputed(r, got, sizeof got);
    fputs(i ? ",{\"figure\":" : "{\"figure\":", out);
    rc_json_str(out, line);
    fputs(",\"recomputed\":", out);
    rc_json_str(out, got);
    fprintf(out, ",\"ok\":%s}", r->ok ? "true" : "false");
  }
  fputc(']', out);
}

static void json_findings(FILE *out, const struct rc_record_report *rep) {
  fputs(",\"findings\":[", out);
  for (size_t i = 0; i < rep->nfindings; i++) {
    const struct rc_finding *f = &rep->findings[i];
    if (i) fputc(',', out);
    fprintf(out, "{\"code\":\"%s\",\"severity\":\"%s\"", rc_code_str(f->code),
            rc_severity_str(rc_code_severity(f->code)));
    if (f->district) {
      fputs(",\"district\":", out);
      rc_json_str(out, f->district);
    }
    if (f->station) {
      fputs(",\"station\":", out);
      rc_json_str(out, f->station);
    }
    if (f->file) {
      fputs(",\"file\":", out);
      rc_json_str(out, f->file);
    }
    if (f->line) fprintf(out, ",\"line\":%zu", f->line);
    fputs(",\"message\":", out);
    rc_json_str(out, f->message);
    fputc('}', out);
  }
  fputc(']', out);
}

/* The sections other modules add, in RECORD.md §6's order, between
 * "published" and "findings": each writes ,"name":value or nothing.
 * One line per section here:
 *   log        cli/report_log.c
 *   witnesses  cli/report_witness.c
 *   observed   cli/report_observed.c */
static void json_sections(FILE *out, const struct rc_record_report *rep) {
  rc_report_json_log(out, rep);
  rc_report_witnesses_json(out, rep);
  rc_report_observed_json(out, rep);
}

void rc_report_json(FILE *out, const struct rc_record_report *rep,
                    const struct rc_vkey *anchor) {
  const struct rc_manifest *m = rep->have_manifest ? &rep->manifest : NULL;
  char key[RC_KEYNAME_MAX + 16];
  rc_key_label(anchor, key, sizeof key);
  json_head(out);
  fputs(",\"election\":", out);
  rc_json_str(out, m ? m->election : "");
  fputs(",\"anchor\":", out);
  rc_json_str(out, key);
  fprintf(out, ",\"crypto\":\"%s\",\"verdict\":\"%s\",\"totals\":",
          rc_crypto_str(rep->mode), rc_verdict_str(rc_record_verdict(rep)));
  json_totals(out, &rep->totals, m);
  fputs(",\"uncounted\":", out);
  json_totals(out, &rep->uncounted, m);
  json_completeness(out, rep, m);
  json_districts(out, rep, m);
  json_published(out, rep);
  json_sections(out, rep);
  json_findings(out, rep);
  fputs("}\n", out);
}

/* ---- findings ---- */

void rc_report_finding(FILE *out, const struct rc_finding *f,
                       enum rc_finding_layout layout) {
  const char *sev = rc_severity_str(rc_code_severity(f->code));
  if (layout == RC_FINDING_INDENTED)
    fprintf(out, "  %-7s %s", sev, rc_code_str(f->code));
  else fprintf(out, "%s %s", sev, rc_code_str(f->code));
  if (f->district) fprintf(out, " district=%s", rc_esc(f->district));
  if (f->station) fprintf(out, " station=%s", rc_esc(f->station));
  if (f->file) {
    fprintf(out, " %s", rc_esc(f->file));
    if (f->line) fprintf(out, ":%zu", f->line);
  }
  fputs(layout == RC_FINDING_INDENTED ? "\n          " : ": ", out);
  rc_put_esc(out, f->message);
  fputc('\n', out);
}

void rc_report_findings(FILE *out, const struct rc_record_report *rep) {
  for (size_t i = 0; i < rep->nfindings; i++)
    rc_report_finding(out, &rep->findings[i], RC_FINDING_LINE);
}
