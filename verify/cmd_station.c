/* cmd_station.c — `recount-verify station --anchor A RECORD S [--json]
 * [--extract FILE]`: one station of a record. Its manifest line, every
 * note found for it (file:line), who signed each (the station's key, the
 * manifest's witnesses, lines by keys the manifest does not name),
 * whether it counted and, if not, why (the findings that name it).
 * --extract writes the counted note as a standalone signed note, so stock
 * tools (README: openssl) can check it; the file is written atomically
 * and never over an existing one. Exit: 0 the station's sheet counted and
 * no error names it, 1 it did not, 2 could not run. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "keys.h"
#include "note.h"
#include "record.h"
#include "report.h"

#define PROG "recount-verify station"

static const char *station_usage =
    "usage: recount-verify station --anchor FILE [--json] [--extract FILE]\n"
    "                              [--crypto both|libsodium|openssl] RECORD "
    "STATION\n";

/* Record bytes on a terminal: controls and invalid bytes escaped. */
static void put_safe(FILE *out, const char *s) {
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p < 0x20 || *p == 0x7f || (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f))
      fprintf(out, "\\x%02x", *p);
    else fputc(*p, out);
  }
}

enum role { ROLE_STATION, ROLE_WITNESS, ROLE_UNKNOWN };

struct sigview {
  enum role role;
  char name[RC_KEYNAME_MAX + 1];
  char id[9];
  int valid; /* 1 verified, 0 failed, -1 not checked (unknown key) */
};

struct noteview {
  int read_ok;
  char err[320];
  size_t nsigs;
  struct sigview sigs[RC_NOTE_MAX_SIGS];
  uint8_t *bytes; /* the note, when read */
};

static int key_match(const struct rc_sigline *l, const struct rc_vkey *k) {
  return l->namelen == k->namelen && !memcmp(l->name, k->name, k->namelen) &&
         !memcmp(l->keyid, k->id, 4);
}

/* Re-reads one note and checks each of its signature lines. */
struct viewer {
  const char *root;
  const struct rc_manifest *m; /* NULL when unreadable */
  const struct rc_vkey *key;   /* the station's, NULL when not in it */
  enum rc_crypto_mode mode;
  struct noteview v; /* one note at a time: memory stays small
                        however many notes name the station */
};

static void view_note(struct viewer *vw, const struct rc_station_note *sn) {
  const char *root = vw->root;
  const struct rc_manifest *m = vw->m;
  const struct rc_vkey *key = vw->key;
  enum rc_crypto_mode mode = vw->mode;
  struct noteview *v = &vw->v;
  free(v->bytes);
  memset(v, 0, sizeof *v);
  char path[8192];
  snprintf(path, sizeof path, "%s/%s", root, sn->file);
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  v->bytes = malloc(sn->notelen ? sn->notelen : 1);
  if (fd < 0 || !v->bytes ||
      pread(fd, v->bytes, sn->notelen, (off_t)sn->off) !=
          (ssize_t)sn->notelen) {
    snprintf(v->err, sizeof v->err, "cannot read it again: %s",
             fd < 0 ? strerror(errno) : "short read");
    if (fd >= 0) close(fd);
    return;
  }
  close(fd);
  struct rc_note n;
  struct rc_error err;
  if (rc_note_parse(v->bytes, sn->notelen, &n, &err) != RC_OK) {
    snprintf(v->err, sizeof v->err, "not a signed note: %s", err.msg);
    return;
  }
  v->read_ok = 1;
  for (size_t i = 0; i < n.nsigs; i++) {
    const struct rc_sigline *l = &n.sigs[i];
    struct sigview *s = &v->sigs[v->nsigs++];
    snprintf(s->name, sizeof s->name, "%.*s", (int)l->namelen, l->name);
    snprintf(s->id, sizeof s->id, "%02x%02x%02x%02x", l->keyid[0], l->keyid[1],
             l->keyid[2], l->keyid[3]);
    const struct rc_vkey *k = NULL;
    s->role = ROLE_UNKNOWN;
    s->valid = -1;
    if (key && key_match(l, key)) {
      k = key;
      s->role = ROLE_STATION;
    }
    for (size_t w = 0; !k && m && w < m->nwitnesses; w++)
      if (key_match(l, &m->witnesses[w])) {
        k = &m->witnesses[w];
        s->role = ROLE_WITNESS;
      }
    if (!k) continue;
    /* this one line alone against its key */
    struct rc_note one = n;
    one.nsigs = 1;
    one.sigs[0] = *l;
    struct rc_note_check res;
    s->valid = rc_note_verify(&one, k, 1, mode, &res, NULL) == RC_OK;
  }
}

