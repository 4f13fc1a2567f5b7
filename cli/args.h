/* args.h — conventions every program shares: `--opt=value` is the same as
 * `--opt value`, and `--version` prints the one version (formats/
 * version.h). One call each at the top of every main. */
#ifndef RC_ARGS_H
#define RC_ARGS_H

/* Replaces *argv by a copy in which every argument "--name=value" (before
 * a "--" argument) is two arguments "--name" and "value"; the strings are
 * not copied. Returns 0, or -1 when out of memory (argv is left as it
 * was). The copy lives until the program exits. */
int rc_args_split(int *argc, char ***argv);

/* When argv[1] is --version (or -V): prints "PROG (recount VERSION)" on
 * standard output and returns 1; else returns 0. */
int rc_args_version(int argc, char **argv, const char *prog);
#endif
