# C2SP tlog-proof@v1 interoperability: tests/interop/tlogproof_verify.py is
# a verifier written from the C2SP specifications alone (no code of
# recount's); its self-test builds trees, checkpoints and proofs with PyNaCl
# and checks that it accepts them and rejects each kind of damage; then it
# builds proofs of both shipped Kurdistan releases from their files alone
# (log.txt, sheets/, checkpoint.note), which recount-sign commit made.
echo "tlog-proof interop"
if ! /usr/bin/python3 -c 'import nacl.signing' 2>/dev/null; then
  echo "  skip tlog-proof interop: /usr/bin/python3 has no nacl (python3-nacl; scripts/deps.sh installs it)"
else
  PYTHONDONTWRITEBYTECODE=1 /usr/bin/python3 "$ROOT/tests/interop/selftest.py" "$T" \
    "$KRD/preliminary" "$KRD/commission.vkey" "$KRD/record" "$KRD/commission.vkey" \
    >"$T/interop.out" 2>"$T/interop.err"
  interop_st=$?
  while IFS= read -r line; do
    case $line in
    "ok "*) ok "interop self-test: ${line#ok }" ;;
    "FAIL "*) bad "interop self-test: ${line#FAIL }" ;;
    esac
  done <"$T/interop.out"
  grep -q '^ok ' "$T/interop.out" ||
    bad "interop self-test: no case ran" "exit $interop_st; $(head -c 400 "$T/interop.err")"
  if [ "$interop_st" != 0 ] && ! grep -q '^FAIL ' "$T/interop.out"; then
    bad "interop self-test" "exit $interop_st; $(head -c 400 "$T/interop.err")"
  fi
fi

# docs/receipt.schema.json (recount-verify receipt --json) accepts the
# examples tests/interop/receipt-json/ok-*.json and rejects each bad-*.json
# (the error object of exit 2 is report.schema.json's)
if [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import jsonschema' 2>/dev/null; then
  RJ=$ROOT/tests/interop/receipt-json
  rj_ok=("$RJ"/ok-*.json)
  if /usr/bin/python3 "$ROOT/tests/e2e/validate-json.py" "$ROOT/docs/receipt.schema.json" \
    "${rj_ok[@]}" >"$T/rval" 2>&1; then
    ok "receipt schema: ${#rj_ok[@]} example receipt reports validate"
  else bad "receipt schema: examples" "$(head -c 600 "$T/rval")"; fi
  for rj_bad in "$RJ"/bad-*.json; do
    if /usr/bin/python3 "$ROOT/tests/e2e/validate-json.py" "$ROOT/docs/receipt.schema.json" \
      "$rj_bad" >"$T/rval" 2>&1; then
      bad "receipt schema rejects $(basename "$rj_bad")"
    elif [ -s "$T/rval" ] && grep -q "^$rj_bad: " "$T/rval"; then
      ok "receipt schema rejects $(basename "$rj_bad" .json)"
    else bad "receipt schema: $(basename "$rj_bad")" "$(head -c 400 "$T/rval")"; fi
  done
else
  echo "  skipped: receipt schema checks (/usr/bin/python3 with python3-jsonschema not installed)"
fi