static const char *role_str(enum role r) {
  return r == ROLE_STATION   ? "station"
         : r == ROLE_WITNESS ? "witness"
                             : "unknown";
}

/* Why the station's sheet did not count, in plain words. */
static const char *reason(const struct rc_record_report *rep, int counted) {
  if (counted) return NULL;
  if (!rep->have_manifest) return "the manifest could not be read";
  if (rep->look_station < 0)
    return "the station is not in the manifest, so no sheet of it counts";
  if (rep->nlook == 0) return "no count sheet for it was found";
  if (rep->look_equivocated)
    return "it signed two different sheets (equivocation); neither counts";
  int anysig = 0;
  for (size_t i = 0; i < rep->nlook; i++) anysig |= rep->look[i].sigvalid;
  if (!anysig) return "no sheet carries a valid signature by its key";
  return "its signed sheet breaks a rule of the record (see the findings)";
}

static void hexkey(const struct rc_vkey *k, char out[9]) {
  snprintf(out, 9, "%02x%02x%02x%02x", k->id[0], k->id[1], k->id[2], k->id[3]);
}

/* The station's line as the manifest has it (RECORD.md: station id
 * district registered key), NUL-terminated in b; b->oom on failure. */
static void manifest_line(const struct rc_manifest *m, long i,
                          struct rc_buf *b) {
  const struct rc_station *st = &m->stations[i];
  rc_buf_printf(b, "station %s %s ", st->id, m->districts[st->district].id);
  rc_buf_put_u64(b, st->registered);
  rc_buf_putc(b, ' ');
  rc_vkey_encode(&st->key, b);
  rc_buf_putc(b, '\0');
}

static void json_findings(FILE *out, const struct rc_record_report *rep,
                          const char *id) {
  fputs("\"findings\":[", out);
  int first = 1;
  for (size_t i = 0; i < rep->nfindings; i++) {
    const struct rc_finding *f = &rep->findings[i];
    if (!f->station || strcmp(f->station, id) != 0) continue;
    fprintf(out, "%s{\"code\":\"%s\",\"severity\":\"%s\",\"file\":",
            first ? "" : ",", rc_code_str(f->code),
            rc_severity_str(rc_code_severity(f->code)));
    if (f->file) rc_json_str(out, f->file);
    else fputs("null", out);
    fprintf(out, ",\"line\":%zu,\"message\":", f->line);
    rc_json_str(out, f->message);
    fputc('}', out);
    first = 0;
  }
  fputs("]", out);
}

static void print_json(FILE *out, const struct rc_record_report *rep,
                       const char *id, struct viewer *vw, int counted) {
  const struct rc_manifest *m = &rep->manifest;
  fputs("{\"station\":", out);
  rc_json_str(out, id);
  fprintf(out, ",\"in_manifest\":%s",
          rep->look_station >= 0 ? "true" : "false");
  if (rep->look_station >= 0) {
    const struct rc_station *st = &m->stations[rep->look_station];
    char kid[9];
    hexkey(&st->key, kid);
    fputs(",\"district\":", out);
    rc_json_str(out, m->districts[st->district].id);
    fprintf(out, ",\"registered\":%llu,\"key\":{\"name\":",
            (unsigned long long)st->registered);
    char kn[RC_KEYNAME_MAX + 1];
    snprintf(kn, sizeof kn, "%.*s", (int)st->key.namelen, st->key.name);
    rc_json_str(out, kn);
    fprintf(out, ",\"id\":\"%s\"}", kid);
    struct rc_buf b = {0};
    manifest_line(m, rep->look_station, &b);
    if (!b.oom) {
      fputs(",\"manifest_line\":", out);
      rc_json_str(out, (const char *)b.p);
    }
    rc_buf_free(&b);
  }
  fprintf(out, ",\"counted\":%s,\"reason\":", counted ? "true" : "false");
  const char *why = reason(rep, counted);
  if (why) rc_json_str(out, why);
  else fputs("null", out);
  fputs(",\"sheets\":[", out);
  for (size_t i = 0; i < rep->nlook; i++) {
    const struct rc_station_note *sn = &rep->look[i];
    fputs(i ? ",{\"file\":" : "{\"file\":", out);
    rc_json_str(out, sn->file);
    fprintf(out,
            ",\"line\":%zu,\"counted\":%s,\"station_signature_valid\":%s,"
            "\"rules_passed\":%s,\"duplicate_of\":%zu,\"signatures\":[",
            sn->line, sn->counted ? "true" : "false",
            sn->sigvalid ? "true" : "false", sn->textok ? "true" : "false",
            sn->duplicate_of);
    view_note(vw, sn);
    for (size_t s = 0; s < vw->v.nsigs; s++) {
      const struct sigview *g = &vw->v.sigs[s];
      fputs(s ? ",{\"name\":" : "{\"name\":", out);
      rc_json_str(out, g->name);
      fprintf(out, ",\"key_id\":\"%s\",\"role\":\"%s\",\"valid\":%s}", g->id,
              role_str(g->role),
              g->valid < 0 ? "null"
              : g->valid   ? "true"
                           : "false");
    }
    fputs("]}", out);
  }
  fputs("],", out);
  json_findings(out, rep, id);
  fputs("}\n", out);
}

