/* commit.c — `recount-sign commit` and `recount-sign prove`. Both reuse the
 * verifier's engine, so the commission commits exactly what observers will
 * recompute. */
#include "commit.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "b64.h"
#include "fileio.h"
#include "hash.h"
#include "note.h"
#include "receipt.h"
#include "signing.h"

void rc_print_findings(FILE *out, const struct rc_record_report *rep) {
  for (size_t i = 0; i < rep->nfindings; i++) {
    const struct rc_finding *f = &rep->findings[i];
    fprintf(out, "%s %s", rc_severity_str(rc_code_severity(f->code)),
            rc_code_str(f->code));
    if (f->district) fprintf(out, " district=%s", f->district);
    if (f->station) fprintf(out, " station=%s", f->station);
    if (f->file) {
      fprintf(out, " %s", f->file);
      if (f->line) fprintf(out, ":%zu", f->line);
    }
    fprintf(out, ": %s\n", f->message);
  }
}

static char *join(const char *a, const char *b) {
  size_t n = strlen(a) + strlen(b) + 2;
  char *p = malloc(n);
  if (p) snprintf(p, n, "%s/%s", a, b);
  return p;
}

int rc_commit(const char *record, const struct rc_skey *key, int force,
              unsigned threads, FILE *msgs) {
  struct rc_vkey vk;
  rc_skey_vkey(key, &vk);
  struct rc_record_opts o = {.anchor = &vk, .threads = threads,
                             .sheets_only = 1};
  struct rc_record_report rep;
  struct rc_buf dtxt = {0}, cp = {0};
  char *dpath = join(record, "districts.txt");
  char *cpath = join(record, "checkpoint.note");
  int status = 2;
  if (!dpath || !cpath) goto out;
  if (!force) {
    struct stat st;
    const char *exists = lstat(dpath, &st) == 0   ? dpath
                         : lstat(cpath, &st) == 0 ? cpath
                                                  : NULL;
    if (exists) {
      fprintf(msgs, "recount-sign commit: %s already exists; refusing to "
                    "overwrite a commitment (use --force)\n",
              exists);
      status = 1;
      goto out;
    }
  }
  if (rc_record_check(record, &o, &rep) != 0) {
    fprintf(msgs, "recount-sign commit: %s\n", rep.fatal_msg);
    rc_record_report_free(&rep);
    goto out;
  }
  rc_print_findings(msgs, &rep);
  if (rep.nerrors || !rep.have_manifest) {
    fprintf(msgs, "recount-sign commit: refused: %zu error finding%s in %s\n",
            rep.nerrors, rep.nerrors == 1 ? "" : "s", record);
    rc_record_report_free(&rep);
    status = 1;
    goto out;
  }
  const struct rc_manifest *m = &rep.manifest;
  struct rc_merkle_stream ms;
  rc_merkle_stream_init(&ms);
  for (size_t d = 0; d < m->ndistricts; d++) {
    size_t start = dtxt.len;
    if (d) {
      rc_buf_putc(&dtxt, '\n');
      start = dtxt.len;
    }
    int enc = rc_record_encode_district(&rep, d, &dtxt);
    if (enc == RC_ERR_LIMIT) {
      /* every sheet is below 10^15, but their sum need not be: a district
       * record cannot hold it, so there is nothing valid to commit */
      fprintf(msgs,
              "recount-sign commit: refused: district %s: a total is 10^15 or "
              "more, above what a district record can hold (RECORD.md 2: "
              "counts are below 10^15)\n",
              m->districts[d].id);
      rc_record_report_free(&rep);
      status = 1;
      goto out;
    }
    if (enc != RC_OK || dtxt.oom) {
      fprintf(msgs, "recount-sign commit: cannot encode the record of "
                    "district %s\n", m->districts[d].id);
      rc_record_report_free(&rep);
      goto out;
    }
    rc_hash h;
    rc_merkle_leaf_hash(dtxt.p + start, dtxt.len - start, h);
    rc_merkle_stream_push(&ms, h);
  }
  struct rc_checkpoint c = {0};
  snprintf(c.origin, sizeof c.origin, "%s", m->origin);
  c.size = m->ndistricts;
  rc_merkle_stream_root(&ms, c.root);
  memcpy(c.manifest_hash, rep.manifest_text_hash, 32);
  uint64_t counted = rep.totals.sheets_counted;
  size_t nd = m->ndistricts, warnings = rep.nwarnings;
  rc_record_report_free(&rep);
  struct rc_error err;
  if (dtxt.oom || rc_encode_checkpoint(&c, &cp) != RC_OK) {
    fprintf(msgs, "recount-sign commit: cannot encode the commitment\n");
    goto out;
  }
  size_t textlen = cp.len;
  rc_buf_putc(&cp, '\n');
  struct rc_buf sl = {0};
  int sr = rc_note_sigline(&vk, key->sk, cp.p, textlen, &sl);
  rc_buf_put(&cp, sl.p, sl.len);
  rc_buf_free(&sl);
  if (sr != RC_OK || cp.oom) {
    fprintf(msgs, "recount-sign commit: signing failed\n");
    goto out;
  }
  if (rc_write_atomic(dpath, dtxt.p, dtxt.len, 0644, force, &err) != RC_OK) {
    fprintf(msgs, "recount-sign commit: %s\n", err.msg);
    goto out;
  }
  if (rc_write_atomic(cpath, cp.p, cp.len, 0644, force, &err) != RC_OK) {
    fprintf(msgs, "recount-sign commit: %s\n", err.msg);
    if (!force) unlink(dpath); /* leave no half commitment behind */
    goto out;
  }
  char root[48];
  rc_b64_encode(c.root, 32, root);
  fprintf(msgs, "committed %zu districts, %llu counted sheets%s; election "
                "root %s\n",
          nd, (unsigned long long)counted,
          warnings ? " (with warnings above)" : "", root);
  status = 0;
out:
  rc_buf_free(&dtxt);
  rc_buf_free(&cp);
  free(dpath);
  free(cpath);
  return status;
}

