/* cli_manifest.c — the command line of `recount-sign manifest`: reads the
 * tables and --witness keys, runs rc_manifest_from_tables
 * (sign/manifest_tables.c, where the rules are) and prints its messages,
 * then writes --out atomically or standard output. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "csv.h"
#include "fileio.h"
#include "manifest_tables.h"
#include "record.h"

#define PROG "recount-sign manifest"
/* ----------------------------------------------------- command line --- */

const char rc_cmd_manifest_usage[] =
    "manifest --election E --origin O --title T --choice ID=NAME... "
    "--districts FILE.csv --stations FILE.csv [--witness VKEY]... "
    "[--out FILE]";
const char rc_cmd_manifest_help[] =
    "Writes the manifest text (unsigned: sign it with `recount-sign sign`)\n"
    "from the registry's tables, RFC 4180 CSV with a header row:\n"
    "  districts.csv  id,name\n"
    "  stations.csv   id,district,registered,key\n"
    "key is a verifier key (name+keyid+base64) or the path of a .vkey file,\n"
    "relative to the directory of stations.csv. --choice in ballot order.\n"
    "Ids are sorted bytewise; every error names the table, row and column.\n"
    "A UTF-8 byte order mark at the start of a table is skipped (noted).\n"
    "--out is written atomically and never overwritten; else standard "
    "output.";

static int usage(const char *msg) {
  if (msg) fprintf(stderr, PROG ": bad argument: %s\n", msg);
  fprintf(stderr, "usage: recount-sign %s\n", rc_cmd_manifest_usage);
  return 2;
}

/* Prints each line of b with the command's prefix. */
static void print_lines(const struct rc_buf *b, const char *pre) {
  size_t i = 0;
  while (i < b->len) {
    const uint8_t *nl = memchr(b->p + i, '\n', b->len - i);
    size_t e = nl ? (size_t)(nl - b->p) : b->len;
    fprintf(stderr, PROG ": %s%.*s\n", pre, (int)(e - i), b->p + i);
    i = e + 1;
  }
}

int rc_cmd_manifest(int argc, char **argv) {
  struct rc_mtab_in in;
  const char *dpath = NULL, *spath = NULL, *out = NULL;
  const char **choices = calloc((size_t)argc + 1, sizeof *choices);
  const char **wpaths = calloc((size_t)argc + 1, sizeof *wpaths);
  struct rc_vkey *w = calloc((size_t)argc + 1, sizeof *w);
  char(*wnames)[RC_KEYNAME_MAX + 1] = calloc((size_t)argc + 1, sizeof *wnames);
  uint8_t *dbuf = NULL, *sbuf = NULL;
  char *keydir = NULL;
  struct rc_mtab_report rep;
  struct rc_buf text = {0};
  struct rc_error err;
  int status = 2;
  memset(&in, 0, sizeof in);
  memset(&rep, 0, sizeof rep);
  if (!choices || !wpaths || !w || !wnames) {
    fprintf(stderr, PROG ": out of memory\n");
    goto out;
  }
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    int more = i + 1 < argc;
    if (!strcmp(a, "--election") && more) in.election = argv[++i];
    else if (!strcmp(a, "--origin") && more) in.origin = argv[++i];
    else if (!strcmp(a, "--title") && more) in.title = argv[++i];
    else if (!strcmp(a, "--choice") && more) choices[in.nchoices++] = argv[++i];
    else if (!strcmp(a, "--districts") && more) dpath = argv[++i];
    else if (!strcmp(a, "--stations") && more) spath = argv[++i];
    else if (!strcmp(a, "--witness") && more)
      wpaths[in.nwitnesses++] = argv[++i];
    else if (!strcmp(a, "--out") && more) out = argv[++i];
    else {
      status = usage(a);
      goto out;
    }
  }
  if (!in.election || !in.origin || !in.title || !in.nchoices || !dpath ||
      !spath) {
    status = usage("--election, --origin, --title, --choice, --districts "
                   "and --stations are required");
    goto out;
  }
  struct stat sb;
  if (out && lstat(out, &sb) == 0) {
    fprintf(stderr, PROG ": refused: %s exists; nothing is overwritten\n", out);
    status = 1;
    goto out;
  }
  for (size_t i = 0; i < in.nwitnesses; i++)
    if (rc_vkey_read_file(wpaths[i], &w[i], wnames[i], &err) != RC_OK) {
      fprintf(stderr, PROG ": --witness %s\n", err.msg);
      status = err.code == RC_ERR_IO ? 2 : 1;
      goto out;
    }
  size_t dlen, slen;
  if (rc_read_file(dpath, RC_CSV_FILE_MAX, &dbuf, &dlen, &err) != RC_OK ||
      rc_read_file(spath, RC_CSV_FILE_MAX, &sbuf, &slen, &err) != RC_OK) {
    fprintf(stderr, PROG ": %s\n", err.msg);
    goto out;
  }
  const char *slash = strrchr(spath, '/');
  keydir = slash ? strndup(spath, slash == spath ? 1 : (size_t)(slash - spath))
                 : strdup(".");
  if (!keydir) {
    fprintf(stderr, PROG ": out of memory\n");
    goto out;
  }
  in.choices = choices;
  in.witnesses = w;
  in.witness_names = wpaths;
  in.dname = dpath;
  in.dbuf = dbuf;
  in.dlen = dlen;
  in.sname = spath;
  in.sbuf = sbuf;
  in.slen = slen;
  in.keydir = keydir;
  int rc = rc_manifest_from_tables(&in, &text, &rep);
  print_lines(&rep.notes, "note: ");
  print_lines(&rep.errors, "");
  if (rep.nerrors > rep.nkept)
    fprintf(stderr, PROG ": ... and %zu more errors\n",
            rep.nerrors - rep.nkept);
  if (rc == RC_ERR_NOMEM) {
    fprintf(stderr, PROG ": out of memory\n");
    goto out;
  }
  if (rc == RC_ERR_USAGE) goto out;
  if (rc != RC_OK) {
    fprintf(stderr,
            PROG ": refused: %zu error%s in the tables; nothing "
                 "written\n",
            rep.nerrors, rep.nerrors == 1 ? "" : "s");
    status = 1;
    goto out;
  }
  if (!out) {
    if (fwrite(text.p, 1, text.len, stdout) != text.len ||
        fflush(stdout) != 0) {
      fprintf(stderr, PROG ": cannot write to standard output\n");
      goto out;
    }
    status = 0;
  } else if (rc_write_atomic(out, text.p, text.len, 0644, 0, &err) != RC_OK) {
    fprintf(stderr, PROG ": %s\n", err.msg);
    status = err.code == RC_ERR_EXISTS ? 1 : 2;
  } else {
    status = 0;
  }
out:
  rc_buf_free(&text);
  rc_mtab_report_free(&rep);
  free(choices);
  free(wpaths);
  free(w);
  free(wnames);
  free(dbuf);
  free(sbuf);
  free(keydir);
  return status;
}