static void print_human(FILE *out, const struct rc_record_report *rep,
                        const char *id, struct viewer *vw, int counted) {
  const struct rc_manifest *m = &rep->manifest;
  fputs("Station ", out);
  put_safe(out, id);
  if (rep->look_station >= 0) {
    const struct rc_station *st = &m->stations[rep->look_station];
    char kid[9];
    hexkey(&st->key, kid);
    fprintf(out, "\n  manifest: district %s, registered %llu, key %.*s+%s\n",
            m->districts[st->district].id, (unsigned long long)st->registered,
            (int)st->key.namelen, st->key.name, kid);
    struct rc_buf b = {0};
    manifest_line(m, rep->look_station, &b);
    if (!b.oom) fprintf(out, "  manifest line: %s\n", (const char *)b.p);
    rc_buf_free(&b);
  } else {
    fputs("\n  not in the manifest\n", out);
  }
  fprintf(out, "Sheets found: %zu\n", rep->nlook);
  for (size_t i = 0; i < rep->nlook; i++) {
    const struct rc_station_note *sn = &rep->look[i];
    fputs("  ", out);
    put_safe(out, sn->file);
    fprintf(out, ":%zu  %s", sn->line,
            sn->counted        ? "counted"
            : sn->duplicate_of ? "the same text again (a duplicate)"
                               : "not counted");
    if (sn->duplicate_of) fprintf(out, " of sheet %zu", sn->duplicate_of);
    fputc('\n', out);
    view_note(vw, sn);
    const struct noteview *v = &vw->v;
    if (!v->read_ok) fprintf(out, "    %s\n", v->err);
    for (size_t s = 0; s < v->nsigs; s++) {
      const struct sigview *g = &v->sigs[s];
      fprintf(out, "    signed by %-7s %s+%s: %s\n", role_str(g->role), g->name,
              g->id,
              g->valid < 0 ? "not checked (neither this station's key nor "
                             "a witness's)"
              : g->valid   ? "valid"
                           : "INVALID");
    }
    if (!sn->textok)
      fputs("    the text breaks a rule of the record (see the findings)\n",
            out);
  }
  int any = 0;
  for (size_t i = 0; i < rep->nfindings; i++) {
    const struct rc_finding *f = &rep->findings[i];
    if (!f->station || strcmp(f->station, id) != 0) continue;
    if (!any) fputs("Findings naming this station:\n", out);
    any = 1;
    fprintf(out, "  %s %s", rc_severity_str(rc_code_severity(f->code)),
            rc_code_str(f->code));
    if (f->file) {
      fputc(' ', out);
      put_safe(out, f->file);
      if (f->line) fprintf(out, ":%zu", f->line);
    }
    fputs("\n    ", out);
    put_safe(out, f->message);
    fputc('\n', out);
  }
  if (counted) fputs("Counted: yes\n", out);
  else fprintf(out, "Counted: no — %s\n", reason(rep, counted));
}

