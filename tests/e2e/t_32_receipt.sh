# (v1.1) station receipts as C2SP tlog-proof@v1 files (RECORD.md §5):
# `recount-sign prove` writes the shipped receipts byte for byte, every
# station's with --all (each under 4 KB, each verifying), refuses what it
# must; `recount-verify receipt` gives the golden reports of
# testvectors/receipts/cases.txt (human and JSON).
echo "receipts (tlog-proof)"
RV=$ROOT/testvectors/receipts
# shellcheck source=tests/e2e/receipt-lib.sh
. "$ROOT/tests/e2e/receipt-lib.sh"

# prove writes the shipped receipts again, byte for byte
mkdir -p "$T/rc" && cd "$T/rc" || exit 2
"$S" prove "$KRD/record" --station erbil-centre.0001 --anchor "$KRD/commission.vkey" 2>"$T/err"
st=$?
[ $st = 0 ] && cmp -s erbil-centre.0001.tlog-proof "$RV/krd-erbil-centre.0001.tlog-proof" &&
  grep -q "^wrote erbil-centre.0001.tlog-proof$" "$T/err" &&
  ok "prove: writes STATION.tlog-proof in the current directory, the shipped bytes" ||
  bad "prove: default output" "exit $st; $(cat "$T/err")"
expect_exit 1 "prove: never overwrites an existing receipt" "$S" prove "$KRD/record" \
  --station erbil-centre.0001 --anchor "$KRD/commission.vkey"
grep -q "already exists" "$T/err" && ok "prove: says the receipt exists" || bad "prove: exists message" "$(cat "$T/err")"
"$S" prove "$KRD/preliminary" --station erbil-centre.0001 --anchor "$KRD/commission.vkey" --out - \
  >"$T/rc/pre.out" 2>"$T/err"
cmp -s "$T/rc/pre.out" "$RV/krd-preliminary-erbil-centre.0001.tlog-proof" &&
  ok "prove: a preliminary release (outcome not yet determined) gets receipts; --out - writes stdout" ||
  bad "prove: preliminary" "$(cat "$T/err")"
W=$ROOT/testvectors/tampered/82-witness-cosigned
"$S" prove "$W/record" --station s00000.0000000 --anchor "$W/anchor.vkey" --out "$T/rc/w.tlog-proof" 2>"$T/err"
cmp -s "$T/rc/w.tlog-proof" "$RV/witness-s00000.0000000.tlog-proof" &&
  grep -c '^— w[0-9].example ' "$T/rc/w.tlog-proof" | grep -q '^3$' &&
  ok "prove: the checkpoint keeps its witness cosignature lines" || bad "prove: witness receipt" "$(cat "$T/err")"
cd "$ROOT" || exit 2

# refusals
expect_exit 1 "prove: a station not in the manifest is refused" "$S" prove "$KRD/record" \
  --station no-such.0001 --anchor "$KRD/commission.vkey" --out "$T/rc/x"
grep -q "no-such.0001: not a station of the manifest" "$T/err" && ok "prove: names the unknown station" ||
  bad "prove: unknown station message" "$(cat "$T/err")"
late=$(comm -23 <(cut -d' ' -f1 "$KRD/record/log.txt" | sort) <(cut -d' ' -f1 "$KRD/preliminary/log.txt" | sort) | head -n 1)
expect_exit 1 "prove: a station without a counted sheet in this release is refused" "$S" prove \
  "$KRD/preliminary" --station "$late" --anchor "$KRD/commission.vkey" --out "$T/rc/late"
grep -q "$late: the station has no counted sheet in this release" "$T/err" && [ ! -e "$T/rc/late" ] &&
  ok "prove: says so and writes nothing" || bad "prove: uncounted station" "$(cat "$T/err")"
expect_exit 1 "prove: a tampered record is refused" "$S" prove "$ROOT/testvectors/tampered/01-forged-count/record" \
  --station s00000.0000000 --anchor "$ROOT/testvectors/tampered/01-forged-count/anchor.vkey" --out "$T/rc/t"
grep -q "refused: the record has" "$T/err" && ok "prove: lists why the record is refused" || bad "prove: refusal" "$(cat "$T/err")"
expect_exit 2 "prove: --station and --all together is a usage error" "$S" prove "$KRD/record" \
  --station erbil-centre.0001 --all "$T/rc/all" --anchor "$KRD/commission.vkey"

# --all: every station in one pass, each under 4 KB, all verifying
"$S" prove "$KRD/record" --all "$T/all" --anchor "$KRD/commission.vkey" 2>"$T/err"
st=$?
n=$(find "$T/all" -name '*.tlog-proof' | wc -l)
big=$(find "$T/all" -name '*.tlog-proof' -size +4095c | wc -l)
[ $st = 0 ] && [ "$n" = 12092 ] && [ "$big" = 0 ] &&
  grep -q "^wrote 12,092 receipts to $T/all" "$T/err" &&
  ok "prove --all: 12,092 receipts of the Kurdistan record, each under 4 KB" ||
  bad "prove --all" "exit $st, $n files, $big over 4 KB; $(cat "$T/err")"
