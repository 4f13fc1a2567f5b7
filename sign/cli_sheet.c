/* cli_sheet.c — `recount-sign sheet`: a station's signed count sheet.
 *
 * The figures come from the command line; the sheet is refused (exit 1,
 * nothing written) when they do not balance, and with --manifest when they
 * do not fit the election: the election id, the station, its district and
 * registered voters, the station's registered key (the key signing), and
 * the choices, every one of them exactly once, in ballot order. Choices
 * made where the brief was silent:
 *   - --vote options must already be in ballot order: the tool does not
 *     reorder them (what is typed is what is signed); the refusal names
 *     the order to use.
 *   - every problem found is reported, not only the first.
 *   - --manifest takes the signed manifest.note (or its bare text); its
 *     signature is checked only when --anchor is given too. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "note.h"
#include "read.h"
#include "signing.h"
#include "texts.h"

#define CMD "sheet"

const char rc_cli_sheet_usage[] =
    "sheet --key K --election E --district D --station S --registered N "
    "--ballots N --invalid N --blank N --excluded N --vote CHOICE=N ... "
    "[--manifest MANIFEST.note [--anchor COMMISSION_VKEY]] [--out FILE] "
    "[--force]";
const char rc_cli_sheet_help[] =
    "Builds the canonical count sheet, refuses figures that do not balance\n"
    "(invalid + blank + excluded + votes = ballots <= registered), and\n"
    "writes the signed note to FILE or standard output.\n"
    "--manifest also refuses a sheet that does not fit the manifest: the\n"
    "election, the station's district and registered voters, the key\n"
    "registered for the station, and one --vote per choice in ballot order.\n"
    "--anchor checks that the manifest is signed by the commission.";

int rc_cli_read_manifest(const char *cmd, const char *path, const char *anchor,
                         struct rc_manifest *m) {
  uint8_t *buf = NULL;
  size_t len = 0;
  struct rc_error err;
  struct rc_note *n = malloc(sizeof *n);
  int status = 2;
  char esc[512];
  const char *name = rc_cli_name(path, esc, sizeof esc);
  if (!n) return rc_cli_fail(cmd, "out of memory");
  if (rc_read_file(path, RC_MANIFEST_MAX, &buf, &len, &err) != RC_OK) {
    rc_cli_fail(cmd, "--manifest: %s", err.msg);
    goto out;
  }
  const uint8_t *text = buf;
  size_t tlen = len;
  int signed_note = rc_note_parse(buf, len, n, &err) == RC_OK;
  if (signed_note) {
    text = n->text;
    tlen = n->textlen;
  }
  if (anchor) {
    struct rc_vkey a;
    char nb[RC_KEYNAME_MAX + 1];
    if (rc_vkey_read_file(anchor, &a, nb, &err) != RC_OK) {
      rc_cli_fail(cmd, "--anchor: %s", err.msg);
      goto out;
    }
    if (!signed_note || !rc_note_signed_by(n, &a, RC_CRYPTO_BOTH)) {
      status = rc_cli_refuse(cmd,
                             "--manifest %s is not signed by the "
                             "commission key %s",
                             name, anchor);
      goto out;
    }
  }
  if (rc_parse_manifest(text, tlen, m, &err) != RC_OK) {
    status =
        rc_cli_refuse(cmd, "--manifest %s: line %zu%s%s: %s", name, err.line,
                      err.field[0] ? ", field " : "", err.field, err.msg);
    goto out;
  }
  status = 0;
out:
  free(buf);
  free(n);
  return status;
}

/* "yes, no, ..." : the manifest's choices in ballot order */
static const char *choice_list(const struct rc_manifest *m, char *out,
                               size_t outlen) {
  size_t k = 0;
  out[0] = 0;
  for (size_t c = 0; c < m->nchoices && k + RC_ID_MAX + 8 < outlen; c++)
    k += (size_t)snprintf(out + k, outlen - k, "%s%s", c ? ", " : "",
                          m->choices[c].id);
  return out;
}

/* Checks the sheet against the manifest; prints every problem. Returns
 * the number of problems. */
