/* manifest_tables.c — the library step of `recount-sign manifest`
 * (the command line is sign/cli_manifest.c): builds the manifest text
 * (RECORD.md §2–3; unsigned, it is signed afterwards with `recount-sign
 * sign`) from a registry's CSV exports.
 *
 *   districts.csv   header id,name
 *   stations.csv    header id,district,registered,key
 *
 * Choices made where the brief left room (also in the project notes):
 *   - CSV is read by formats/csv.h: RFC 4180, CRLF or LF row ends, strict
 *     (no trimming, no bare quotes, every row as wide as the header).
 *   - A UTF-8 byte order mark at the start of a table is ACCEPTED, skipped
 *     and reported as a note on stderr: Excel's "CSV UTF-8" export always
 *     writes one, and a BOM cannot be mistaken for data (it is not allowed
 *     in any manifest field), so refusing it would only make every
 *     commission hand-edit its export. The manifest written has no BOM.
 *   - The header must name exactly the expected columns, in any order;
 *     an unknown or repeated column is an error (every column of the table
 *     is accounted for, nothing is silently dropped). Names are
 *     case-sensitive.
 *   - Rows are numbered as a spreadsheet shows them: the header is row 1.
 *     Every error names the table, the row and the column. All errors are
 *     reported (the first RC_MTAB_MSGS_MAX printed), not only the first:
 *     first each row's own checks in row order, then duplicate ids and
 *     reused keys, each named at its later row with the row it repeats.
 *   - A key cell ending in ".vkey" is the path of a verifier-key file,
 *     read relative to the directory of stations.csv (so the result does
 *     not depend on the working directory); anything else must be a
 *     verifier key itself (name+keyid+base64). A key file that cannot be
 *     read is an error of its row (exit 1), not an I/O failure.
 *   - Keys must be canonical and not of small order (rc_pubkey_check);
 *     their names printable ASCII (the manifest is ASCII outside names).
 *     RECORD.md v1.1 key roles: every station key and every witness key
 *     are pairwise different public keys (the anchor is not known here).
 *   - Display names (district names, --title, choice names) follow the
 *     manifest's rule: 1..RC_NAME_MAX bytes of UTF-8 without control,
 *     separator, BOM or bidi characters, no leading, trailing or double
 *     space. A district without stations is allowed (the manifest is).
 *   - Bad options (election, origin, title, a --choice) are usage errors
 *     (exit 2), like recount-sign sheet's; a witness key that is unusable
 *     is a refusal (exit 1). --out is never overwritten: an existing file
 *     is a refusal (exit 1), as for the other recount-sign commands.
 *   - Before anything is written the text is parsed back with
 *     rc_parse_manifest and must re-encode to the same bytes.
 * Cost: one pass per table, one sort of the districts, of the stations
 * and of the keys, one parse back: a million stations (86 MB of CSV) take
 * about 3 s of CPU and 480 MB (tests/bench/manifest-million.sh). */
#include "manifest_tables.h"
#include "manifest_tables_int.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "csv.h"
#include "ed25519.h"
#include "fileio.h"
#include "record.h"
#include "text.h"
#include "texts.h"

/* An id and the 0-based table row it is on. */
struct idrow {
  const char *id;
  size_t row;
};

static int by_id_row(const void *a, const void *b) {
  const struct idrow *x = a, *y = b;
  int c = strcmp(x->id, y->id);
  if (c) return c;
  return x->row < y->row ? -1 : x->row > y->row;
}

/* A repeated id or key: at row `later`, first seen at row `first` (both
 * 0-based table rows). first == SIZE_MAX: a witness (index in what). */
struct repeat {
  size_t later, first, what;
};

static int by_later(const void *a, const void *b) {
  const struct repeat *x = a, *y = b;
  return x->later < y->later ? -1 : x->later > y->later;
}

/* In ids[0..n) sorted by (id, row), every id after the first of its run
 * is a repeat of the run's first row. *out is malloc'd, sorted by row. */