/* Finds the signed note (text and signature lines) of station's sheet whose
 * text has leaf hash `leaf` and which the station's key signs (the rule the
 * engine counted it by), scanning the files the engine read, in its order
 * (rep->files, bytewise path order), so the receipt holds the same copy on
 * every machine. */
static int find_sheet_note(const char *record,
                           const struct rc_record_report *rep,
                           const struct rc_station *sta, const rc_hash leaf,
                           struct rc_buf *out) {
  int found = -1;
  struct rc_sheet *s = malloc(sizeof *s);
  for (size_t f = 0; s && f < rep->nfiles && found != 0; f++) {
    char *path = join(record, rep->files[f]);
    uint8_t *buf = NULL;
    size_t len = 0, pos = 0;
    struct rc_error err;
    int rd = path ? rc_read_file(path, RC_SHEETS_FILE_MAX, &buf, &len, &err)
                  : RC_ERR_NOMEM;
    free(path);
    if (rd != RC_OK) continue;
    while (pos < len) {
      struct rc_note n;
      size_t used = 0;
      if (rc_note_next(buf + pos, len - pos, &used, &n, &err) != RC_OK) break;
      rc_hash h;
      rc_merkle_leaf_hash(n.text, n.textlen, h);
      if (!memcmp(h, leaf, 32) &&
          rc_parse_sheet(n.text, n.textlen, s, &err) == RC_OK &&
          !strcmp(s->station, sta->id) &&
          rc_note_signed_by(&n, &sta->key, RC_CRYPTO_BOTH)) {
        rc_buf_put(out, buf + pos, used);
        found = 0;
        break;
      }
      pos += used;
    }
    free(buf);
  }
  free(s);
  return found;
}

