/* html_esc.c — escaping and numbers for the HTML report (html_int.h).
 * Everything from the record goes through h_esc: the report is valid
 * UTF-8 and holds no markup, control character or bidirectional override
 * that the record put there. */
#include <stdint.h>
#include <string.h>

#include "html_int.h"
#include "texts.h"

/* The length (1..4) of the valid UTF-8 sequence at s and its code point,
 * or 0 when it is not one (overlong, surrogate, beyond U+10FFFF, cut). */
static size_t utf8_seq(const unsigned char *s, uint32_t *cp) {
  unsigned char c = s[0];
  size_t n;
  uint32_t v;
  if (c < 0x80) {
    *cp = c;
    return 1;
  }
  if ((c & 0xE0) == 0xC0) n = 2, v = c & 0x1Fu;
  else if ((c & 0xF0) == 0xE0) n = 3, v = c & 0x0Fu;
  else if ((c & 0xF8) == 0xF0) n = 4, v = c & 0x07u;
  else return 0;
  for (size_t i = 1; i < n; i++) {
    if ((s[i] & 0xC0) != 0x80) return 0; /* also stops at the NUL */
    v = (v << 6) | (s[i] & 0x3Fu);
  }
  if ((n == 2 && v < 0x80) || (n == 3 && v < 0x800) ||
      (n == 4 && (v < 0x10000 || v > 0x10FFFF)) || (v >= 0xD800 && v <= 0xDFFF))
    return 0;
  *cp = v;
  return n;
}

/* Code points shown as their bytes: C1 controls, and the bidirectional
 * embeddings, overrides and isolates (U+202A-202E, U+2066-2069), which
 * would let a name reorder the text around it. */
static int shown_as_bytes(uint32_t cp) {
  return (cp >= 0x80 && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2066 && cp <= 0x2069);
}

static void esc_byte(FILE *f, unsigned char c, int markup) {
  if (markup) fprintf(f, "<span class=\"esc\">\\x%02X</span>", c);
  else fprintf(f, "\\x%02X", c);
}

static void esc(FILE *f, const char *str, int markup) {
  const unsigned char *s = (const unsigned char *)str;
  if (!s) return;
  while (*s) {
    uint32_t cp = 0;
    size_t n = utf8_seq(s, &cp);
    if (n == 0 || cp < 0x20 || cp == 0x7F || shown_as_bytes(cp)) {
      size_t k = n ? n : 1;
      for (size_t i = 0; i < k; i++) esc_byte(f, s[i], markup);
      s += k;
      continue;
    }
    switch (cp) {
    case '&': fputs("&amp;", f); break;
    case '<': fputs("&lt;", f); break;
    case '>': fputs("&gt;", f); break;
    case '"': fputs("&quot;", f); break;
    case '\'': fputs("&#39;", f); break;
    default: fwrite(s, 1, n, f);
    }
    s += n;
  }
}

void h_esc(FILE *f, const char *s) { esc(f, s, 1); }
void h_esc_plain(FILE *f, const char *s) { esc(f, s, 0); }

void h_bdi(FILE *f, const char *s) {
  fputs("<bdi>", f);
  esc(f, s, 1);
  fputs("</bdi>", f);
}

const char *h_grp(uint64_t v, char buf[32]) {
  char tmp[24];
  int n = snprintf(tmp, sizeof tmp, "%llu", (unsigned long long)v);
  int o = 0;
  for (int i = 0; i < n; i++) {
    if (i && (n - i) % 3 == 0) buf[o++] = ',';
    buf[o++] = tmp[i];
  }
  buf[o] = 0;
  return buf;
}

void h_pct(FILE *f, uint64_t num, uint64_t den, uint8_t decimals) {
  struct rc_percent p;
  if (rc_percent_from_ratio(num, den, decimals, &p) != 0) {
    fputs("–", f);
    return;
  }
  struct rc_buf b = {0};
  rc_percent_encode(&p, &b);
  if (b.oom) fputs("?", f);
  else fwrite(b.p, 1, b.len, f);
  fputs(" %", f);
  rc_buf_free(&b);
}

unsigned h_scale(uint64_t v, uint64_t max, unsigned w) {
  if (!max) return 0;
  if (v > max) v = max;
  while (max > UINT64_MAX / 4096) {
    v >>= 1;
    max >>= 1;
  }
  return (unsigned)(v * w / max);
}

uint64_t h_sat_add(uint64_t a, uint64_t b) {
  return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}
