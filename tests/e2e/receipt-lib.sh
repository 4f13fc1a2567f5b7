# shellcheck shell=bash
# The golden cases of `recount-verify receipt`
# (testvectors/receipts/cases.txt), shared by t_32_receipt.sh and
# scripts/update-golden.sh so that both make them the same way. Sourced,
# not run. The verifier runs from inside testvectors/receipts/ with
# relative paths, so no absolute path reaches a golden file.

# receipt_cases ROOT: the cases, one "NAME ARGS..." line each
receipt_cases() {
  grep -v -e '^#' -e '^$' "$1/testvectors/receipts/cases.txt"
}

# receipt_goldens VERIFY ROOT OUTDIR: writes OUTDIR/NAME.json and
# OUTDIR/NAME.txt for every case. Returns 1 if the verifier exited with
# anything but 0, 1 or 2 (a crash: the files are not to be kept).
receipt_goldens() {
  local v=$1 root=$2 out=$3 name args st st2 rc=0
  mkdir -p "$out"
  while read -r name args; do
    # shellcheck disable=SC2086 # the arguments are words without spaces
    (cd "$root/testvectors/receipts" && "$v" receipt --json $args) \
      >"$out/$name.json" 2>/dev/null
    st=$?
    # shellcheck disable=SC2086
    (cd "$root/testvectors/receipts" && "$v" receipt $args) \
      >"$out/$name.out" 2>"$out/$name.err"
    st2=$?
    {
      printf '$ recount-verify receipt %s\n' "$args"
      golden_stream stdout "$out/$name.out"
      golden_stream stderr "$out/$name.err"
      printf '## exit %d (--json: exit %d)\n' "$st2" "$st"
    } >"$out/$name.txt"
    rm -f "$out/$name.out" "$out/$name.err"
    if [ "$st" -gt 2 ] || [ "$st2" -gt 2 ]; then rc=1; fi
  done < <(receipt_cases "$root")
  return $rc
}
