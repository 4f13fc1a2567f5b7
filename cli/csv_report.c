/* csv_report.c — `recount-verify record --csv DIR`: districts.csv and
 * stations.csv (RFC 4180: comma separated, CRLF line ends, a header row,
 * fields quoted when they hold a comma, quote or line break; UTF-8).
 * The figure columns of districts.csv add up to the report's totals; in
 * stations.csv the counted rows add up to the totals and the rejected
 * rows to "uncounted". Each file is written under a temporary name in
 * DIR, flushed to disk and then linked to its name, so a reader never
 * sees half a file and an existing file is never overwritten. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report.h"

/* A text field: quoted when needed; a leading = + - @ gets a ' so that a
 * spreadsheet shows a hostile display name instead of running it. */
static void csv_field(FILE *f, const char *s) {
  int quote = strpbrk(s, ",\"\r\n") != NULL;
  int formula = s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@';
  if (!quote && !formula) {
    fputs(s, f);
    return;
  }
  fputc('"', f);
  if (formula) fputc('\'', f);
  for (; *s; s++) {
    if (*s == '"') fputc('"', f);
    fputc(*s, f);
  }
  fputc('"', f);
}

static void csv_u64(FILE *f, uint64_t v) {
  fprintf(f, ",%llu", (unsigned long long)v);
}

static void write_districts(FILE *f, const struct rc_record_report *rep) {
  const struct rc_manifest *m = &rep->manifest;
  fputs("id,name,stations,counted,registered,ballots,invalid,blank,excluded",
        f);
  for (size_t c = 0; c < m->nchoices; c++) {
    fputc(',', f);
    csv_field(f, m->choices[c].id);
  }
  fputs("\r\n", f);
  for (size_t d = 0; d < m->ndistricts; d++) {
    const struct rc_district_result *dr = &rep->districts[d];
    const struct rc_totals *t = &dr->totals;
    csv_field(f, m->districts[d].id);
    fputc(',', f);
    csv_field(f, m->districts[d].name);
    csv_u64(f, dr->stations);
    csv_u64(f, t->sheets_counted);
    csv_u64(f, t->registered);
    csv_u64(f, t->ballots);
    csv_u64(f, t->invalid);
    csv_u64(f, t->blank);
    csv_u64(f, t->excluded);
    for (size_t c = 0; c < m->nchoices; c++) csv_u64(f, t->votes[c]);
    fputs("\r\n", f);
  }
}

static void write_stations(FILE *f, const struct rc_record_report *rep) {
  const struct rc_manifest *m = &rep->manifest;
  fputs("id,district,status,registered,ballots,invalid,blank,excluded", f);
  for (size_t c = 0; c < m->nchoices; c++) {
    fputc(',', f);
    csv_field(f, m->choices[c].id);
  }
  fputs("\r\n", f);
  for (size_t i = 0; i < m->nstations; i++) {
    const struct rc_station *st = &m->stations[i];
    uint8_t s = rep->station_status[i];
    csv_field(f, st->id);
    fputc(',', f);
    csv_field(f, m->districts[st->district].id);
    fputs(s == RC_STATION_COUNTED   ? ",counted"
          : s == RC_STATION_MISSING ? ",missing"
                                    : ",rejected",
          f);
    csv_u64(f, st->registered);
    uint64_t v[5 + RC_MAX_CHOICES];
    int known = rc_station_figures(rep, i, v);
    for (size_t k = 1; k < RC_STATION_FIGS(m); k++) {
      if (known) csv_u64(f, v[k]);
      else fputc(',', f);
    }
    fputs("\r\n", f);
  }
}

