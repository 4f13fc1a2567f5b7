# recount-verify links no secret-key code; the whole sign/verify path of a
# small record runs clean under valgrind.
echo "hardening"
bad_syms=$(nm "$V" 2>/dev/null | grep -E ' (rc_skey_|rc_ed25519_sign|rc_ed25519_seed_keypair|rc_note_sigline|crypto_sign_detached|crypto_sign_seed_keypair|crypto_sign_keypair|crypto_pwhash|crypto_aead_)' || true)
# (nm of a stripped binary lists nothing and exits 0: the table must at
# least hold the verifying code for the absence of the rest to mean anything)
if [ -z "$bad_syms" ] && nm "$V" 2>/dev/null | grep -q ' rc_ed25519_verify$' &&
  nm "$S" | grep -q ' rc_skey_load'; then
  ok "recount-verify's symbol table has no secret-key or signing code"
else
  bad "recount-verify links signing code" "$bad_syms"
fi
if command -v valgrind >/dev/null 2>&1 && [ "${RECOUNT_NO_VALGRIND:-}" = "" ]; then
  VG="valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=99"
  VGR=$T/vg
  "$G" synthetic --sheets 300 --districts 3 --out "$VGR" --anchor-out "$T/vg.vkey" --keys-out "$T/vg-keys.txt" 2>/dev/null
  keyfile "$T/vg-keys.txt" 1 "$T/vg-commission.key"
  rm "$VGR/districts.txt" "$VGR/log.txt" "$VGR/checkpoint.note"
  $VG "$S" commit --key "$T/vg-commission.key" "$VGR" >/dev/null 2>"$T/vg1"
  st1=$?
  $VG "$V" record --anchor "$T/vg.vkey" --json "$VGR" >/dev/null 2>"$T/vg2"
  st2=$?
  st_id=$(sed -n 's/^station \([^ ]*\) .*/\1/p' "$VGR/manifest.note" | sed -n 5p)
  $VG "$S" prove "$VGR" --station "$st_id" --anchor "$T/vg.vkey" --out "$T/vg.receipt" >/dev/null 2>"$T/vg3"
  st3=$?
  $VG "$V" receipt --anchor "$T/vg.vkey" --manifest "$VGR/manifest.note" "$T/vg.receipt" >/dev/null 2>"$T/vg4"
  st4=$?
  cp -r "$ROOT/testvectors/tampered/10-two-bad-sheets-two-districts" "$T/vgt"
  $VG "$V" record --anchor "$T/vgt/anchor.vkey" "$T/vgt/record" >/dev/null 2>"$T/vg5"
  st5=$?
  if [ $st1 = 0 ] && [ $st2 = 0 ] && [ $st3 = 0 ] && [ $st4 = 0 ] && [ $st5 = 1 ]; then
    ok "valgrind: commit, verify, prove, receipt and a tampered record (300 sheets) clean"
  else
    bad "valgrind" "exits $st1 $st2 $st3 $st4 $st5; $(cat "$T"/vg[1-5] | head -20)"
  fi
else
  echo "  (valgrind not installed or disabled: skipped)"
fi
