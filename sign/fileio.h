/* fileio.h — writing files without ever losing what a user has.
 * Every write goes to a temporary file in the target's directory, is
 * fsync'd, then renamed into place; without `force` an existing target is
 * never replaced (the final step is link(2), which fails if it exists). */
#ifndef RC_FILEIO_H
#define RC_FILEIO_H
#include "rc.h"

/* Writes data to path atomically with the given mode. Without force,
 * fails with RC_ERR_IO ("exists") if path exists. On any failure nothing
 * is left behind and an existing file is untouched. */
RC_WUR int rc_write_atomic(const char *path, const void *data, size_t len,
                           unsigned mode, int force, struct rc_error *err);

/* Replaces the regular file path, which was `was` (lstat) when it was
 * read, atomically with data, keeping its mode. Refuses (RC_ERR_IO,
 * nothing written) when path is no longer that file (other inode, size,
 * mode or modification time): nobody's change is silently lost. */
struct stat;
RC_WUR int rc_rewrite_atomic(const char *path, const void *data, size_t len,
                             const struct stat *was, struct rc_error *err);

/* "dir/name", malloc'd; NULL when out of memory. */
char *rc_path_join(const char *dir, const char *name);

/* Many files into one directory (prove --all): while deferred, the
 * writes above are still atomic and never clobber, but are not fsync'd
 * one by one; rc_sync_dir(dir) then makes them durable at once (syncfs(2)
 * on dir's filesystem, then dir itself). */
void rc_write_defer_sync(int on);
RC_WUR int rc_sync_dir(const char *dir, struct rc_error *err);

/* Test hook: when the environment variable RECOUNT_FAIL_WRITE_AFTER is set
 * to N, the N+1-th write(2) of rc_write_atomic fails with ENOSPC, so the
 * disk-full path can be exercised where no small filesystem is at hand. */
#endif