cmp -s "$T/all/duhok-centre.0002.tlog-proof" "$RV/krd-duhok-centre.0002.tlog-proof" &&
  cmp -s "$T/all/erbil-centre.0001.tlog-proof" "$RV/krd-erbil-centre.0001.tlog-proof" &&
  ok "prove --all: the same bytes as one station's prove" || bad "prove --all: bytes differ from prove"
nv=0
for f in $(ls "$T/all" | awk 'NR % 997 == 1'); do
  "$V" receipt --anchor "$KRD/commission.vkey" --manifest "$KRD/record/manifest.note" "$T/all/$f" >/dev/null 2>&1 &&
    nv=$((nv + 1)) || bad "prove --all: $f does not verify"
done
[ "$nv" = 13 ] && ok "prove --all: a sample of 13 receipts verifies with the manifest"
expect_exit 1 "prove --all: a directory that is not empty is refused" "$S" prove "$KRD/record" \
  --all "$T/all" --anchor "$KRD/commission.vkey"
grep -q "not empty" "$T/err" && ok "prove --all: says the directory is not empty" || bad "prove --all: message" "$(cat "$T/err")"
cp -r "$ROOT/testvectors/tampered/19-duplicate-sheet" "$T/r19"
expect_exit 1 "prove --all: a directory inside the record is refused" "$S" prove "$T/r19/record" \
  --all "$T/r19/record/receipts" --anchor "$T/r19/anchor.vkey"
[ ! -e "$T/r19/record/receipts" ] && ok "prove --all: nothing written inside the record" ||
  bad "prove --all: wrote inside the record"
(cd "$T/r19/record/sheets" && "$S" prove .. --station s00002.0000003 --anchor ../../anchor.vkey >/dev/null 2>"$T/err")
st=$?
[ $st = 1 ] && [ ! -e "$T/r19/record/sheets/s00002.0000003.tlog-proof" ] && grep -q "inside the record" "$T/err" &&
  ok "prove: a receipt that would land inside the record is refused" || bad "prove: output inside the record" "exit $st; $(cat "$T/err")"
expect_exit 1 "prove --all: a refused record" "$S" prove "$ROOT/testvectors/tampered/01-forged-count/record" \
  --all "$T/refused" --anchor "$ROOT/testvectors/tampered/01-forged-count/anchor.vkey"
[ ! -e "$T/refused" ] && ok "prove --all: a refused record leaves no directory behind" || bad "prove --all: left $T/refused"
RECOUNT_FAIL_WRITE_AFTER=3 "$S" prove "$T/r19/record" --all "$T/full" --anchor "$T/r19/anchor.vkey" >/dev/null 2>"$T/err"
st=$?
[ $st = 2 ] && [ ! -e "$T/full" ] && ok "prove --all: a write that fails (disk full) exits 2 and removes what it wrote" ||
  bad "prove --all: disk full" "exit $st; $(ls "$T/full" 2>&1 | head -3)"

