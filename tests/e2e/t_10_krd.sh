# The shipped Kurdistan record: reproducible, verifies, sums to the
# commission's published figures, same bytes whatever the thread count.
echo "krd-2017 record"
"$G" krd --csv "$KRD/districts.csv" --out "$T/krd" --anchor-out "$T/krd.vkey" \
  --keys-out "$T/krd-keys.txt" --preliminary-out "$T/krd-pre" 2>"$T/err"
if diff -r "$T/krd" "$KRD/record" >/dev/null && cmp -s "$T/krd.vkey" "$KRD/commission.vkey" &&
  diff -r "$T/krd-pre" "$KRD/preliminary" >/dev/null &&
  cmp -s "$T/krd-keys.txt" "$KRD/TEST-KEYS-DO-NOT-USE.txt"; then
  ok "krd: regenerated record and preliminary release are byte-identical to the committed ones"
else
  bad "krd: regenerated record differs from the committed one"
fi

# the reports run from inside testvectors/krd-2017 with relative paths, as
# their golden files are made (golden-lib.sh)
expect_exit 0 "krd: verifies (exit 0)" golden_json "$V" "$KRD" commission.vkey
cp "$T/out" "$T/krd.json"
want='"totals":{"registered":4581255,"ballots":3305925,"invalid":40011,"blank":9368,"excluded":170611,"valid":3085935,"votes":{"yes":2861471,"no":224464}}'
if grep -qF "$want" "$T/krd.json" && grep -qF '"verdict":"reconciled"' "$T/krd.json" &&
  grep -qF '"findings":[]' "$T/krd.json"; then
  ok "krd: recomputed totals equal the published figures, no finding"
else
  bad "krd: totals or verdict wrong" "$(head -c 300 "$T/krd.json")"
fi
nd=$(grep -o '"id":"[^"]*","stations"' "$T/krd.json" | wc -l)
[ "$nd" = 51 ] && ok "krd: 51 districts reported" || bad "krd: $nd districts reported"
golden_check "krd: --json report" "$KRD/expected.json" "$T/krd.json"

golden_txt "$V" "$KRD" commission.vkey "$T" >"$T/krd.golden"
golden_check "krd: human report" "$KRD/expected.txt" "$T/krd.golden"
cp "$T/golden.out" "$T/krd.txt"
# (marks end a row; the district table's legend names both)
n_ok=$(grep -c ' ✓$' "$T/krd.txt")
if [ "$n_ok" = 11 ] && ! grep -q ' ✗$\| ✗ = ' "$T/krd.txt" && grep -q 'Verdict: RECONCILED' "$T/krd.txt"; then
  ok "krd: human report shows 11 published figures ✓"
else
  bad "krd: human report" "$n_ok ✓"
fi

same=1
for th in 1 3; do
  golden_json "$V" "$KRD" commission.vkey --threads $th >"$T/krd.$th.json"
  cmp -s "$T/krd.$th.json" "$T/krd.json" || same=0
  golden_txt "$V" "$KRD" commission.vkey "$T" --threads $th >/dev/null
  cmp -s "$T/golden.out" "$T/krd.txt" || same=0
done
[ $same = 1 ] && ok "krd: identical output with 1, 2 (default) and 3 threads" ||
  bad "krd: output depends on the thread count"

# --crypto libsodium or openssl: the same report but for the line that says
# who decides a signature (it warns that it is not the RECORD.md rule)
grep -v '^  signatures ' "$T/krd.txt" >"$T/krd.rest"
for mode in libsodium openssl; do
  case $mode in
  libsodium) who="libsodium alone decides" ;;
  openssl) who="OpenSSL alone decides" ;;
  esac
  expect_exit 0 "krd: verifies with --crypto $mode" golden_txt "$V" "$KRD" commission.vkey "$T" --crypto $mode
  if grep -qxF "  signatures $who (--crypto $mode; not the auditable rule of RECORD.md)" "$T/golden.out" &&
    grep -v '^  signatures ' "$T/golden.out" | cmp -s - "$T/krd.rest"; then
    ok "krd: --crypto $mode says \"$who\", the rest of the report is unchanged"
  else
    bad "krd: --crypto $mode report" "$(diff "$T/krd.txt" "$T/golden.out" | head -n 6 | tr '\n' ' ')"
  fi
done

