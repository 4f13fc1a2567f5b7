/* args.c — `--opt=value` and `--version` for every program (args.h). */
#include "args.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "version.h"

static char **split_argv; /* the copy, kept until exit */

int rc_args_split(int *argc, char ***argv) {
  int n = *argc, extra = 0, dashdash = 0;
  char **v = *argv;
  for (int i = 1; i < n; i++) {
    if (!strcmp(v[i], "--")) break;
    if (!strncmp(v[i], "--", 2) && strchr(v[i], '=')) extra++;
  }
  if (!extra) return 0;
  char **nv = calloc((size_t)n + (size_t)extra + 1, sizeof *nv);
  if (!nv) return -1;
  int k = 0;
  for (int i = 0; i < n; i++) {
    char *eq = strchr(v[i], '=');
    if (i > 0 && !dashdash && !strcmp(v[i], "--")) dashdash = 1;
    if (i > 0 && !dashdash && !strncmp(v[i], "--", 2) && eq) {
      *eq = '\0'; /* argv strings are writable (C11 5.1.2.2.1) */
      nv[k++] = v[i];
      nv[k++] = eq + 1;
    } else {
      nv[k++] = v[i];
    }
  }
  nv[k] = NULL;
  free(split_argv);
  split_argv = nv;
  *argc = k;
  *argv = nv;
  return 0;
}

int rc_args_version(int argc, char **argv, const char *prog) {
  if (argc < 2) return 0;
  if (strcmp(argv[1], "--version") != 0 && strcmp(argv[1], "-V") != 0) return 0;
  printf("%s (%s)\n", prog, RC_TOOL);
  return 1;
}
