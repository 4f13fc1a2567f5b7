/* frame.c — the sheets stage: each file under sheets/ (in bytewise path
 * order, read.c) is read whole and cut into signed notes by the framing
 * rule of RECORD.md §4; each note becomes a job for the worker pool
 * (pool.c). Memory stays bounded whatever the record's size: jobs are
 * checked in batches, and a batch's file buffers are freed after it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "read.h"

/* Batch limits: bounded memory whatever the record's size. */
#define BATCH_BYTES (2u << 20)
#define BATCH_JOBS 2048u

/* The file buffers whose notes are in the current batch. */
struct buffers {
  uint8_t **v;
  size_t n, cap, bytes;
};

static int buffers_add(struct buffers *b, uint8_t *buf, size_t len) {
  if (b->n == b->cap) {
    size_t cap = b->cap ? b->cap * 2 : 16;
    uint8_t **v = realloc(b->v, cap * sizeof *v);
    if (!v) return -1;
    b->v = v;
    b->cap = cap;
  }
  b->v[b->n++] = buf;
  b->bytes += len;
  return 0;
}

static void buffers_clear(struct buffers *b) {
  for (size_t i = 0; i < b->n; i++) free(b->v[i]);
  b->n = 0;
  b->bytes = 0;
}

static struct job *push_job(struct engine *eng) {
  if (eng->njobs == eng->jobcap) {
    size_t cap = eng->jobcap ? eng->jobcap * 2 : 1024;
    struct job *v = realloc(eng->jobs, cap * sizeof *v);
    if (!v) return NULL;
    eng->jobs = v;
    eng->jobcap = cap;
  }
  struct job *j = &eng->jobs[eng->njobs++];
  memset(j, 0, sizeof *j);
  j->station = -1;
  j->district = -1;
  return j;
}

/* Cuts buf (file f) into notes, one job each. */
static void frame_file(struct engine *eng, size_t f, const uint8_t *buf,
                       size_t len) {
  const char *rel = eng->files[f];
  struct rc_error err;
  size_t pos = 0, line = 1;
  if (len == 0) /* RECORD.md 4: each file holds one or more sheets */
    findings_add(&eng->found, RC_F_SHEET_FORMAT, NULL, NULL, rel, 0,
                 "empty file: it holds no signed count sheet");
  while (pos < len) {
    size_t used = 0;
    if (rc_note_span(buf + pos, len - pos, &used, &err) != RC_OK) {
      /* the usual cause, named with its fix */
      const char *crlf =
          memmem(buf + pos, len - pos, "\r\n", 2)
              ? "this file uses Windows line endings (CRLF): lines must end "
                "with a bare newline (convert it, e.g. with dos2unix); "
              : "";
      findings_add(&eng->found, RC_F_SHEET_FORMAT, NULL, NULL, rel,
                   line + (err.line ? err.line - 1 : 0),
                   "%scannot frame a signed count sheet here: %s; the rest "
                   "of the file is not read",
                   crlf, err.msg);
      return;
    }
    struct job *j = push_job(eng);
    if (!j) {
      eng->found.oom = 1;
      return;
    }
    j->note = buf + pos;
    j->notelen = used;
    j->file = (uint32_t)f;
    j->off = pos;
    j->line = line;
    eng->rep->notes_framed++;
    for (size_t k = 0; k < used; k++)
      if (buf[pos + k] == '\n') line++;
    pos += used;
    /* a full batch is checked at once; the file's buffer is kept */
    if (eng->njobs >= BATCH_JOBS) run_batch(eng);
  }
}

void read_sheets(struct engine *eng) {
  walk_sheets(eng);
  struct buffers bufs = {0};
  for (size_t f = 0; f < eng->nfiles && !eng->found.oom; f++) {
    const char *rel = eng->files[f];
    uint8_t *buf = NULL;
    size_t len = 0;
    struct rc_error err;
    char path[8192];
    snprintf(path, sizeof path, "%s/%s", eng->root, rel);
    eng->rep->files_read++;
    if (rc_read_file_as(path, rel, RC_SHEETS_FILE_MAX, &buf, &len, &err) !=
        RC_OK) {
      if (err.code == RC_ERR_NOMEM) eng->found.oom = 1;
      findings_add(&eng->found, RC_F_SHEET_FORMAT, NULL, NULL, rel, 0, "%s",
                   err.msg);
      continue;
    }
    if (buffers_add(&bufs, buf, len) != 0) {
      free(buf);
      eng->found.oom = 1;
      break;
    }
    frame_file(eng, f, buf, len);
    if (bufs.bytes >= BATCH_BYTES || f + 1 == eng->nfiles) {
      run_batch(eng);
      buffers_clear(&bufs);
    }
  }
  run_batch(eng);
  buffers_clear(&bufs);
  free(bufs.v);
  free(eng->jobs);
  eng->jobs = NULL;
  eng->jobcap = 0;
}
