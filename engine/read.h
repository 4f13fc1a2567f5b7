/* read.h — the one bounded file read of recount (both programs use it). */
#ifndef RC_READ_H
#define RC_READ_H
#include "rc.h"

/* Reads a whole regular file under a size cap, refusing symlinks and
 * special files (O_NOFOLLOW, fstat); a file that grows while it is read is
 * refused. Returns RC_OK, RC_ERR_IO, RC_ERR_LIMIT or RC_ERR_NOMEM (err
 * names path). *buf is malloc'd (+1 NUL byte). */
RC_WUR int rc_read_file(const char *path, uint64_t cap, uint8_t **buf,
                        size_t *len, struct rc_error *err);

/* rc_read_file, with messages naming the file as `name` (the engine passes
 * the path relative to the record, so a report does not depend on where
 * the record lies). */
RC_WUR int rc_read_file_as(const char *path, const char *name, uint64_t cap,
                           uint8_t **buf, size_t *len, struct rc_error *err);
#endif