static int check_against(const struct rc_sheet *s,
                         const struct rc_manifest *m) {
  int bad = 0;
  char list[RC_MAX_CHOICES * (RC_ID_MAX + 2) + 8];
  if (strcmp(s->election, m->election) != 0)
    bad++, rc_cli_refuse(CMD, "--election %s: the manifest's election is %s",
                         s->election, m->election);
  long si = rc_manifest_station(m, s->station, strlen(s->station));
  if (si < 0) {
    bad++, rc_cli_refuse(CMD, "--station %s: no such station in the manifest",
                         s->station);
  } else {
    const struct rc_station *st = &m->stations[si];
    const char *d = m->districts[st->district].id;
    if (strcmp(d, s->district) != 0)
      bad++, rc_cli_refuse(CMD,
                           "--district %s: the manifest places station "
                           "%s in district %s",
                           s->district, s->station, d);
    if (st->registered != s->registered)
      bad++, rc_cli_refuse(CMD,
                           "--registered %llu: the manifest registers "
                           "%llu voters at station %s",
                           (unsigned long long)s->registered,
                           (unsigned long long)st->registered, s->station);
  }
  choice_list(m, list, sizeof list);
  long prev = -1;
  int order_bad = 0;
  for (size_t v = 0; v < s->nvotes; v++) {
    long ci = -1;
    for (size_t c = 0; c < m->nchoices; c++)
      if (!strcmp(m->choices[c].id, s->votes[v].choice)) ci = (long)c;
    if (ci < 0) {
      bad++, rc_cli_refuse(CMD,
                           "--vote %s: no such choice in the manifest "
                           "(its choices, in ballot order: %s)",
                           s->votes[v].choice, list);
      continue;
    }
    if (ci < prev && !order_bad) {
      order_bad = 1;
      bad++, rc_cli_refuse(CMD,
                           "--vote %s comes after --vote %s: give the "
                           "votes in ballot order: %s",
                           s->votes[v].choice, m->choices[prev].id, list);
    }
    if (ci > prev) prev = ci;
  }
  for (size_t c = 0; c < m->nchoices; c++) {
    int found = 0;
    for (size_t v = 0; v < s->nvotes; v++)
      if (!strcmp(m->choices[c].id, s->votes[v].choice)) found = 1;
    if (!found)
      bad++, rc_cli_refuse(CMD,
                           "no --vote for choice %s (every choice of the "
                           "manifest, in ballot order: %s)",
                           m->choices[c].id, list);
  }
  return bad;
}

/* The signing key must be the one the manifest registers for the
 * station (name, key id and public key). */
static int check_key(const struct rc_sheet *s, const struct rc_manifest *m,
                     const struct rc_skey *k) {
  long si = rc_manifest_station(m, s->station, strlen(s->station));
  if (si < 0) return 0;
  const struct rc_vkey *r = &m->stations[si].key;
  if (r->namelen == k->namelen && !memcmp(r->name, k->name, k->namelen) &&
      !memcmp(r->id, k->id, 4) && !memcmp(r->pk, k->pk, 32))
    return 0;
  rc_cli_refuse(CMD,
                "the key %s+%02x%02x%02x%02x is not the key the "
                "manifest registers for station %s (%.*s+%02x%02x%02x"
                "%02x)",
                k->name, k->id[0], k->id[1], k->id[2], k->id[3], s->station,
                (int)r->namelen, r->name, r->id[0], r->id[1], r->id[2],
                r->id[3]);
  return 1;
}

