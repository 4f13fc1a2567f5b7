/* version.h — the one version source: every program's --version, the
 * JSON report's "tool" field and the man pages take it from here. */
#ifndef RC_VERSION_H
#define RC_VERSION_H
#define RC_VERSION "0.2.0"
#define RC_TOOL "recount " RC_VERSION
#endif