/* Writes one file of DIR atomically, never replacing name. */
static int write_file(int dfd, const char *dir, const char *name,
                      void (*fill)(FILE *, const struct rc_record_report *),
                      const struct rc_record_report *rep, char *err,
                      size_t errlen) {
  char tmp[64];
  struct stat sb;
  if (fstatat(dfd, name, &sb, AT_SYMLINK_NOFOLLOW) == 0) {
    snprintf(err, errlen, "%s/%s: already exists; not overwritten", dir, name);
    return -1;
  }
  int fd = -1;
  for (unsigned k = 0; k < 100 && fd < 0; k++) {
    snprintf(tmp, sizeof tmp, ".%s.%ld.%u.tmp", name, (long)getpid(), k);
    fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                0644);
    if (fd < 0 && errno != EEXIST) break;
  }
  if (fd < 0) {
    snprintf(err, errlen, "%s: cannot create a file: %s", dir, strerror(errno));
    return -1;
  }
  FILE *f = fdopen(fd, "w");
  if (!f) {
    close(fd);
    unlinkat(dfd, tmp, 0);
    snprintf(err, errlen, "%s: %s", dir, strerror(errno));
    return -1;
  }
  static char buf[1 << 16];
  setvbuf(f, buf, _IOFBF, sizeof buf);
  fill(f, rep);
  int bad = ferror(f) || fflush(f) != 0 || fsync(fd) != 0;
  int e = errno;
  if (fclose(f) != 0) bad = 1;
  if (!bad && linkat(dfd, tmp, dfd, name, 0) != 0) {
    e = errno;
    bad = 1;
  }
  unlinkat(dfd, tmp, 0);
  if (bad) {
    snprintf(err, errlen, "%s/%s: cannot write: %s", dir, name,
             e == EEXIST ? "it already exists; not overwritten" : strerror(e));
    return -1;
  }
  return 0;
}

/* 1 when path is dir or below it (both resolved). */
static int inside(const char *path, const char *dir) {
  size_t n = strlen(dir);
  return !strncmp(path, dir, n) &&
         (path[n] == 0 || path[n] == '/' || (n == 1 && dir[0] == '/'));
}

int rc_report_csv_precheck(const char *dir, const char *record, char *err,
                           size_t errlen) {
  const char *names[] = {"districts.csv", "stations.csv"};
  struct stat sb;
  char path[4096 + 32];
  for (size_t i = 0; i < 2; i++) {
    snprintf(path, sizeof path, "%s/%s", dir, names[i]);
    if (lstat(path, &sb) == 0) {
      snprintf(err, errlen, "%s: already exists; nothing is overwritten", path);
      return -1;
    }
  }
  /* the nearest existing ancestor of dir, resolved */
  char probe[4096];
  snprintf(probe, sizeof probe, "%s", dir);
  char *rd = NULL, *rr = realpath(record, NULL);
  while (!(rd = realpath(probe, NULL))) {
    char *slash = strrchr(probe, '/');
    if (!slash) {
      rd = realpath(".", NULL);
      break;
    }
    if (slash == probe) slash[1] = 0;
    else *slash = 0;
  }
  int bad = rd && rr && inside(rd, rr);
  free(rd);
  free(rr);
  if (bad) {
    snprintf(err, errlen,
             "%s: inside the record %s; the verifier never "
             "writes inside a record",
             dir, record);
    return -1;
  }
  return 0;
}

int rc_report_csv(const char *dir, const struct rc_record_report *rep,
                  char *err, size_t errlen) {
  if (!rep->have_manifest || !rep->districts || !rep->station_status) {
    snprintf(err, errlen,
             "%s: not written: the manifest is unusable, so there are no "
             "districts or stations to list",
             dir);
    return -1;
  }
  if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
    snprintf(err, errlen, "%s: cannot create the directory: %s", dir,
             strerror(errno));
    return -1;
  }
  int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (dfd < 0) {
    snprintf(err, errlen, "%s: cannot open the directory: %s", dir,
             strerror(errno));
    return -1;
  }
  struct stat sb;
  const char *names[] = {"districts.csv", "stations.csv"};
  for (size_t i = 0; i < 2; i++)
    if (fstatat(dfd, names[i], &sb, AT_SYMLINK_NOFOLLOW) == 0) {
      snprintf(err, errlen, "%s/%s: already exists; nothing written", dir,
               names[i]);
      close(dfd);
      return -1;
    }
  int rc =
      write_file(dfd, dir, "districts.csv", write_districts, rep, err, errlen);
  if (rc == 0)
    rc = write_file(dfd, dir, "stations.csv", write_stations, rep, err, errlen);
  if (rc == 0 && fsync(dfd) != 0) {
    snprintf(err, errlen, "%s: %s", dir, strerror(errno));
    rc = -1;
  }
  close(dfd);
  return rc;
}