int rc_cli_sheet(int argc, char **argv) {
  const char *keyp = NULL, *out = NULL, *passfile = NULL, *mpath = NULL,
             *anchor = NULL;
  int force = 0, have_m = 0;
  struct rc_sheet *s = calloc(1, sizeof *s);
  struct rc_manifest m;
  int have[8] = {0};
  int status = 2;
  struct rc_skey *k = NULL;
  struct rc_buf b = {0};
  char esc[256];
  if (!s) return rc_cli_fail(CMD, "out of memory");
  static const char *const fields[] = {
      "--election", "--district", "--station", "--registered",
      "--ballots",  "--invalid",  "--blank",   "--excluded"};
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    int f = -1;
    for (int j = 0; j < 8; j++)
      if (!strcmp(a, fields[j])) f = j;
    if (f >= 0 && i + 1 < argc) {
      const char *v = argv[++i];
      have[f] = 1;
      if (f < 3) {
        char *dst = f == 0 ? s->election : f == 1 ? s->district : s->station;
        if (!rc_id_valid(v, strlen(v))) {
          status = rc_cli_fail(CMD, "%s: '%s' is not a valid identifier", a,
                               rc_cli_name(v, esc, sizeof esc));
          goto out;
        }
        snprintf(dst, RC_ID_MAX + 1, "%s", v);
      } else {
        uint64_t *dst[] = {&s->registered, &s->ballots, &s->invalid, &s->blank,
                           &s->excluded};
        if (rc_cli_count(v, dst[f - 3]) != 0) {
          status = rc_cli_fail(CMD,
                               "%s: '%s' is not a count (digits, no "
                               "sign, no leading zero, below 10^15)",
                               a, rc_cli_name(v, esc, sizeof esc));
          goto out;
        }
      }
    } else if (!strcmp(a, "--vote") && i + 1 < argc) {
      const char *v = argv[++i];
      const char *eq = strchr(v, '=');
      if (eq && s->nvotes < RC_MAX_CHOICES && eq > v &&
          !rc_id_valid(v, (size_t)(eq - v))) {
        char id[RC_ID_MAX * 4 + 8];
        status = rc_cli_fail(CMD,
                             "--vote '%s': '%.*s' is not a choice id "
                             "(choice ids are matched exactly: "
                             "lowercase letters, digits, '.', '_', "
                             "'-')",
                             rc_cli_name(v, esc, sizeof esc),
                             (int)(eq - v > RC_ID_MAX ? RC_ID_MAX : eq - v),
                             rc_cli_name(v, id, sizeof id));
        goto out;
      }
      if (!eq || s->nvotes == RC_MAX_CHOICES ||
          !rc_id_valid(v, (size_t)(eq - v)) ||
          rc_cli_count(eq + 1, &s->votes[s->nvotes].count) != 0) {
        status = rc_cli_fail(CMD, "--vote '%s': expected CHOICE=COUNT",
                             rc_cli_name(v, esc, sizeof esc));
        goto out;
      }
      memcpy(s->votes[s->nvotes].choice, v, (size_t)(eq - v));
      for (size_t j = 0; j < s->nvotes; j++)
        if (!strcmp(s->votes[j].choice, s->votes[s->nvotes].choice)) {
          status =
              rc_cli_fail(CMD, "--vote %s is given twice", s->votes[j].choice);
          goto out;
        }
      s->nvotes++;
    } else if (!strcmp(a, "--key") && i + 1 < argc) keyp = argv[++i];
    else if (!strcmp(a, "--out") && i + 1 < argc) out = argv[++i];
    else if (!strcmp(a, "--passphrase-file") && i + 1 < argc)
      passfile = argv[++i];
    else if (!strcmp(a, "--manifest") && i + 1 < argc) mpath = argv[++i];
    else if (!strcmp(a, "--anchor") && i + 1 < argc) anchor = argv[++i];
    else if (!strcmp(a, "--force")) force = 1;
    else {
      status = rc_cli_usage(CMD, rc_cli_sheet_usage, a);
      goto out;
    }
  }
  for (int j = 0; j < 8; j++)
    if (!have[j]) {
      status = rc_cli_fail(CMD, "%s is required", fields[j]);
      goto out;
    }
  if (!keyp || !s->nvotes) {
    status = rc_cli_fail(CMD, "--key and at least one --vote are required");
    goto out;
  }
  if (anchor && !mpath) {
    status = rc_cli_fail(CMD, "--anchor checks the --manifest: give both");
    goto out;
  }
  struct rc_error err;
  int bad = 0;
  if (rc_sheet_arith(s, &err) != RC_OK)
    bad++, rc_cli_refuse(CMD, "%s", err.msg);
  if (s->ballots > s->registered)
    bad++, rc_cli_refuse(CMD, "ballots %llu exceed registered %llu",
                         (unsigned long long)s->ballots,
                         (unsigned long long)s->registered);
  if (mpath) {
    if ((status = rc_cli_read_manifest(CMD, mpath, anchor, &m)) != 0) goto out;
    have_m = 1;
    bad += check_against(s, &m);
  }
  if (bad) {
    status = 1;
    goto out;
  }
  if (!(k = rc_cli_load_signer(CMD, keyp, passfile, 0, &status))) goto out;
  if (have_m && check_key(s, &m, k)) {
    status = 1;
    goto out;
  }
  if (rc_encode_sheet(s, &b) != RC_OK) {
    status = rc_cli_fail(CMD, b.oom ? "out of memory"
                                    : "these figures cannot be written as "
                                      "a count sheet");
    goto out;
  }
  status = 2;
  size_t tl = b.len;
  rc_buf_putc(&b, '\n');
  struct rc_vkey v;
  rc_skey_vkey(k, &v);
  struct rc_buf sl = {0};
  int sr = rc_note_sigline(&v, k->sk, b.p, tl, &sl);
  rc_buf_put(&b, sl.p, sl.len);
  rc_buf_free(&sl);
  if (sr != RC_OK) goto out;
  status = rc_cli_emit(CMD, out, &b, force);
out:
  if (have_m) rc_manifest_free(&m);
  rc_skey_free(k);
  rc_buf_free(&b);
  free(s);
  return status;
}