static int repeats(const struct idrow *ids, size_t n, struct repeat **out,
                   size_t *nout) {
  size_t k = 0, cap = 0;
  struct repeat *r = NULL;
  for (size_t i = 1, first = 0; i < n; i++) {
    if (strcmp(ids[i].id, ids[first].id) != 0) {
      first = i;
      continue;
    }
    if (k == cap) {
      cap = cap ? cap * 2 : 16;
      struct repeat *q = realloc(r, cap * sizeof *q);
      if (!q) {
        free(r);
        return RC_ERR_NOMEM;
      }
      r = q;
    }
    r[k++] = (struct repeat){ids[i].row, ids[first].row, first};
  }
  if (k) qsort(r, k, sizeof *r, by_later);
  *out = r;
  *nout = k;
  return RC_OK;
}

/* A public key and whose it is: a station's table row, or a witness. */
struct keyref {
  const uint8_t *pk;
  size_t row;   /* 0-based table row; 0 for a witness */
  size_t index; /* station index, or witness index */
};

static int by_pk_row(const void *a, const void *b) {
  const struct keyref *x = a, *y = b;
  int c = memcmp(x->pk, y->pk, 32);
  if (c) return c;
  return x->row < y->row ? -1 : x->row > y->row;
}

/* A station row while it is read: the station and its table row. */
struct srow {
  struct rc_station st;
  size_t row;
};

static int srow_by_id(const void *a, const void *b) {
  const struct srow *x = a, *y = b;
  int c = strcmp(x->st.id, y->st.id);
  if (c) return c;
  return x->row < y->row ? -1 : x->row > y->row;
}

struct build {
  const struct rc_mtab_in *in;
  struct rc_mtab_report *rep;
  struct rc_csv dt, st;
  struct rc_manifest m; /* arrays owned here; strings point elsewhere */
  struct rc_choice choices[RC_MAX_CHOICES];
  struct srow *rows;
  size_t nrows;
  struct chunk *arena;
  int districts_ok; /* the districts table's header was read */
};

static int check_options(struct build *b) {
  const struct rc_mtab_in *in = b->in;
  struct rc_mtab_report *rep = b->rep;
  char q[4 * QUOTE_MAX + 8];
  const char *why;
  if (!in->election || !rc_id_valid(in->election, strlen(in->election)))
    mtab_add_error(rep, "--election %s " ID_RULE,
                   mtab_quote(in->election ? in->election : "",
                              in->election ? strlen(in->election) : 0, q));
  if (!in->origin || !rc_origin_ok(in->origin))
    mtab_add_error(rep,
                   "--origin: the origin must be 1 to %d bytes of "
                   "printable ASCII without spaces or '+'",
                   RC_ORIGIN_MAX);
  if (!in->title) mtab_add_error(rep, "--title is required");
  else if ((why = mtab_name_problem(in->title, strlen(in->title))))
    mtab_add_error(rep, "--title %s", why);
  if (in->nchoices == 0 || in->nchoices > RC_MAX_CHOICES)
    mtab_add_error(rep, "1 to %d --choice options are required",
                   RC_MAX_CHOICES);
  for (size_t i = 0; i < in->nchoices && i < RC_MAX_CHOICES; i++) {
    const char *a = in->choices[i], *eq = strchr(a, '=');
    size_t an = strlen(a);
    if (!eq || !rc_id_valid(a, (size_t)(eq - a))) {
      mtab_add_error(rep,
                     "--choice %s: expected ID=NAME with ID [a-z0-9]"
                     "[a-z0-9._-]{0,63}",
                     mtab_quote(a, an, q));
      continue;
    }
    if ((why = mtab_name_problem(eq + 1, strlen(eq + 1)))) {
      mtab_add_error(rep, "--choice %s: the name %s", mtab_quote(a, an, q),
                     why);
      continue;
    }
    struct rc_choice *c = &b->choices[b->m.nchoices];
    memcpy(c->id, a, (size_t)(eq - a));
    c->id[eq - a] = 0;
    c->name = (char *)(uintptr_t)(eq + 1);
    int dup = 0;
    for (size_t j = 0; j < b->m.nchoices; j++)
      if (!strcmp(b->choices[j].id, c->id)) dup = 1;
    if (dup)
      mtab_add_error(rep, "--choice %s: choice \"%s\" is given twice",
                     mtab_quote(a, an, q), c->id);
    else b->m.nchoices++;
  }
  b->m.choices = b->choices;
  return rep->nerrors ? RC_ERR_USAGE : RC_OK;
}