# lines anyone can append to a published file (junk, an unterminated last
# one) never reach a receipt: prove keeps the text and the lines that verify
rm -rf "$T/r19/record/sheets/copy"
f=$T/r19/record/sheets/d00002.txt
for i in $(seq 1 300); do printf '\xe2\x80\x94 junk.example %s\n' "$(head -c 68 /dev/zero | base64 -w0)"; done >>"$f"
printf '\xe2\x80\x94 junk.example AAAA' >>"$f"
expect_exit 0 "junk lines appended: the record still verifies" "$V" record --anchor "$T/r19/anchor.vkey" "$T/r19/record"
"$S" prove "$T/r19/record" --all "$T/junk" --anchor "$T/r19/anchor.vkey" 2>"$T/err"
st=$?
big=$(find "$T/junk" -name '*.tlog-proof' -size +4095c | wc -l)
[ $st = 0 ] && [ "$(ls "$T/junk" | wc -l)" = 12 ] && [ "$big" = 0 ] && ! grep -q junk "$T"/junk/* &&
  ok "junk lines appended: every receipt is written, under 4 KB, without them" ||
  bad "junk lines: prove" "exit $st; $(cat "$T/err")"
nv=0
for r in "$T"/junk/*.tlog-proof; do
  "$V" receipt --anchor "$T/r19/anchor.vkey" --manifest "$T/r19/record/manifest.note" "$r" >/dev/null 2>&1 && nv=$((nv + 1))
done
[ "$nv" = 12 ] && ok "junk lines appended: the 12 receipts verify with the manifest" || bad "junk lines: $nv of 12 verify"

# recount-verify receipt: the golden cases
RG=$T/receiptgold
if receipt_goldens "$V" "$ROOT" "$RG"; then
  ok "receipt: the golden cases ran (exit 0, 1 or 2)"
else bad "receipt: a golden case crashed"; fi
while read -r name _; do
  golden_check "receipt $name: human report" "$RV/expected/$name.txt" "$RG/$name.txt"
  golden_check "receipt $name: --json" "$RV/expected/$name.json" "$RG/$name.json"
done < <(receipt_cases "$ROOT")
grep -q '^## exit 0 ' "$RG/krd.txt" && grep -q '^## exit 0 ' "$RG/krd-manifest.txt" &&
  grep -q '^## exit 0 ' "$RG/witness.txt" && grep -q '^## exit 1 ' "$RG/resigned-manifest.txt" &&
  grep -q '^## exit 0 ' "$RG/resigned.txt" && grep -q '^## exit 2 ' "$RG/missing-file.txt" &&
  grep -q 'NOT checked' "$RG/resigned.txt" && grep -q '^## exit 0 ' "$RG/origin.txt" &&
  grep -q "origin (khec.example/krd-2017) was NOT checked" "$RG/krd.txt" &&
  ! grep -q "origin.*NOT checked" "$RG/origin.txt" "$RG/krd-manifest.txt" &&
  ok "receipt: without --manifest only the log is checked, and it says so; with it the station's key" ||
  bad "receipt: exit statuses of the golden cases"
nfail=0
for c in wrong-anchor other-manifest bad-proof-hash bad-index forged-count no-extra unsigned-checkpoint \
  other-size size-confusion wrong-origin truncated witness-quorum; do
  grep -q '^## exit 1 ' "$RG/$c.txt" && nfail=$((nfail + 1)) || bad "receipt $c: not refused"
done
[ "$nfail" = 12 ] && ok "receipt: each altered receipt, wrong key, other log or missing cosignature exits 1"

# every receipt of --all, checked by the independent tlog-proof verifier
# (tests/interop, written from the C2SP specifications, PyNaCl), and every
# golden receipt JSON against docs/receipt.schema.json
if /usr/bin/python3 -c 'import nacl.signing' 2>/dev/null; then
  PYTHONDONTWRITEBYTECODE=1 /usr/bin/python3 "$ROOT/tests/interop/tlogproof_verify.py" \
    --vkey "$KRD/commission.vkey" --origin khec.example/krd-2017 "$T"/all/*.tlog-proof >"$T/iv.out" 2>&1
  st=$?
  n=$(grep -c '^OK ' "$T/iv.out")
  [ $st = 0 ] && [ "$n" = 12092 ] &&
    ok "interop: an independent tlog-proof verifier accepts all 12,092 receipts" ||
    bad "interop: receipts" "exit $st, $n OK; $(grep -v '^OK ' "$T/iv.out" | head -c 400)"
  PYTHONDONTWRITEBYTECODE=1 /usr/bin/python3 "$ROOT/tests/interop/tlogproof_verify.py" \
    --vkey "$T/r19/anchor.vkey" "$T"/junk/*.tlog-proof >"$T/iv.out" 2>&1
  [ $? = 0 ] && [ "$(grep -c '^OK ' "$T/iv.out")" = 12 ] &&
    ok "interop: the receipts of a record with junk lines appended are accepted too" ||
    bad "interop: junk-line receipts" "$(grep -v '^OK ' "$T/iv.out" | head -c 400)"
  PYTHONDONTWRITEBYTECODE=1 /usr/bin/python3 "$ROOT/tests/interop/tlogproof_verify.py" \
    --vkey "$KRD/commission.vkey" "$RV/bad-proof-hash.tlog-proof" "$RV/forged-count.tlog-proof" \
    "$RV/other-size.tlog-proof" "$RV/size-confusion.tlog-proof" >"$T/iv.out" 2>&1
  [ $? = 1 ] && [ "$(grep -c '^FAIL ' "$T/iv.out")" = 4 ] &&
    ok "interop: it rejects the altered receipts too" || bad "interop: altered receipts" "$(head -c 400 "$T/iv.out")"
else
  echo "  skip interop: /usr/bin/python3 has no nacl (python3-nacl; scripts/deps.sh installs it)"
fi
if [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import jsonschema' 2>/dev/null; then
  if /usr/bin/python3 "$ROOT/tests/e2e/validate-json.py" "$ROOT/docs/receipt.schema.json" \
    "$RV"/expected/*.json >"$T/rval" 2>&1; then
    ok "receipt schema: every golden receipt report validates"
  else bad "receipt schema: golden reports" "$(head -c 600 "$T/rval")"; fi
else
  echo "  skipped: receipt schema checks (/usr/bin/python3 with python3-jsonschema not installed)"
fi

# a file too large to be a receipt is a receipt that fails (exit 1), not a
# run that could not be made (it was exit 2 before)
head -c 1100000 /dev/zero >"$T/big.tlog-proof"
expect_exit 1 "receipt: a file over 1 MiB is refused as a receipt" "$V" receipt --anchor "$KRD/commission.vkey" "$T/big.tlog-proof"
grep -q "larger than 1048576 bytes: not a receipt" "$T/out" && ok "receipt: says the file is too large" ||
  bad "receipt: too-large message" "$(cat "$T/out")"
