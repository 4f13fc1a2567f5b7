/* floor.c — the signature-checking floor for `make bench`.
 *
 * Loads up to N signed count sheets of a record (station key, text,
 * signature) into memory, then checks them in a tight single-threaded loop,
 * once with libsodium's crypto_sign_verify_detached and once with OpenSSL's
 * EVP_DigestVerify (the same calls the verifier's policy makes, nothing
 * else). Prints microseconds per signature for each and their sum, the
 * floor against which recount-verify's time is compared.
 *   floor RECORD N */
#include <openssl/evp.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <dirent.h>

#include "note.h"
#include "record.h"
#include "texts.h"

struct item {
  uint8_t pk[32], sig[64];
  uint8_t *text;
  size_t len;
};

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv) {
  if (argc != 3 || sodium_init() < 0) {
    fprintf(stderr, "usage: floor RECORD N\n");
    return 2;
  }
  size_t want = (size_t)strtoull(argv[2], NULL, 10);
  char path[4096];
  uint8_t *buf;
  size_t len;
  struct rc_error err;
  snprintf(path, sizeof path, "%s/manifest.note", argv[1]);
  struct rc_note n;
  struct rc_manifest m;
  if (rc_read_file(path, RC_MANIFEST_MAX, &buf, &len, &err) ||
      rc_note_parse(buf, len, &n, &err) ||
      rc_parse_manifest(n.text, n.textlen, &m, &err)) {
    fprintf(stderr, "floor: %s\n", err.msg);
    return 2;
  }
  free(buf);
  struct item *it = calloc(want, sizeof *it);
  struct rc_sheet *s = malloc(sizeof *s);
  size_t k = 0;
  snprintf(path, sizeof path, "%s/sheets", argv[1]);
  DIR *d = opendir(path);
  char *names[4096];
  size_t nn = 0;
  struct dirent *de;
  while (d && (de = readdir(d)) && nn < 4096)
    if (de->d_name[0] != '.') names[nn++] = strdup(de->d_name);
  if (d) closedir(d);
  qsort(names, nn, sizeof *names, cmp);
  for (size_t f = 0; f < nn && k < want; f++) {
    snprintf(path, sizeof path, "%s/sheets/%s", argv[1], names[f]);
    if (rc_read_file(path, RC_SHEETS_FILE_MAX, &buf, &len, &err)) continue;
    size_t pos = 0, used;
    while (pos < len && k < want &&
           rc_note_next(buf + pos, len - pos, &used, &n, &err) == RC_OK) {
      if (rc_parse_sheet(n.text, n.textlen, s, &err) == RC_OK && n.nsigs) {
        long si = rc_manifest_station(&m, s->station, strlen(s->station));
        if (si >= 0) {
          memcpy(it[k].pk, m.stations[si].key.pk, 32);
          memcpy(it[k].sig, n.sigs[0].sig, 64);
          it[k].text = malloc(n.textlen);
          memcpy(it[k].text, n.text, n.textlen);
          it[k].len = n.textlen;
          k++;
        }
      }
      pos += used;
    }
    free(buf);
  }
  if (!k) {
    fprintf(stderr, "floor: no sheets\n");
    return 2;
  }
  size_t okc = 0;
  double t0 = now();
  for (size_t i = 0; i < k; i++)
    okc += crypto_sign_verify_detached(it[i].sig, it[i].text, it[i].len,
                                       it[i].pk) == 0;
  double t1 = now();
  for (size_t i = 0; i < k; i++) {
    EVP_PKEY *pk =
        EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, it[i].pk, 32);
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    if (pk && c &&
        EVP_DigestVerifyInit_ex(c, NULL, NULL, NULL, NULL, pk, NULL) == 1 &&
        EVP_DigestVerify(c, it[i].sig, 64, it[i].text, it[i].len) == 1)
      okc++;
    EVP_MD_CTX_free(c);
    EVP_PKEY_free(pk);
  }
  double t2 = now();
  double us_s = (t1 - t0) / (double)k * 1e6, us_o = (t2 - t1) / (double)k * 1e6;
  printf(
      "floor_sheets %zu\nfloor_valid %zu\nlibsodium_us %.2f\nopenssl_us %.2f\n"
      "floor_us %.2f\n",
      k, okc / 2, us_s, us_o, us_s + us_o);
  return okc == 2 * k ? 0 : 1;
}
