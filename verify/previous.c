/* previous.c — (v1.1) the --previous CHECKPOINT files of `record` and the
 * OLD checkpoint of `diff` (cmd.h): read whole, bounded, named in findings
 * "previous:<file name>" (never the path given, so reports do not depend
 * on where the files lie). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "read.h"

#define PREVIOUS_MAX 64

int rc_previous_add(struct rc_previous_list *pl, const char *path,
                    const char *prefix) {
  struct rc_error err;
  if (pl->n == PREVIOUS_MAX) {
    fprintf(stderr, "recount-verify: at most %d --previous checkpoints\n",
            PREVIOUS_MAX);
    return -1;
  }
  if (!pl->v) {
    pl->v = calloc(PREVIOUS_MAX, sizeof *pl->v);
    pl->bufs = calloc(PREVIOUS_MAX, sizeof *pl->bufs);
    pl->names = calloc(PREVIOUS_MAX, sizeof *pl->names);
    if (!pl->v || !pl->bufs || !pl->names) {
      fprintf(stderr, "recount-verify: out of memory\n");
      return -1;
    }
  }
  uint8_t *buf = NULL;
  size_t len = 0;
  if (rc_read_file(path, RC_SMALL_TEXT_MAX, &buf, &len, &err) != RC_OK) {
    fprintf(stderr, "recount-verify: --previous %s: %s\n", path, err.msg);
    return -1;
  }
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  size_t n = strlen(prefix) + strlen(base) + 1;
  char *name = malloc(n);
  if (!name) {
    free(buf);
    fprintf(stderr, "recount-verify: out of memory\n");
    return -1;
  }
  snprintf(name, n, "%s%s", prefix, base);
  pl->bufs[pl->n] = buf;
  pl->names[pl->n] = name;
  pl->v[pl->n] = (struct rc_previous){name, buf, len};
  pl->n++;
  return 0;
}

void rc_previous_free(struct rc_previous_list *pl) {
  for (size_t i = 0; i < pl->n; i++) {
    free(pl->bufs[i]);
    free(pl->names[i]);
  }
  free(pl->v);
  free(pl->bufs);
  free(pl->names);
  memset(pl, 0, sizeof *pl);
}