/* Witness keys: usable, pairwise different keys and names. */
static void check_witnesses(struct build *b) {
  const struct rc_mtab_in *in = b->in;
  if (in->nwitnesses > RC_MAX_WITNESSES) {
    mtab_add_error(b->rep, "more than %d --witness keys", RC_MAX_WITNESSES);
    return;
  }
  for (size_t i = 0; i < in->nwitnesses; i++) {
    const struct rc_vkey *k = &in->witnesses[i];
    const char *why = mtab_key_problem(k);
    if (why)
      mtab_add_error(b->rep, "--witness %s: %s", in->witness_names[i], why);
    for (size_t j = 0; j < i; j++) {
      const struct rc_vkey *o = &in->witnesses[j];
      if (!memcmp(o->pk, k->pk, 32))
        mtab_add_error(b->rep,
                       "--witness %s: the same public key as --witness %s",
                       in->witness_names[i], in->witness_names[j]);
      else if (o->namelen == k->namelen &&
               !memcmp(o->name, k->name, k->namelen))
        mtab_add_error(b->rep,
                       "--witness %s: the same key name as --witness %s",
                       in->witness_names[i], in->witness_names[j]);
    }
  }
  b->m.witnesses = (struct rc_vkey *)(uintptr_t)in->witnesses;
  b->m.nwitnesses = in->nwitnesses;
}

static int districts(struct build *b) {
  static const char *const want[] = {"id", "name"};
  const char *table = b->in->dname;
  struct rc_mtab_report *rep = b->rep;
  struct rc_csv *c = &b->dt;
  size_t col[2];
  char q[4 * QUOTE_MAX + 8];
  struct idrow *ids = NULL;
  struct repeat *rp = NULL;
  size_t nids = 0, nrp = 0;
  int rc = mtab_read_table(rep, table, b->in->dbuf, b->in->dlen, c);
  if (rc != RC_OK) return rc == RC_ERR_NOMEM ? rc : RC_OK;
  if (!mtab_header(rep, table, c, want, 2, col, "id,name")) return RC_OK;
  b->districts_ok = 1;
  if (c->nrows == 1) {
    mtab_add_error(rep, "%s: no districts (the table has only its header row)",
                   table);
    return RC_OK;
  }
  if (c->nrows - 1 > RC_MAX_DISTRICTS) {
    mtab_add_error(rep, "%s: %zu districts, at most %d", table, c->nrows - 1,
                   RC_MAX_DISTRICTS);
    return RC_OK;
  }
  if (!(ids = malloc((c->nrows - 1) * sizeof *ids))) return RC_ERR_NOMEM;
  for (size_t r = 1; r < c->nrows; r++) {
    size_t idn, nn;
    const char *id = rc_csv_field(c, r, col[0], &idn);
    const char *name = rc_csv_field(c, r, col[1], &nn);
    const char *why = mtab_name_problem(name, nn);
    if (why)
      mtab_cell_error(rep, table, r + 1, "name", "%s %s",
                      mtab_quote(name, nn, q), why);
    if (!rc_id_valid(id, idn)) {
      mtab_cell_error(rep, table, r + 1, "id", "%s " ID_RULE,
                      mtab_quote(id, idn, q));
      continue;
    }
    ids[nids++] = (struct idrow){id, r};
  }
  qsort(ids, nids, sizeof *ids, by_id_row);
  if ((rc = repeats(ids, nids, &rp, &nrp))) goto out;
  for (size_t i = 0; i < nrp; i++)
    mtab_cell_error(rep, table, rp[i].later + 1, "id",
                    "district \"%s\" is already in row %zu", ids[rp[i].what].id,
                    rp[i].first + 1);
  /* every valid id, repeats once: stations are checked against these */
  if (!(b->m.districts = calloc(nids ? nids : 1, sizeof *b->m.districts))) {
    rc = RC_ERR_NOMEM;
    goto out;
  }
  for (size_t i = 0; i < nids; i++) {
    if (i && !strcmp(ids[i].id, ids[i - 1].id)) continue;
    struct rc_mdistrict *d = &b->m.districts[b->m.ndistricts++];
    memcpy(d->id, ids[i].id, strlen(ids[i].id) + 1);
    d->name = (char *)(uintptr_t)rc_csv_field(c, ids[i].row, col[1], NULL);
  }
out:
  free(ids);
  free(rp);
  return rc;
}

