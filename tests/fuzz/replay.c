/* replay.c — runs one fuzz harness over saved inputs, without libFuzzer.
 *
 *   replay NAME DIR...
 *
 * Calls LLVMFuzzerTestOneInput once per regular file of each DIR (not
 * recursive; a missing DIR is skipped), in bytewise name order, each input
 * in an exact-size heap buffer. A failed invariant aborts, so any crash or
 * abort fails the caller (`make fuzz-replay`, part of `make check`).
 * Prints "fuzz-replay: NAME: N inputs ok" and exits 0 when every input
 * ran. */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Reads path whole into an exact-size buffer (1 byte for an empty file). */
static uint8_t *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 4096, n = 0;
  uint8_t *p = malloc(cap);
  while (p) {
    if (n == cap) {
      uint8_t *q = realloc(p, cap * 2);
      if (!q) {
        free(p);
        p = NULL;
        break;
      }
      p = q;
      cap *= 2;
    }
    size_t r = fread(p + n, 1, cap - n, f);
    n += r;
    if (r == 0) break;
  }
  int bad = ferror(f);
  fclose(f);
  if (!p || bad) {
    free(p);
    return NULL;
  }
  uint8_t *exact = malloc(n ? n : 1);
  if (exact && n) memcpy(exact, p, n);
  free(p);
  *len = n;
  return exact;
}

/* Runs every regular file of dir; returns the count, or -1 on an error. */
static long run_dir(const char *name, const char *dir) {
  DIR *d = opendir(dir);
  if (!d) {
    if (errno == ENOENT) return 0;
    fprintf(stderr, "fuzz-replay: %s: %s: %s\n", name, dir, strerror(errno));
    return -1;
  }
  char **names = NULL;
  size_t n = 0, cap = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.') continue;
    if (n == cap) {
      cap = cap ? cap * 2 : 64;
      char **v = realloc(names, cap * sizeof *v);
      if (!v) break;
      names = v;
    }
    size_t pl = strlen(dir) + strlen(e->d_name) + 2;
    if (!(names[n] = malloc(pl))) break;
    snprintf(names[n], pl, "%s/%s", dir, e->d_name);
    n++;
  }
  closedir(d);
  if (n) qsort(names, n, sizeof *names, by_name);
  long count = 0;
  for (size_t i = 0; i < n; i++) {
    struct stat st;
    if (stat(names[i], &st) != 0 || !S_ISREG(st.st_mode)) continue;
    size_t len = 0;
    uint8_t *buf = slurp(names[i], &len);
    if (!buf) {
      fprintf(stderr, "fuzz-replay: %s: cannot read %s\n", name, names[i]);
      count = -1;
      break;
    }
    if (getenv("FUZZ_REPLAY_VERBOSE"))
      fprintf(stderr, "fuzz-replay: %s: %s\n", name, names[i]);
    (void)LLVMFuzzerTestOneInput(buf, len);
    free(buf);
    count++;
  }
  for (size_t i = 0; i < n; i++) free(names[i]);
  free(names);
  return count;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: replay NAME DIR...\n");
    return 2;
  }
  long total = 0;
  for (int i = 2; i < argc; i++) {
    long c = run_dir(argv[1], argv[i]);
    if (c < 0) return 1;
    total += c;
  }
  printf("fuzz-replay: %s: %ld inputs ok\n", argv[1], total);
  return 0;
}
