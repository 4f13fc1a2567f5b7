/* cli_key.c — loading a signer key for a command of recount-sign (cli.h). */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cosig.h"
#include "skey.h"

#define PROG "recount-sign"

int rc_cli_load_status = 2;

struct rc_skey *rc_cli_load_key(const char *path, const char *passfile,
                                int cosign) {
  struct rc_skey *k = rc_skey_new();
  struct rc_error err;
  char *pass = NULL;
  if (!k) {
    fprintf(stderr, PROG ": out of memory\n");
    return NULL;
  }
  int enc = rc_skey_file_encrypted(path);
  if (enc == 1) {
    pass = rc_pass_read(passfile, "Passphrase: ", 0, &err);
    if (!pass) {
      fprintf(stderr, PROG ": %s\n", err.msg);
      rc_skey_free(k);
      return NULL;
    }
  }
  if (rc_skey_load(path, pass, pass ? strlen(pass) : 0, k, NULL, &err) !=
      RC_OK) {
    fprintf(stderr, PROG ": %s\n", err.msg);
    rc_cli_load_status =
        (err.code == RC_ERR_KEY || err.code == RC_ERR_KEYID) ? 1 : 2;
    rc_pass_free(pass);
    rc_skey_free(k);
    return NULL;
  }
  rc_pass_free(pass);
  if ((k->type == RC_COSIG_TYPE) != (cosign != 0)) {
    fprintf(stderr,
            cosign ? PROG ": %s is a note signing key; a witness cosigns "
                     "with a cosignature key (keygen --cosign)\n"
                   : PROG ": %s is a witness cosignature key: it cosigns "
                     "checkpoints (recount-sign witness), it signs no note\n",
            path);
    rc_cli_load_status = 1;
    rc_skey_free(k);
    return NULL;
  }
  return k;
}

