# Observers' own copies (--observed) and portable equivocation evidence
# (--evidence, `recount-verify evidence`), RECORD.md v1.1 §6: the golden
# cases of testvectors/observed/cases.txt, then what golden files cannot
# show (bytes written, nothing inside RECORD, special and excess files).
echo "observed copies and evidence"
OBS=$ROOT/testvectors/observed
# shellcheck source=tests/e2e/observed-lib.sh
. tests/e2e/observed-lib.sh
observed_goldens "$V" "$OBS" "$T" "$T/observed-got"
n85=0
while IFS='|' read -r name _; do
  case $name in '' | '#'*) continue ;; esac
  n85=$((n85 + 1))
  golden_check "observed $name" "$OBS/expected/$name.txt" "$T/observed-got/$name.txt"
done <"$OBS/cases.txt"
[ "$n85" -ge 25 ] && ok "observed: $n85 golden cases" || bad "observed: only $n85 cases"

W=$T/obs # the scratch copy the cases ran in
[ ! -e "$W/record/evidence" ] && diff -r "$OBS/record" "$W/record" >"$T/d85" 2>&1 &&
  ok "evidence: nothing written inside RECORD" || bad "evidence: wrote inside RECORD" "$(head -c 300 "$T/d85")"
[ ! -e "$W/none" ] && ok "evidence: no directory made when nothing equivocates" ||
  bad "evidence: made an empty evidence directory"
E=$W/out/s00000.0000002
[ "$(ls -A "$W/out")" = s00000.0000002 ] && [ "$(ls -A "$E" | tr '\n' ' ')" = "a.note b.note manifest.note " ] &&
  ok "evidence: exactly DIR/<station>/{manifest,a,b}.note, no temporary left" ||
  bad "evidence: directory contents" "$(ls -A "$W/out" "$E" | tr '\n' ' ')"
cmp -s "$E/manifest.note" "$OBS/record/manifest.note" && ok "evidence: manifest.note is the record's, byte for byte" ||
  bad "evidence: manifest.note differs from the record's"
# the two notes: the observed one and the record's, exact bytes, bytewise order
if /usr/bin/python3 - "$E" "$OBS/observed/equivocation/s00000.0000002.txt" "$OBS/record/sheets/d00000.txt" <<'PY'
import sys
a = open(sys.argv[1] + '/a.note', 'rb').read()
b = open(sys.argv[1] + '/b.note', 'rb').read()
obs = open(sys.argv[2], 'rb').read()
rec = open(sys.argv[3], 'rb').read()
other = b if a == obs else a
assert obs in (a, b) and other != obs and a < b
assert b'\nstation s00000.0000002\n' in other and other in rec
PY
then
  ok "evidence: the observed note and the record's, exact bytes, a before b"
else
  bad "evidence: a.note/b.note are not the two notes in bytewise order"
fi

# observed copies never change a total
sed 's/,"observed":{[^}]*}//' "$T/observed-got/11-withheld-json.txt" | sed -n 3p >"$T/o1"
sed -n 3p "$T/observed-got/17-without-observed-json.txt" | sed 's/"verdict":"[a-z]*"//; s/,"findings".*//' >"$T/o2"
sed 's/"verdict":"[a-z]*"//; s/,"findings".*//' "$T/o1" >"$T/o3"
cmp -s "$T/o2" "$T/o3" && ok "observed: a withheld sheet changes no total" ||
  bad "observed: totals changed" "$(diff "$T/o2" "$T/o3" | head -c 300)"

# an equivocation inside the record gives evidence too, which proves it
C06=$ROOT/testvectors/tampered/06-equivocation
expect_exit 1 "evidence: a record's own equivocation is written" \
  "$V" record --anchor "$C06/anchor.vkey" --evidence "$T/ev06" "$C06/record"
expect_exit 0 "evidence: a record's own equivocation is proved" \
  "$V" evidence --anchor "$C06/anchor.vkey" "$T/ev06/s00000.0000000"
expect_exit 1 "evidence: not proved against another anchor" \
  "$V" evidence --anchor "$KRD/commission.vkey" "$T/ev06/s00000.0000000"