# the verifier never writes inside RECORD
before=$(cd "$KRD/record" && find . -type f -exec sha256sum {} + | sort | sha256sum; ls -laR --time-style=+%s . | sha256sum)
"$V" record --anchor "$KRD/commission.vkey" "$KRD/record" >/dev/null 2>&1
after=$(cd "$KRD/record" && find . -type f -exec sha256sum {} + | sort | sha256sum; ls -laR --time-style=+%s . | sha256sum)
[ "$before" = "$after" ] && ok "krd: verification leaves RECORD untouched" || bad "krd: RECORD changed"

# commit recomputes exactly the generator's commitments
cp -r "$KRD/record" "$T/krd-commit"
rm "$T/krd-commit/districts.txt" "$T/krd-commit/log.txt" "$T/krd-commit/checkpoint.note"
keyfile "$KRD/TEST-KEYS-DO-NOT-USE.txt" 1 "$T/commission.key"
expect_exit 0 "krd: recount-sign commit --previous PRELIMINARY succeeds" "$S" commit --key "$T/commission.key" --previous "$KRD/preliminary" "$T/krd-commit"
if cmp -s "$T/krd-commit/districts.txt" "$KRD/record/districts.txt" &&
  cmp -s "$T/krd-commit/log.txt" "$KRD/record/log.txt" &&
  cmp -s "$T/krd-commit/checkpoint.note" "$KRD/record/checkpoint.note"; then
  ok "krd: commit output is byte-identical to the generator's"
else
  bad "krd: commit output differs from the generator's"
fi

# (v1.1) the two releases: the preliminary verifies on its own (stations
# not yet counted are warnings), the final extends it. Its 1,823,712
# voters not yet counted exceed the margin over its counted sheets, so by
# RECORD.md v1.1 §6 it is OUTCOME_NOT_DETERMINED (error, exit 1): the one
# error finding; every published (partial) figure still reconciles.
expect_exit 1 "krd: the preliminary release verifies (outcome not yet determined)" "$V" record --anchor "$KRD/commission.vkey" --json "$KRD/preliminary"
grep -qF '"log":{"size":7277,' "$T/out" && grep -qF '"verdict":"discrepancies"' "$T/out" &&
  [ "$(grep -o '"severity":"error"' "$T/out" | wc -l)" = 1 ] &&
  grep -qF '"code":"OUTCOME_NOT_DETERMINED","severity":"error"' "$T/out" &&
  ! grep -qF '"ok":false' "$T/out" &&
  ok "krd: the preliminary release logs 7,277 sheets (60 %), reconciles its partial figures, outcome not determined" ||
  bad "krd: preliminary" "$(head -c 300 "$T/out")"
if head -n 1 "$KRD/preliminary/log.txt" | grep -q '^erbil-centre\.' &&
  tail -n 1 "$KRD/preliminary/log.txt" | grep -q '^diaspora\.'; then
  ok "krd: the preliminary log starts in Erbil and ends with the diaspora"
else
  bad "krd: preliminary log order"
fi
expect_exit 0 "krd: the final record verifies with --previous the preliminary checkpoint" \
  "$V" record --anchor "$KRD/commission.vkey" --previous "$KRD/preliminary/checkpoint.note" "$KRD/record"
expect_exit 0 "krd: diff preliminary final exits 0" "$V" diff --anchor "$KRD/commission.vkey" "$KRD/preliminary" "$KRD/record"

# the generator reads its district table with the project's CSV parser and
# strict count reader (tools/gen_table.c): a count with a leading zero, a
# row of the wrong width and a row that does not balance are refused, each
# naming the row
bad_table() { # bad_table NAME SED_EXPR WANT
  sed "$2" "$KRD/districts.csv" >"$T/bad-$1.csv"
  if "$G" krd --csv "$T/bad-$1.csv" --out "$T/bad-$1" --anchor-out "$T/bad-$1.vkey" \
    >/dev/null 2>"$T/err"; then
    bad "krd table: $1 accepted"
  elif grep -qF "$3" "$T/err"; then
    ok "krd table: $1 refused ($3)"
  else
    bad "krd table: $1" "$(cat "$T/err")"
  fi
}
bad_table leading-zero '2s/,641777,/,0641777,/' 'row 2, column 8: not a count'
bad_table width '3s/$/,extra/' 'more fields than the header'
bad_table unbalanced '2s/,449896,/,449897,/' 'row 2: row does not balance'