/* Writes len bytes to path atomically; never replaces an existing file. */
static int write_new(const char *path, const uint8_t *p, size_t len) {
  size_t n = strlen(path);
  char *tmp = malloc(n + 16);
  if (!tmp) return -1;
  memcpy(tmp, path, n);
  memcpy(tmp + n, ".tmp-XXXXXX", 12);
  int fd = mkstemp(tmp);
  int ok = fd >= 0;
  if (ok) ok = fchmod(fd, 0644) == 0;
  for (size_t w = 0; ok && w < len;) {
    ssize_t r = write(fd, p + w, len - w);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) ok = 0;
    else w += (size_t)r;
  }
  if (ok) ok = fsync(fd) == 0;
  if (fd >= 0 && close(fd) != 0) ok = 0;
  if (ok && link(tmp, path) != 0) {
    fprintf(stderr, PROG ": %s: %s; not overwritten\n", path,
            errno == EEXIST ? "the file exists" : strerror(errno));
    ok = 0;
  } else if (!ok) {
    fprintf(stderr, PROG ": %s: cannot write: %s\n", path, strerror(errno));
  }
  if (fd >= 0) unlink(tmp);
  free(tmp);
  return ok ? 0 : -1;
}

int rc_station_main(int argc, char **argv) {
  const char *anchor_path = NULL, *record = NULL, *id = NULL, *extract = NULL;
  int json = 0;
  struct rc_record_opts o = {0};
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--anchor") && i + 1 < argc) anchor_path = argv[++i];
    else if (!strcmp(a, "--extract") && i + 1 < argc) extract = argv[++i];
    else if (!strcmp(a, "--json")) json = 1;
    else if (!strcmp(a, "--crypto") && i + 1 < argc) {
      if (rc_parse_crypto_mode(argv[++i], &o.mode) != 0) {
        fputs(PROG ": --crypto takes both, libsodium or openssl\n", stderr);
        return 2;
      }
    } else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
      fputs(station_usage, stdout);
      return 0;
    } else if (a[0] == '-' && a[1]) {
      fprintf(stderr, PROG ": unknown option %s\n%s", a, station_usage);
      return 2;
    } else if (!record) record = a;
    else if (!id) id = a;
    else {
      fprintf(stderr, PROG ": one RECORD and one STATION\n%s", station_usage);
      return 2;
    }
  }
  if (!anchor_path || !record || !id) {
    fprintf(stderr,
            PROG ": --anchor FILE, RECORD and STATION are required\n"
                 "%s",
            station_usage);
    return 2;
  }
  struct rc_vkey anchor;
  char namebuf[RC_KEYNAME_MAX + 1];
  struct rc_error err;
  if (rc_vkey_read_file(anchor_path, &anchor, namebuf, &err) != RC_OK) {
    fprintf(stderr, "recount-verify: anchor %s: %s\n", anchor_path, err.msg);
    return 2;
  }
  o.anchor = &anchor;
  o.station = id;
  struct rc_record_report rep;
  if (rc_record_check(record, &o, &rep) != RC_OK || rep.fatal) {
    fprintf(stderr, "recount-verify: %s\n", rep.fatal_msg);
    rc_record_report_free(&rep);
    return 2;
  }
  int status = 2;
  struct viewer *vw = calloc(1, sizeof *vw);
  if (!vw) {
    fputs("recount-verify: out of memory\n", stderr);
    goto out;
  }
  vw->root = record;
  vw->key = rep.look_station >= 0 ? &rep.manifest.stations[rep.look_station].key
                                  : NULL;
  vw->m = rep.have_manifest ? &rep.manifest : NULL;
  vw->mode = o.mode;
  long counted = -1;
  for (size_t i = 0; i < rep.nlook && counted < 0; i++)
    if (rep.look[i].counted) counted = (long)i;
  int errors = 0;
  for (size_t i = 0; i < rep.nfindings; i++)
    if (rep.findings[i].station && !strcmp(rep.findings[i].station, id) &&
        rc_code_severity(rep.findings[i].code) == RC_SEV_ERROR)
      errors++;
  if (json) print_json(stdout, &rep, id, vw, counted >= 0);
  else print_human(stdout, &rep, id, vw, counted >= 0);
  status = counted >= 0 && !errors ? 0 : 1;
  if (extract) {
    if (counted >= 0) view_note(vw, &rep.look[counted]);
    if (counted < 0 || !vw->v.read_ok) {
      fprintf(stderr,
              PROG ": %s has no counted sheet; nothing written to "
                   "%s\n",
              id, extract);
      status = 1;
    } else if (write_new(extract, vw->v.bytes, rep.look[counted].notelen) !=
               0) {
      status = 2;
    }
  }
  if (fflush(stdout) != 0) status = 2;
out:
  if (vw) free(vw->v.bytes);
  free(vw);
  rc_record_report_free(&rep);
  return status;
}