grep -q "^NOT PROVEN: manifest.note: no signature line by the anchor key" "$T/out" &&
  ok "evidence: says the manifest is not the anchor's" || bad "evidence: reason" "$(cat "$T/out")"

# special and oversized files in an evidence directory: named, never opened
cp -r "$E" "$T/ev-fifo"
rm "$T/ev-fifo/b.note" && mkfifo "$T/ev-fifo/b.note"
expect_exit 1 "evidence: a FIFO is refused without blocking" timeout 20 "$V" evidence --anchor "$OBS/anchor.vkey" "$T/ev-fifo"
grep -q "b.note: a FIFO, not a regular file" "$T/out" && ok "evidence: names the FIFO" || bad "evidence: FIFO reason" "$(cat "$T/out")"
mkdir -p "$T/ev-big/s00000.0000002" && cp "$E"/* "$T/ev-big/s00000.0000002/"
head -c 1048576 /dev/zero >>"$T/ev-big/s00000.0000002/a.note"
expect_exit 1 "evidence: an oversized note is refused" "$V" evidence --anchor "$OBS/anchor.vkey" "$T/ev-big/s00000.0000002"
grep -q "NOT PROVEN: a.note: .* bytes, above the limit" "$T/out" && ok "evidence: names the oversized file" ||
  bad "evidence: oversized reason" "$(cat "$T/out")"
mkdir -p "$T/ev-esc/s00000.0000002" && cp "$E"/* "$T/ev-esc/s00000.0000002/"
: >"$T/ev-esc/s00000.0000002/$(printf 'x\033[2Jy')"
expect_exit 1 "evidence: an extra file with a control character" "$V" evidence --anchor "$OBS/anchor.vkey" "$T/ev-esc/s00000.0000002"
grep -q 'x\\x1b\[2Jy: extra file' "$T/out" && ! grep -q "$(printf '\033')" "$T/out" &&
  ok "evidence: the name is printed escaped" || bad "evidence: raw control byte" "$(od -c "$T/out" | head -3)"

# an observed directory with a FIFO, and with more than 100,000 files
mkdir -p "$T/obs-fifo" && mkfifo "$T/obs-fifo/pipe" && cp "$OBS/observed/withheld/"* "$T/obs-fifo/"
expect_exit 1 "observed: a FIFO is reported, never opened" timeout 20 "$V" record --anchor "$OBS/anchor.vkey" --json --observed "$T/obs-fifo" "$OBS/record"
grep -q '"code":"OBSERVED_INVALID","severity":"warning","file":"observed:pipe","message":"a FIFO, not a regular file: not opened"' "$T/out" &&
  grep -q '"code":"OBSERVED_WITHHELD"' "$T/out" &&
  ok "observed: the FIFO is OBSERVED_INVALID, the rest is read" || bad "observed: FIFO" "$(head -c 300 "$T/out")"
mkdir -p "$T/obs-many"
cp "$OBS/observed/matched/agent-b/photo.txt" "$T/obs-many/a.txt"
/usr/bin/python3 -c '
import os, sys
for i in range(100000): open(os.path.join(sys.argv[1], "f%06d" % i), "wb").close()
' "$T/obs-many"
expect_exit 0 "observed: 100,001 files are read up to the limit" "$V" record --anchor "$OBS/anchor.vkey" --json --observed "$T/obs-many" "$OBS/record"
grep -q '"observed":{"sheets":100001,"matched":1,"mismatched":0,"withheld":0,"invalid":100000}' "$T/out" &&
  grep -q '"file":"observed:f099999","message":"more than 100,000 files under the observed directory; the rest are not read"' "$T/out" &&
  grep -q '"file":"observed:f099998","message":"empty file: it holds no signed count sheet"' "$T/out" &&
  ok "observed: past 100,000 files the rest is one OBSERVED_INVALID, never read" ||
  bad "observed: excess files" "$(grep -o '"observed":{[^}]*}' "$T/out")"
rm -rf "$T/obs-many"
