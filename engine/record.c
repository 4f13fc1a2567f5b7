/* record.c — the driver of the record check (record.h): runs the stages
 * in the order their findings are reported (engine.h lists them with
 * their files) and hands the results to the report. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine.h"
#include "observed.h"

static int allocate_state(struct engine *eng) {
  const struct rc_manifest *m = eng->m;
  size_t nd = m->ndistricts;
  eng->st.known =
      calloc(m->nstations ? m->nstations : 1, sizeof *eng->st.known);
  eng->st.district_totals =
      calloc(nd ? nd : 1, sizeof *eng->st.district_totals);
  eng->rep->districts = calloc(nd ? nd : 1, sizeof *eng->rep->districts);
  return eng->st.known && eng->st.district_totals && eng->rep->districts ? 0
                                                                         : -1;
}

static void run_stages(struct engine *eng) {
  check_manifest(eng);
  if (eng->m && !eng->found.oom && allocate_state(eng) != 0) eng->found.oom = 1;
  if (eng->m && eng->o->sigcache) sigcache_prepare(eng);
  if (eng->m && !eng->found.oom) {
    read_sheets(eng);
    check_stations(eng);
    build_trees(eng);
    sum_totals(eng);
    if (!eng->found.oom) check_completeness(eng);
  }
  if (!eng->o->sheets_only && !eng->found.oom) {
    rc_hash election_root;
    int have_root = 0;
    if (eng->m) check_districts(eng, election_root, &have_root);
    check_checkpoint(eng, election_root, have_root);
    check_witnesses(eng);
    if (eng->m) check_release(eng);
    if (eng->m) reconcile_published(eng);
  }
  if (eng->m && !eng->found.oom && (eng->o->nobserved || eng->o->keep_evidence))
    check_observed(eng);
}

/* Moves the findings (and, with keep_leaves, the file list) to rep and
 * frees the rest of the engine. */
static void finish(struct engine *eng) {
  struct rc_record_report *rep = eng->rep;
  rep->look_station = -1;
  if (eng->o->station) station_look_finish(eng);
  stations_free(&eng->st, eng->m ? eng->m->nstations : 0);
  if (eng->o->keep_leaves) {
    rep->files = eng->files;
    rep->nfiles = eng->nfiles;
  } else {
    for (size_t i = 0; i < eng->nfiles; i++) free(eng->files[i]);
    free(eng->files);
  }
  free(eng->station_weak);
  close(eng->rootfd);
  rep->findings = eng->found.v;
  rep->nfindings = eng->found.n;
  rep->findings_cap = eng->found.cap;
  for (size_t i = 0; i < rep->nfindings; i++) {
    if (rc_code_severity(rep->findings[i].code) == RC_SEV_ERROR) rep->nerrors++;
    else rep->nwarnings++;
  }
}

/* 1 when the directory fd has manifest.note or sheets/ (RECORD.md v1.1
 * §4: otherwise it is not a record). */
static int looks_like_record(int fd) {
  struct stat sb;
  return fstatat(fd, "manifest.note", &sb, AT_SYMLINK_NOFOLLOW) == 0 ||
         fstatat(fd, "sheets", &sb, AT_SYMLINK_NOFOLLOW) == 0;
}

/* Not a record: the reason, and the record inside when a child directory
 * is one (the first in bytewise order: the parent folder was given). */
static void not_a_record(int rootfd, const char *root,
                         struct rc_record_report *rep) {
  rep->fatal = 1;
  rep->not_a_record = 1;
  int n = snprintf(rep->fatal_msg, sizeof rep->fatal_msg,
                   "%s is not an election record: it has neither "
                   "manifest.note nor sheets/",
                   root);
  int dfd = dup(rootfd);
  DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
  if (!d) {
    if (dfd >= 0) close(dfd);
    return;
  }
  char best[256] = "";
  struct dirent *de;
  while ((de = readdir(d)) != NULL) {
    if (de->d_name[0] == '.' || strlen(de->d_name) >= sizeof best) continue;
    if (best[0] && strcmp(de->d_name, best) >= 0) continue;
    int cfd = openat(rootfd, de->d_name,
                     O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (cfd < 0) continue;
    if (looks_like_record(cfd)) snprintf(best, sizeof best, "%s", de->d_name);
    close(cfd);
  }
  closedir(d);
  if (best[0] && n > 0 && (size_t)n < sizeof rep->fatal_msg) {
    size_t rl = strlen(root);
    const char *sep = rl && root[rl - 1] == '/' ? "" : "/";
    snprintf(rep->fatal_msg + n, sizeof rep->fatal_msg - (size_t)n,
             "; this is the record's parent folder: the record is %s%s%s", root,
             sep, best);
  }
}

int rc_record_check(const char *root, const struct rc_record_opts *o,
                    struct rc_record_report *rep) {
  memset(rep, 0, sizeof *rep);
  rep->mode = o->mode;
  struct rc_record_opts opts = *o;
  if (!opts.threads) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    opts.threads = n > 0 ? (unsigned)n : 1;
  }
  struct engine eng = {.o = &opts, .rep = rep, .root = root, .rootfd = -1};
  eng.rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (eng.rootfd < 0) {
    rep->fatal = 1;
    snprintf(rep->fatal_msg, sizeof rep->fatal_msg,
             "%s: cannot open the record directory: %s", root, strerror(errno));
    return RC_ERR_IO;
  }
  if (!looks_like_record(eng.rootfd)) {
    not_a_record(eng.rootfd, root, rep);
    close(eng.rootfd);
    return RC_ERR_IO;
  }
  run_stages(&eng);
  finish(&eng);
  if (eng.found.oom) {
    rep->fatal = 1;
    snprintf(rep->fatal_msg, sizeof rep->fatal_msg, "out of memory");
    return RC_ERR_NOMEM;
  }
  return RC_OK;
}

void rc_record_report_free(struct rc_record_report *rep) {
  for (size_t i = 0; i < rep->nfindings; i++) finding_free(&rep->findings[i]);
  free(rep->findings);
  if (rep->districts && rep->have_manifest) {
    for (size_t d = 0; d < rep->manifest.ndistricts; d++) {
      struct rc_district_result *dr = &rep->districts[d];
      if (dr->leaf_station)
        for (size_t i = 0; i < dr->sheets; i++) free(dr->leaf_station[i]);
      free(dr->leaf_station);
      free(dr->leaves);
      free(dr->leaf_sha);
    }
  }
  free(rep->districts);
  free(rep->witnesses);
  for (size_t i = 0; i < rep->nfiles; i++) free(rep->files[i]);
  free(rep->files);
  free(rep->figs);
  free(rep->station_status);
  free(rep->district_uncounted);
  free(rep->station_figs);
  free(rep->station_figs_known);
  free(rep->log_leaves);
  for (size_t i = 0; i < rep->nlook; i++) free(rep->look[i].file);
  free(rep->look);
  if (rep->observed) rc_observed_report_free(rep->observed);
  free(rep->observed);
  if (rep->have_manifest) rc_manifest_free(&rep->manifest);
  memset(rep, 0, sizeof *rep);
}