/* The key cell of table row r: a verifier key, or a .vkey file. */
static int station_key(struct build *b, size_t r, const char *s, size_t n,
                       struct rc_vkey *k) {
  const char *table = b->in->sname;
  char q[4 * QUOTE_MAX + 8];
  struct rc_error err;
  const char *why;
  if (n >= 5 && !memcmp(s + n - 5, ".vkey", 5)) {
    char path[4096], nb[RC_KEYNAME_MAX + 1];
    if (!b->in->keydir) {
      mtab_cell_error(b->rep, table, r + 1, "key",
                      "%s: key files are not read here", mtab_quote(s, n, q));
      return 0;
    }
    int pn = s[0] == '/' || !strcmp(b->in->keydir, ".")
                 ? snprintf(path, sizeof path, "%s", s)
                 : snprintf(path, sizeof path, "%s/%s", b->in->keydir, s);
    if (pn < 0 || (size_t)pn >= sizeof path) {
      mtab_cell_error(b->rep, table, r + 1, "key", "%s: path too long",
                      mtab_quote(s, n, q));
      return 0;
    }
    if (rc_vkey_read_file(path, k, nb, &err) != RC_OK) {
      mtab_cell_error(b->rep, table, r + 1, "key", "%s", err.msg);
      return 0;
    }
    if (!(k->name = mtab_arena_dup(&b->arena, nb, k->namelen))) return -1;
    if ((why = mtab_key_problem(k))) {
      mtab_cell_error(b->rep, table, r + 1, "key", "%s: %s", path, why);
      return 0;
    }
    return 1;
  }
  if (rc_vkey_parse(s, n, k, &err) != RC_OK) {
    mtab_cell_error(
        b->rep, table, r + 1, "key",
        "%s is not a verifier key (%s), nor the path of a .vkey file",
        mtab_quote(s, n, q), err.msg);
    return 0;
  }
  if ((why = mtab_key_problem(k))) {
    mtab_cell_error(b->rep, table, r + 1, "key", "%s", why);
    return 0;
  }
  return 1;
}

