/* pool.c — the worker pool: a batch of jobs is checked by up to 64
 * threads (sheet_check.c), then folded on the calling thread in file
 * order (stations.c), so the report does not depend on the number of
 * threads. */
#include <pthread.h>
#include <stdlib.h>

#include "engine.h"

#define MAX_THREADS 64

static void *worker(void *arg) {
  struct engine *eng = arg;
  struct rc_sheet *s = malloc(sizeof *s);
  if (!s) return (void *)1;
  for (;;) {
    size_t i = atomic_fetch_add(&eng->next, 1);
    if (i >= eng->njobs) break;
    check_job(eng, &eng->jobs[i], s);
  }
  free(s);
  return NULL;
}

void run_batch(struct engine *eng) {
  if (eng->njobs == 0) return;
  unsigned nt = eng->o->threads ? eng->o->threads : 1;
  if (nt > eng->njobs) nt = (unsigned)eng->njobs;
  if (nt > MAX_THREADS) nt = MAX_THREADS;
  atomic_store(&eng->next, 0);
  pthread_t th[MAX_THREADS];
  unsigned started = 0;
  for (unsigned i = 1; i < nt; i++) {
    if (pthread_create(&th[started], NULL, worker, eng) != 0) break;
    started++;
  }
  int oom = worker(eng) != NULL;
  for (unsigned i = 0; i < started; i++) {
    void *r;
    pthread_join(th[i], &r);
    if (r) oom = 1;
  }
  if (oom) eng->found.oom = 1;
  if (eng->o->before_fold) eng->o->before_fold(eng->o->before_fold_ctx);
  for (size_t i = 0; i < eng->njobs; i++) {
    if (eng->jobs[i].sig_store)
      sigcache_put(eng->o->sigcache, eng->jobs[i].sigkey, eng->jobs[i].sig_n);
    fold_job(eng, &eng->jobs[i]);
  }
  eng->njobs = 0;
}
