/* witness_opts.c — parsing --witness, --quorum and --now (witness_opts.h). */
#include "witness_opts.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cosig.h"
#include "ed25519.h"
#include "text.h"

static int load_key(const char *arg, struct witness_opts *w) {
  struct rc_vkey *k = &w->keys[w->n];
  char *name = w->names[w->n];
  struct rc_error err;
  struct stat st;
  if (stat(arg, &st) == 0 || errno != ENOENT) {
    if (rc_cosig_vkey_read_file(arg, k, name, &err) != RC_OK) {
      fprintf(stderr, "recount-verify: --witness %s: %s\n", arg, err.msg);
      return -1;
    }
  } else {
    if (rc_cosig_vkey_parse(arg, strlen(arg), k, &err) != RC_OK) {
      fprintf(stderr,
              "recount-verify: --witness %s: no such file, and not a "
              "witness key: %s: %s\n",
              arg, err.field, err.msg);
      return -1;
    }
    memcpy(name, k->name, k->namelen);
    name[k->namelen] = 0;
    k->name = name;
  }
  if (rc_pubkey_check(k->pk) != RC_KEY_GOOD) {
    fprintf(stderr, "recount-verify: --witness %s: the key is %s\n", arg,
            rc_key_class_str(rc_pubkey_check(k->pk)));
    return -1;
  }
  for (size_t j = 0; j < w->n; j++)
    if (!memcmp(w->keys[j].pk, k->pk, 32) ||
        (w->keys[j].namelen == k->namelen &&
         !memcmp(w->keys[j].name, k->name, k->namelen))) {
      fprintf(stderr,
              "recount-verify: --witness %s: the same witness (key or "
              "name) is given twice\n",
              arg);
      return -1;
    }
  w->n++;
  return 0;
}

static int parse_num(const char *opt, const char *s, unsigned digits,
                     uint64_t *v) {
  if (rc_parse_u64(s, strlen(s), digits, v) != 0) {
    fprintf(stderr, "recount-verify: %s takes a number, not '%s'\n", opt, s);
    return -1;
  }
  return 0;
}

int witness_opt(int argc, char **argv, int *i, struct witness_opts *w) {
  const char *a = argv[*i];
  int has = *i + 1 < argc;
  if (!strcmp(a, "--witness") && has) {
    if (w->n == RC_MAX_WITNESSES) {
      fprintf(stderr, "recount-verify: more than %d --witness keys\n",
              RC_MAX_WITNESSES);
      return -1;
    }
    return load_key(argv[++*i], w) == 0 ? 1 : -1;
  }
  if (!strcmp(a, "--quorum") && has) {
    uint64_t v;
    if (parse_num("--quorum", argv[++*i], 4, &v) != 0) return -1;
    w->quorum = (long)v;
    return 1;
  }
  if (!strcmp(a, "--now") && has) {
    if (parse_num("--now", argv[++*i], 19, &w->now) != 0) return -1;
    w->have_now = 1;
    return 1;
  }
  return 0;
}

int witness_opts_finish(struct witness_opts *w, size_t *quorum, uint64_t *now) {
  if (w->quorum > (long)w->n) {
    fprintf(stderr,
            "recount-verify: --quorum %ld is more than the %zu --witness "
            "keys given\n",
            w->quorum, w->n);
    return -1;
  }
  *quorum = w->quorum < 0 ? w->n : (size_t)w->quorum;
  *now = w->have_now ? w->now : (uint64_t)time(NULL);
  return 0;
}