static int stations(struct build *b) {
  static const char *const want[] = {"id", "district", "registered", "key"};
  const char *table = b->in->sname;
  struct rc_mtab_report *rep = b->rep;
  struct rc_csv *c = &b->st;
  size_t col[4];
  char q[4 * QUOTE_MAX + 8];
  int rc = mtab_read_table(rep, table, b->in->sbuf, b->in->slen, c);
  if (rc != RC_OK) return rc == RC_ERR_NOMEM ? rc : RC_OK;
  if (!mtab_header(rep, table, c, want, 4, col, "id,district,registered,key"))
    return RC_OK;
  if (c->nrows == 1) {
    mtab_add_error(rep, "%s: no stations (the table has only its header row)",
                   table);
    return RC_OK;
  }
  if (c->nrows - 1 > RC_MAX_STATIONS) {
    mtab_add_error(rep, "%s: %zu stations, at most %d", table, c->nrows - 1,
                   RC_MAX_STATIONS);
    return RC_OK;
  }
  if (!(b->rows = malloc((c->nrows - 1) * sizeof *b->rows)))
    return RC_ERR_NOMEM;
  for (size_t r = 1; r < c->nrows; r++) {
    size_t idn, dn, cn, kn;
    const char *id = rc_csv_field(c, r, col[0], &idn);
    const char *dist = rc_csv_field(c, r, col[1], &dn);
    const char *cnt = rc_csv_field(c, r, col[2], &cn);
    const char *key = rc_csv_field(c, r, col[3], &kn);
    struct srow *sr = &b->rows[b->nrows];
    int ok = 1;
    if (!rc_id_valid(id, idn)) {
      mtab_cell_error(rep, table, r + 1, "id", "%s " ID_RULE,
                      mtab_quote(id, idn, q));
      ok = 0;
    }
    long d = -1;
    if (!rc_id_valid(dist, dn)) {
      mtab_cell_error(rep, table, r + 1, "district", "%s " ID_RULE,
                      mtab_quote(dist, dn, q));
      ok = 0;
    } else if ((d = rc_manifest_district(&b->m, dist, dn)) < 0) {
      /* with a refused districts table every district would be unknown */
      if (b->districts_ok)
        mtab_cell_error(rep, table, r + 1, "district",
                        "district \"%s\" is not in %s", dist, b->in->dname);
      ok = 0;
    }
    if (mtab_read_count(cnt, cn, &sr->st.registered) != 0) {
      mtab_cell_error(rep, table, r + 1, "registered", "%s " COUNT_RULE,
                      mtab_quote(cnt, cn, q));
      ok = 0;
    }
    int k = station_key(b, r, key, kn, &sr->st.key);
    if (k < 0) return RC_ERR_NOMEM;
    if (!ok || !k) continue;
    sr->st.id = (char *)(uintptr_t)id;
    sr->st.district = (uint32_t)d;
    sr->row = r;
    b->nrows++;
  }
  return RC_OK;
}

/* Station ids unique; station and witness keys pairwise different. */
static int cross_checks(struct build *b) {
  const char *table = b->in->sname;
  struct rc_mtab_report *rep = b->rep;
  struct idrow *ids = NULL;
  struct repeat *rp = NULL;
  struct keyref *keys = NULL;
  size_t nrp = 0, n = b->nrows, nw = b->m.nwitnesses;
  int rc = RC_OK;
  qsort(b->rows, n, sizeof *b->rows, srow_by_id);
  if (!(ids = malloc((n ? n : 1) * sizeof *ids)) ||
      !(keys = malloc((n + nw ? n + nw : 1) * sizeof *keys))) {
    rc = RC_ERR_NOMEM;
    goto out;
  }
  for (size_t i = 0; i < n; i++)
    ids[i] = (struct idrow){b->rows[i].st.id, b->rows[i].row};
  if ((rc = repeats(ids, n, &rp, &nrp))) goto out;
  for (size_t i = 0; i < nrp; i++)
    mtab_cell_error(rep, table, rp[i].later + 1, "id",
                    "station \"%s\" is already in row %zu", ids[rp[i].what].id,
                    rp[i].first + 1);
  free(rp);
  rp = NULL;
  nrp = 0;
  /* keys: witnesses (row 0) sort before the stations with the same key */
  for (size_t i = 0; i < nw; i++)
    keys[i] = (struct keyref){b->m.witnesses[i].pk, 0, i};
  for (size_t i = 0; i < n; i++)
    keys[nw + i] = (struct keyref){b->rows[i].st.key.pk, b->rows[i].row, i};
  qsort(keys, n + nw, sizeof *keys, by_pk_row);
  size_t cap = 0;
  for (size_t i = 1, first = 0; i < n + nw; i++) {
    if (memcmp(keys[i].pk, keys[first].pk, 32) != 0) {
      first = i;
      continue;
    }
    if (keys[i].row == 0) continue; /* two witnesses: check_witnesses */
    if (nrp == cap) {
      cap = cap ? cap * 2 : 16;
      struct repeat *q = realloc(rp, cap * sizeof *q);
      if (!q) {
        rc = RC_ERR_NOMEM;
        goto out;
      }
      rp = q;
    }
    rp[nrp++] = (struct repeat){keys[i].row,
                                keys[first].row ? keys[first].row : SIZE_MAX,
                                keys[first].index};
  }
  if (nrp) qsort(rp, nrp, sizeof *rp, by_later);
  for (size_t i = 0; i < nrp; i++) {
    if (rp[i].first == SIZE_MAX)
      mtab_cell_error(rep, table, rp[i].later + 1, "key",
                      "the same public key as --witness %s",
                      b->in->witness_names[rp[i].what]);
    else
      mtab_cell_error(rep, table, rp[i].later + 1, "key",
                      "the same public key as row %zu (station \"%s\")",
                      rp[i].first + 1, b->rows[rp[i].what].st.id);
  }
out:
  free(ids);
  free(rp);
  free(keys);
  return rc;
}

