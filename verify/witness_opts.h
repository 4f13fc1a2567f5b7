/* witness_opts.h — the --witness, --quorum and --now options of
 * recount-verify (RECORD.md §6). */
#ifndef RC_VERIFY_WITNESS_OPTS_H
#define RC_VERIFY_WITNESS_OPTS_H
#include "keys.h"
#include "rc.h"

struct witness_opts {
  struct rc_vkey keys[RC_MAX_WITNESSES];
  char names[RC_MAX_WITNESSES][RC_KEYNAME_MAX + 1];
  size_t n;
  long quorum; /* -1: every witness given */
  int have_now;
  uint64_t now;
};

/* Takes argv[*i] when it is one of the options (with its value, advancing
 * *i): returns 1 taken, 0 not an option of these, -1 refused (a message
 * on stderr; exit 2). --witness VKEY is a file holding the key or the key
 * itself; a weak key, a note key or the same key twice is refused. */
int witness_opt(int argc, char **argv, int *i, struct witness_opts *w);
/* After every option: checks --quorum against the witnesses given and
 * fills the clock (time(NULL) unless --now). Returns 0 or -1. */
int witness_opts_finish(struct witness_opts *w, size_t *quorum, uint64_t *now);
#endif