int rc_prove(const char *record, const struct rc_vkey *anchor,
             const char *station, const char *out_path, int force,
             unsigned threads, FILE *msgs) {
  struct rc_record_opts o = {.anchor = anchor, .keep_leaves = 1,
                             .threads = threads};
  struct rc_record_report rep;
  struct rc_receipt *r = calloc(1, sizeof *r);
  struct rc_buf sheet = {0}, out = {0};
  uint8_t *mbuf = NULL, *dbuf = NULL, *cbuf = NULL;
  size_t *starts = NULL, *lens = NULL;
  int status = 2;
  if (!r) return 2;
  if (rc_record_check(record, &o, &rep) != 0) {
    fprintf(msgs, "recount-sign prove: %s\n", rep.fatal_msg);
    rc_record_report_free(&rep);
    free(r);
    return 2;
  }
  if (rep.nerrors || !rep.have_manifest) {
    rc_print_findings(msgs, &rep);
    fprintf(msgs, "recount-sign prove: refused: the record has %zu error "
                  "finding%s\n",
            rep.nerrors, rep.nerrors == 1 ? "" : "s");
    status = 1;
    goto out;
  }
  const struct rc_manifest *m = &rep.manifest;
  long si = rc_manifest_station(m, station, strlen(station));
  if (si < 0) {
    fprintf(msgs, "recount-sign prove: station %s is not in the manifest\n",
            station);
    status = 1;
    goto out;
  }
  size_t d = m->stations[si].district;
  const struct rc_district_result *dr = &rep.districts[d];
  size_t idx = SIZE_MAX;
  for (size_t i = 0; i < dr->sheets; i++)
    if (!strcmp(dr->leaf_station[i], station)) idx = i;
  if (idx == SIZE_MAX) {
    fprintf(msgs, "recount-sign prove: station %s has no committed sheet\n",
            station);
    status = 1;
    goto out;
  }
  snprintf(r->station, sizeof r->station, "%s", station);
  snprintf(r->district, sizeof r->district, "%s", m->districts[d].id);
  r->sheet_index = idx;
  r->sheet_size = dr->sheets;
  if (rc_merkle_inclusion_proof((const rc_hash *)dr->leaves, dr->sheets, idx,
                                r->sheet_proof, &r->sheet_plen) != RC_OK)
    goto out;
  if (find_sheet_note(record, &rep, &m->stations[si], dr->leaves[idx],
                      &sheet) != 0) {
    fprintf(msgs, "recount-sign prove: cannot find the sheet of %s again\n",
            station);
    goto out;
  }
  struct rc_error err;
  size_t mlen, dlen, clen, n;
  char *p;
  if (!(p = join(record, "manifest.note")) ||
      rc_read_file(p, RC_MANIFEST_MAX, &mbuf, &mlen, &err) != RC_OK) {
    free(p);
    goto out;
  }
  free(p);
  if (!(p = join(record, "districts.txt")) ||
      rc_read_file(p, RC_DISTRICTS_FILE_MAX, &dbuf, &dlen, &err) != RC_OK) {
    free(p);
    goto out;
  }
  free(p);
  if (!(p = join(record, "checkpoint.note")) ||
      rc_read_file(p, RC_SMALL_TEXT_MAX, &cbuf, &clen, &err) != RC_OK) {
    free(p);
    goto out;
  }
  free(p);
  if (rc_split_districts(dbuf, dlen, &starts, &lens, &n, &err) != RC_OK ||
      n != m->ndistricts)
    goto out;
  rc_hash *dl = malloc(n * sizeof *dl);
  if (!dl) goto out;
  for (size_t i = 0; i < n; i++)
    rc_merkle_leaf_hash(dbuf + starts[i], lens[i], dl[i]);
  int prc = rc_merkle_inclusion_proof((const rc_hash *)dl, n, d,
                                      r->record_proof, &r->record_plen);
  free(dl);
  if (prc != RC_OK) goto out;
  r->record_index = d;
  r->record_size = n;
  r->manifest = mbuf;
  r->manifest_len = mlen;
  r->sheet = sheet.p;
  r->sheet_len = sheet.len;
  r->record = dbuf + starts[d];
  r->record_len = lens[d];
  r->checkpoint = cbuf;
  r->checkpoint_len = clen;
  if (rc_encode_receipt(r, &out) != RC_OK) goto out;
  if (out_path) {
    if (rc_write_atomic(out_path, out.p, out.len, 0644, force, &err) !=
        RC_OK) {
      fprintf(msgs, "recount-sign prove: %s\n", err.msg);
      goto out;
    }
  } else if (fwrite(out.p, 1, out.len, stdout) != out.len) {
    goto out;
  }
  status = 0;
out:
  rc_record_report_free(&rep);
  free(r);
  free(starts);
  free(lens);
  free(mbuf);
  free(dbuf);
  free(cbuf);
  rc_buf_free(&sheet);
  rc_buf_free(&out);
  return status;
}