/* Encodes the manifest and checks that it reads back to the same bytes. */
static int encode(struct build *b, struct rc_buf *out) {
  size_t n = b->nrows;
  if (!(b->m.stations = malloc(n * sizeof *b->m.stations))) return RC_ERR_NOMEM;
  for (size_t i = 0; i < n; i++) {
    b->m.stations[i] = b->rows[i].st;
    b->m.districts[b->rows[i].st.district].nstations++;
  }
  b->m.nstations = n;
  snprintf(b->m.election, sizeof b->m.election, "%s", b->in->election);
  b->m.origin = (char *)(uintptr_t)b->in->origin;
  b->m.title = (char *)(uintptr_t)b->in->title;
  int rc = rc_encode_manifest(&b->m, out);
  if (rc == RC_ERR_NOMEM || out->oom) return RC_ERR_NOMEM;
  if (rc != RC_OK) {
    mtab_add_error(b->rep,
                   "internal error: the manifest encoder refused the "
                   "checked tables (%s)",
                   rc_err_str((enum rc_err)rc));
    return RC_ERR_USAGE;
  }
  /* the text stands alone now: free the tables before reading it back */
  free(b->rows);
  b->rows = NULL;
  free(b->m.stations);
  b->m.stations = NULL;
  free(b->m.districts);
  b->m.districts = NULL;
  rc_csv_free(&b->st);
  rc_csv_free(&b->dt);
  struct rc_manifest back;
  struct rc_error err;
  struct rc_buf again = {0};
  rc = rc_parse_manifest(out->p, out->len, &back, &err);
  if (rc == RC_ERR_NOMEM) return rc;
  if (rc != RC_OK) {
    mtab_add_error(b->rep,
                   "internal error: the manifest written does not parse: "
                   "line %zu: %s",
                   err.line, err.msg);
    return RC_ERR_USAGE;
  }
  rc = rc_encode_manifest(&back, &again);
  int same = rc == RC_OK && again.len == out->len &&
             !memcmp(again.p, out->p, out->len);
  rc_manifest_free(&back);
  rc_buf_free(&again);
  if (rc == RC_ERR_NOMEM) return rc;
  if (!same) {
    mtab_add_error(b->rep, "internal error: the manifest does not re-encode to "
                           "the same bytes");
    return RC_ERR_USAGE;
  }
  return RC_OK;
}

int rc_manifest_from_tables(const struct rc_mtab_in *in, struct rc_buf *out,
                            struct rc_mtab_report *rep) {
  struct build b;
  int rc;
  memset(&b, 0, sizeof b);
  b.in = in;
  b.rep = rep;
  if ((rc = check_options(&b))) goto out;
  check_witnesses(&b);
  if ((rc = districts(&b)) || (rc = stations(&b))) goto out;
  if (b.nrows && (rc = cross_checks(&b))) goto out;
  if (rep->nerrors) {
    rc = RC_ERR_SYNTAX;
    goto out;
  }
  rc = encode(&b, out);
out:
  if (rc != RC_OK) rc_buf_free(out);
  free(b.m.districts);
  free(b.m.stations);
  free(b.rows);
  rc_csv_free(&b.dt);
  rc_csv_free(&b.st);
  mtab_arena_free(b.arena);
  return rc;
}
