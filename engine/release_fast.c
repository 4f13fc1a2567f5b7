/* release_fast.c — (v1.1) the release log of a record whose log is in
 * order, in one pass and in little memory. release.c holds the whole of
 * log.txt, its parsed entries, a hash table and the leaves (about 140 MB
 * for a million sheets) because it must report every way a log can be
 * wrong; for a log that is right none of that is needed. Here log.txt is
 * read in blocks of whole lines; each entry's station is found in the
 * manifest (the next one first: a log is mostly in station order), the
 * entry's hash must be that of the station's one sheet text that is a
 * district-tree leaf, each such text claimed once, and the leaves are
 * hashed into the log tree as they come. When anything is other than
 * that (a line that does not parse, an unknown station, a station with
 * several texts, a hash that is not its text's, a text claimed twice or
 * not at all, --previous checkpoints or kept leaves, which need the whole
 * log) this gives up and release.c checks the log from the start: the
 * findings are release.c's, the same whatever path was tried first.
 * Memory: one block and a byte per station. */
#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine.h"
#include "log.h"

#define BLOCK (1u << 20) /* bytes of log.txt read at a time */

struct fast {
  struct engine *eng;
  uint8_t *claimed; /* per manifest station: its leaf text claimed */
  long next;        /* the station after the last entry's */
  uint64_t n;       /* entries so far */
  struct rc_merkle_stream tree;
};

/* The station's one text that is a leaf, or NULL when it has none or
 * several (then the slow path decides). */
static const struct text_entry *only_leaf(struct engine *eng, long i) {
  struct station_texts *sl = &eng->st.known[i];
  if (sl->n != 1 || sl->first.district < 0) return NULL;
  return &sl->first;
}

/* One parsed entry (id in buf). 0 when it is as it should be. */
static int entry(struct fast *f, const uint8_t *buf,
                 const struct rc_log_entry *e) {
  const struct rc_manifest *m = f->eng->m;
  const char *id = (const char *)buf + e->id_off;
  long i = f->next;
  if (i < 0 || (size_t)i >= m->nstations ||
      strlen(m->stations[i].id) != e->id_len ||
      memcmp(m->stations[i].id, id, e->id_len) != 0)
    i = rc_manifest_station(m, id, e->id_len);
  if (i < 0 || f->claimed[i]) return -1;
  const struct text_entry *t = only_leaf(f->eng, i);
  if (!t || CRYPTO_memcmp(t->sha, e->sha, 32) != 0) return -1;
  f->claimed[i] = 1;
  f->next = i + 1;
  f->n++;
  rc_merkle_stream_push(&f->tree, t->leaf);
  return 0;
}

/* Parses the whole lines buf[0..len) and takes their entries. */
static int block(struct fast *f, const uint8_t *buf, size_t len) {
  struct rc_log l;
  struct rc_error err;
  if (rc_parse_log(buf, len, &l, &err) != RC_OK) return -1;
  int rc = 0;
  if (f->n + l.n > RC_LOG_ENTRIES_MAX) rc = -1;
  for (size_t k = 0; k < l.n && rc == 0; k++) rc = entry(f, buf, &l.v[k]);
  rc_log_free(&l);
  return rc;
}

/* Reads log.txt block by block; 0 when every entry was as it should be. */
static int read_blocks(struct fast *f, int fd) {
  uint8_t *buf = malloc(BLOCK);
  size_t have = 0;
  int rc = buf ? 0 : -1;
  uint64_t total = 0;
  while (rc == 0) {
    ssize_t r = read(fd, buf + have, BLOCK - have);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) rc = -1;
    if (r <= 0) break;
    have += (size_t)r;
    total += (uint64_t)r;
    if (total > RC_LOG_FILE_MAX) rc = -1;
    uint8_t *nl = NULL;
    for (size_t k = have; k > 0 && !nl; k--)
      if (buf[k - 1] == '\n') nl = buf + k - 1;
    if (!nl) {
      if (have == BLOCK) rc = -1; /* a line longer than a block */
      continue;
    }
    size_t used = (size_t)(nl + 1 - buf);
    if (rc == 0) rc = block(f, buf, used);
    memmove(buf, buf + used, have - used);
    have -= used;
  }
  if (have) rc = -1; /* a last line without its line end */
  free(buf);
  return rc;
}

/* Every leaf text claimed, and no leaf among the unknown stations. */
static int all_claimed(const struct fast *f) {
  struct engine *eng = f->eng;
  for (size_t i = 0; i < eng->m->nstations; i++) {
    struct station_texts *sl = &eng->st.known[i];
    if (f->claimed[i]) continue;
    for (uint32_t k = 0; k < sl->n; k++)
      if (station_text(sl, k)->district >= 0) return -1;
  }
  for (size_t u = 0; u < eng->st.nunknown; u++) {
    struct station_texts *sl = &eng->st.unknown[u].texts;
    for (uint32_t k = 0; k < sl->n; k++)
      if (station_text(sl, k)->district >= 0) return -1;
  }
  return 0;
}

int release_fast(struct engine *eng) {
  if (eng->o->nprevious || eng->o->keep_leaves) return 0;
  int fd = openat(eng->rootfd, "log.txt",
                  O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return 0;
  struct stat sb;
  struct fast f = {.eng = eng, .next = 0};
  rc_merkle_stream_init(&f.tree);
  int ok = fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) &&
           (uint64_t)sb.st_size <= RC_LOG_FILE_MAX;
  if (ok) f.claimed = calloc(eng->m->nstations ? eng->m->nstations : 1, 1);
  ok = ok && f.claimed && read_blocks(&f, fd) == 0 && all_claimed(&f) == 0;
  close(fd);
  free(f.claimed);
  if (!ok) return 0;
  struct rc_record_report *rep = eng->rep;
  rep->have_log = 1;
  rep->log_size = f.n;
  rc_merkle_stream_root(&f.tree, rep->log_root);
  rep->have_log_root = 1;
  return 1;
}
