# shellcheck shell=bash
# The golden cases of `recount-verify diff` (testvectors/diff/cases.txt),
# shared by t_82_diff.sh and scripts/update-golden.sh so that both make
# them the same way. Sourced, not run. The verifier runs from inside
# testvectors/tampered/ with relative paths, so no absolute path reaches a
# golden file.

# diff_cases ROOT: the cases, one "NAME OLD NEW" line each
diff_cases() {
  grep -v -e '^#' -e '^anchor ' "$1/testvectors/diff/cases.txt"
}

# diff_goldens VERIFY ROOT OUTDIR: writes OUTDIR/NAME.json and
# OUTDIR/NAME.txt for every case. Returns 1 if the verifier exited with
# anything but 0, 1 or 2 (a crash: the files are not to be kept).
diff_goldens() {
  local v=$1 root=$2 out=$3 name old new st st2 anchor rc=0
  anchor=$(sed -n 's/^anchor //p' "$root/testvectors/diff/cases.txt")
  mkdir -p "$out"
  while read -r name old new; do
    (cd "$root/testvectors/tampered" &&
      "$v" diff --anchor "$anchor" --json "$old/record" "$new/record") \
      >"$out/$name.json" 2>/dev/null
    st=$?
    (cd "$root/testvectors/tampered" &&
      "$v" diff --anchor "$anchor" "$old/record" "$new/record") \
      >"$out/$name.out" 2>"$out/$name.err"
    st2=$?
    {
      printf '$ recount-verify diff --anchor %s %s %s\n' "$anchor" \
        "$old/record" "$new/record"
      golden_stream stdout "$out/$name.out"
      golden_stream stderr "$out/$name.err"
      printf '## exit %d\n' "$st2"
    } >"$out/$name.txt"
    rm -f "$out/$name.out" "$out/$name.err"
    if [ "$st" -gt 2 ] || [ "$st2" -gt 2 ]; then rc=1; fi
  done < <(diff_cases "$root")
  return $rc
}
