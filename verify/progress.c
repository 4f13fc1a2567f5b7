/* progress.c — the progress line of `recount-verify record` on stderr:
 * files and sheets done, the rate and the time left (estimated from the
 * share of files done). On a terminal it appears once the run has taken
 * a second and rewrites itself at most five times a second; --progress
 * shows it from the start, one line per update, also into a file. Only
 * numbers are printed, nothing from the record. */
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int rc_progress_init(struct rc_progress_line *p, int force) {
  p->out = stderr;
  p->tty = isatty(STDERR_FILENO);
  p->force = force;
  p->start = now();
  p->last = 0;
  p->shown = 0;
  return p->tty || force;
}

static void print_line(struct rc_progress_line *p, uint64_t files,
                       uint64_t total, uint64_t notes, double t) {
  double el = t - p->start;
  double rate = el > 0 ? (double)notes / el : 0;
  fprintf(p->out,
          "%sprogress: %llu of %llu files, %llu sheets, %.0f "
          "sheets/s",
          p->tty ? "\r" : "", (unsigned long long)files,
          (unsigned long long)total, (unsigned long long)notes, rate);
  if (files > 0 && files < total) {
    double left = el * (double)(total - files) / (double)files;
    fprintf(p->out, ", about %.0f s left", left + 0.5);
  }
  fputs(p->tty ? "\033[K" : "\n", p->out);
  fflush(p->out);
  p->shown = 1;
  p->last = t;
}

void rc_progress_cb(void *ctx, const struct rc_progress *pr) {
  struct rc_progress_line *p = ctx;
  double t = now();
  if (!p->force && t - p->start < 1.0) return;
  if (p->tty && p->shown && t - p->last < 0.2) return;
  print_line(p, pr->files_done, pr->files_total, pr->notes_done, t);
}

void rc_progress_done(struct rc_progress_line *p,
                      const struct rc_record_report *rep) {
  if (p->force) {
    double t = now();
    fprintf(p->out, "%sprogress: done: %llu files, %llu sheets in %.1f s%s",
            p->tty ? "\r" : "", (unsigned long long)rep->files_read,
            (unsigned long long)rep->notes_framed, t - p->start,
            p->tty ? "\033[K\n" : "\n");
  } else if (p->shown && p->tty) {
    fputs("\r\033[K", p->out);
  }
  fflush(p->out);
}
