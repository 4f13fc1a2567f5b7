# The commission's workflow: the README's walk-through ("For stations and
# the commission", the block between <!-- workflow:begin --> and
# <!-- workflow:end -->) run exactly as written, then every refusal of
# the workflow commands (sheet --manifest, cosign --station, publish,
# sign, keys from a pipe) with its exact message.
echo "recount-sign workflow (README walk-through)"
W=$T/workflow
mkdir -p "$W"
ln -s "$ROOT/$BIN" "$W/bin"
awk '/^<!-- workflow:begin/ { on = 1; next } /^<!-- workflow:end/ { on = 0 }
  on && /^```/ { next } on { print }' README.md >"$W/walkthrough.sh"
[ "$(grep -c '^recount-sign' "$W/walkthrough.sh")" -ge 10 ] &&
  ok "workflow: the README block holds the walk-through" ||
  bad "workflow: README block not found" "$(head -c 300 "$W/walkthrough.sh")"
(cd "$W" && bash -e -u -o pipefail walkthrough.sh >"$T/wf.out" 2>"$T/wf.err")
rc=$?
[ "$rc" = 0 ] && ok "workflow: every README command succeeds" ||
  bad "workflow: README walk-through exit $rc" "$(tail -c 600 "$T/wf.err")"
grep -q '^Verdict: RECONCILED' "$T/wf.out" && ok "workflow: the README's record reconciles" ||
  bad "workflow: verdict" "$(tail -n 3 "$T/wf.out")"
E=$W/election
R=$E/record
expect_exit 0 "workflow: the record verifies (JSON)" "$V" record --anchor "$E/commission.vkey" --json "$R"
grep -q '"verdict":"reconciled"' "$T/out" && ok "workflow: JSON verdict reconciled" ||
  bad "workflow: JSON verdict" "$(head -c 300 "$T/out")"
grep -q "^key id       [0-9a-f]\{8\}$" "$T/wf.out" &&
  [ "$(grep -c '^key id' "$T/wf.out")" = 5 ] && ok "workflow: keygen prints the key id" ||
  bad "workflow: keygen key id"
id=$(cut -d+ -f2 "$E/commission.vkey")
grep -qx "key id       $id" "$T/wf.out" && ok "workflow: the key id printed is the verifier key's" ||
  bad "workflow: key id differs from the .vkey"
grep -c '^— observer-1 ' "$R/sheets/north.txt" | grep -qx 1 &&
  ok "workflow: the observer's line is in the district file" || bad "workflow: no observer line"

cd "$E" || exit 1
M=(--manifest record/manifest.note)
S1=(--election demo-2026 --district north --station s1 --registered 500
  --ballots 400 --invalid 3 --blank 1 --excluded 6)
# refuse_msg NAME EXIT MESSAGE cmd...: exit status and exact stderr
refuse_msg() {
  local name=$1 want=$2 msg=$3
  shift 3
  expect_exit "$want" "$name" "$@"
  [ "$(cat "$T/err")" = "$msg" ] && ok "$name: message" ||
    bad "$name: message" "got: $(head -c 400 "$T/err")"
}

# sheet --manifest: every field against the manifest
P='recount-sign sheet: refused: '
refuse_msg "sheet --manifest: wrong election" 1 \
  "${P}--election demo-2025: the manifest's election is demo-2026" \
  "$S" sheet --key keys/s1.key "${M[@]}" "${S1[@]/demo-2026/demo-2025}" --vote yes=300 --vote no=90
refuse_msg "sheet --manifest: wrong district" 1 \
  "${P}--district south: the manifest places station s1 in district north" \
  "$S" sheet --key keys/s1.key "${M[@]}" "${S1[@]/north/south}" --vote yes=300 --vote no=90
refuse_msg "sheet --manifest: unknown station" 1 \
  "${P}--station s9: no such station in the manifest" \
  "$S" sheet --key keys/s1.key "${M[@]}" "${S1[@]/s1/s9}" --vote yes=300 --vote no=90
refuse_msg "sheet --manifest: registered differs" 1 \
  "${P}--registered 501: the manifest registers 500 voters at station s1" \
  "$S" sheet --key keys/s1.key "${M[@]}" "${S1[@]/500/501}" --vote yes=300 --vote no=90
refuse_msg "sheet --manifest: a choice id that is not exact" 2 \
  "recount-sign sheet: --vote 'Yes=300': 'Yes' is not a choice id (choice ids are matched exactly: lowercase letters, digits, '.', '_', '-')" \
  "$S" sheet --key keys/s1.key "${M[@]}" "${S1[@]}" --vote Yes=300 --vote no=90
refuse_msg "sheet --manifest: unknown choice named" 1 \
  "${P}--vote maybe: no such choice in the manifest (its choices, in ballot order: yes, no)
${P}no --vote for choice yes (every choice of the manifest, in ballot order: yes, no)" \
  "$S" sheet --key keys/s1.key "${M[@]}" "${S1[@]}" --vote maybe=300 --vote no=90
refuse_msg "sheet --manifest: votes out of ballot order" 1 \
  "${P}--vote yes comes after --vote no: give the votes in ballot order: yes, no" \
  "$S" sheet --key keys/s1.key "${M[@]}" "${S1[@]}" --vote no=90 --vote yes=300
refuse_msg "sheet --manifest: a choice missing" 1 \
  "${P}invalid + blank + excluded + votes = 310, but ballots is 400
${P}no --vote for choice no (every choice of the manifest, in ballot order: yes, no)" \
  "$S" sheet --key keys/s1.key "${M[@]}" "${S1[@]}" --vote yes=300
refuse_msg "sheet --manifest: another station's key" 1 \
  "${P}the key station-s2+$(cut -d+ -f2 keys/s2.vkey) is not the key the manifest registers for station s1 (station-s1+$(cut -d+ -f2 keys/s1.vkey))" \
  "$S" sheet --key keys/s2.key "${M[@]}" "${S1[@]}" --vote yes=300 --vote no=90
refuse_msg "sheet: a --vote given twice" 2 \
  "recount-sign sheet: --vote yes is given twice" \
  "$S" sheet --key keys/s1.key "${S1[@]}" --vote yes=300 --vote yes=90
refuse_msg "sheet --manifest --anchor: manifest not signed by the anchor" 1 \
  "${P}--manifest record/manifest.note is not signed by the commission key observer.vkey" \
  "$S" sheet --key keys/s1.key "${M[@]}" --anchor observer.vkey "${S1[@]}" --vote yes=300 --vote no=90
expect_exit 0 "sheet --manifest --anchor: the right anchor" \
  "$S" sheet --key keys/s1.key "${M[@]}" --anchor commission.vkey "${S1[@]}" --vote yes=300 --vote no=90
cmp -s "$T/out" s1.note && ok "sheet: the same sheet as the walk-through's (deterministic)" ||
  bad "sheet: output differs from s1.note"

# cosign --station in a file of many sheets
cp record/sheets/north.txt north.txt
refuse_msg "cosign: a multi-sheet file without --station" 1 \
  "recount-sign cosign: refused: north.txt holds 2 signed notes: name the sheet to co-sign with --station S" \
  "$S" cosign --key observer.key north.txt
refuse_msg "cosign: a station not in the file" 1 \
  "recount-sign cosign: refused: north.txt: no sheet of station s3 among its 2 notes" \
  "$S" cosign --key observer.key north.txt --station s3
refuse_msg "cosign: a second line by the same key" 1 \
  "recount-sign cosign: refused: north.txt: the note at line 14 already carries a signature by observer-1" \
  "$S" cosign --key observer.key north.txt --station s2
cmp -s north.txt record/sheets/north.txt && ok "cosign: nothing written when refused" ||
  bad "cosign: file changed by a refusal"
chmod 640 north.txt
expect_exit 0 "cosign --station: the first sheet of the file" "$S" cosign --key observer.key north.txt --station s1
[ "$(stat -c %a north.txt)" = 640 ] && ok "cosign: the file keeps its mode" || bad "cosign: mode $(stat -c %a north.txt)"
# everything but the one new line is byte-identical
head -n 13 record/sheets/north.txt >want.txt
grep '^— observer-1 ' north.txt | head -n 1 >>want.txt
tail -n +14 record/sheets/north.txt >>want.txt
cmp -s want.txt north.txt && ok "cosign --station: only the new line was added" ||
  bad "cosign --station: other bytes changed" "$(diff want.txt north.txt | head -5)"
head -n 14 north.txt >s1c.note
expect_exit 0 "cosign --station: both signatures verify (note)" "$V" note --key keys/s1.vkey \
  --key observer.vkey s1c.note
cat s2.note s2.note >dup.txt
refuse_msg "cosign: a station with two sheets in the file" 1 \
  "recount-sign cosign: refused: dup.txt holds 2 sheets of station s2 (lines 1 and 14): co-sign only a sheet you can tell apart" \
  "$S" cosign --key observer.key dup.txt --station s2
{ cat s1.note; printf 'recount count-sheet v1\n'; } >cut.txt
refuse_msg "cosign: a file that cannot be framed" 1 \
  "recount-sign cosign: refused: cut.txt: line 14: the file cannot be read as signed notes: no empty line after the text: the note is cut short; nothing written" \
  "$S" cosign --key observer.key cut.txt --station s1
expect_exit 0 "cosign: a single note without --station" "$S" cosign --key observer.key s3.note --out s3c.note
[ "$(wc -l <s3c.note)" = 14 ] && ok "cosign --out: one line added" || bad "cosign --out"

# cosign --manifest: the sheet fits, its station signed it, the key is a
# manifest witness
refuse_msg "cosign --manifest: a key that is not a manifest witness" 1 \
  "recount-sign cosign: refused: the key station-s3+$(cut -d+ -f2 keys/s3.vkey) is not a witness of the manifest: verifiers would ignore its line" \
  "$S" cosign --key keys/s3.key north.txt --station s2 --manifest record/manifest.note
"$S" sheet --key keys/s2.key "${S1[@]}" --vote yes=300 --vote no=90 --out forged.note
refuse_msg "cosign --manifest: a sheet not signed by its station's key" 1 \
  "recount-sign cosign: refused: forged.note: the sheet of station s1 is not validly signed by its registered key station-s1+$(cut -d+ -f2 keys/s1.vkey): a witness co-signs only a sheet its station signed" \
  "$S" cosign --key observer.key forged.note --manifest record/manifest.note
"$S" sheet --key keys/s1.key "${S1[@]/500/501}" --vote yes=300 --vote no=90 --out misfit.note
refuse_msg "cosign --manifest: a sheet that does not fit the manifest" 1 \
  "recount-sign cosign: refused: misfit.note: the sheet of station s1 does not fit the manifest (election demo-2026, district north, registered 500)" \
  "$S" cosign --key observer.key misfit.note --manifest record/manifest.note
refuse_msg "cosign --manifest: a manifest note that is not a sheet" 1 \
  "recount-sign cosign: refused: record/manifest.note: with --manifest, the note must be a count sheet" \
  "$S" cosign --key observer.key record/manifest.note --manifest record/manifest.note --out m2.note
refuse_msg "cosign --manifest --anchor: a manifest not signed by the anchor" 1 \
  "recount-sign cosign: refused: --manifest record/manifest.note is not signed by the commission key observer.vkey" \
  "$S" cosign --key observer.key s3.note --manifest record/manifest.note --anchor observer.vkey --out s3m.note
expect_exit 0 "cosign --manifest --anchor: a fitting sheet" \
  "$S" cosign --key observer.key s3.note --manifest record/manifest.note --anchor commission.vkey --out s3m.note
cmp -s s3m.note s3c.note && ok "cosign --manifest: the same line as without it" || bad "cosign --manifest: output differs"

# publish: refusals and options
refuse_msg "publish: --decimals out of range" 2 \
  "recount-sign publish: bad argument: --decimals: a number from 0 to 4
usage: recount-sign publish RECORD --anchor COMMISSION_VKEY [--decimals N] [--districts] [--out FILE]" \
  "$S" publish record --anchor commission.vkey --decimals 5
expect_exit 0 "publish: --decimals 0, national figures only" "$S" publish record --anchor commission.vkey --decimals 0
[ "$(grep -c . "$T/out")" = 13 ] && grep -qx 'share yes 64' "$T/out" && grep -qx 'turnout 82' "$T/out" &&
  ! grep -q '^district' "$T/out" && ok "publish: 11 national figures at 0 decimals, half up" ||
  bad "publish: --decimals 0" "$(cat "$T/out")"
expect_exit 0 "publish: 4 decimals" "$S" publish record --anchor commission.vkey --decimals 4
grep -qx 'share yes 63.5163' "$T/out" && grep -qx 'turnout 81.6327' "$T/out" &&
  ok "publish: 4 decimals rounded half up" || bad "publish: 4 decimals" "$(grep share "$T/out")"
refuse_msg "publish: refuses to overwrite --out" 1 \
  "recount-sign publish: published.txt already exists; refusing to overwrite it" \
  "$S" publish record --anchor commission.vkey --out published.txt
# a published.note that no longer fits does not stop publish
cp -a record rec2
printf 'recount published v1\nelection demo-2026\nballots 1\n' >wrong.txt
"$S" sign --key commission.key wrong.txt --out rec2/published.note 2>/dev/null
expect_exit 0 "publish: a wrong published.note is what publish replaces" "$S" publish rec2 --anchor commission.vkey --districts
cmp -s "$T/out" published.txt && ok "publish: same figures with a wrong published.note" ||
  bad "publish: figures differ"
# a record with an error finding is refused, naming it
printf 'x\n' >>rec2/sheets/south.txt
expect_exit 1 "publish: refuses a record with error findings" "$S" publish rec2 --anchor commission.vkey
tail -n 1 "$T/err" | grep -qx 'recount-sign publish: refused: rec2 has [0-9]* error findings\? (listed above): figures are published only from a record that verifies' &&
  grep -q '^error SHEET_FORMAT' "$T/err" && ok "publish: the refusal lists the findings" ||
  bad "publish: refusal message" "$(cat "$T/err")"
expect_exit 1 "publish: another anchor" "$S" publish record --anchor observer.vkey
grep -q '^error MANIFEST_SIGNATURE' "$T/err" && ok "publish: another anchor names MANIFEST_SIGNATURE" ||
  bad "publish: another anchor" "$(cat "$T/err")"
expect_exit 2 "publish: a record that does not exist" "$S" publish nowhere --anchor commission.vkey

# sign: what the file looks like, the line and the field
printf 'recount published v1\r\nelection demo-2026\r\nballots 1\r\n' >crlf.txt
refuse_msg "sign: Windows line endings named" 1 \
  "recount-sign sign: refused: crlf.txt: line 1: Windows line endings (CR LF): record texts end every line with a bare newline (LF); convert the file (for example with dos2unix) and sign it again" \
  "$S" sign --key commission.key crlf.txt
printf '\357\273\277recount published v1\nelection demo-2026\nballots 1\n' >bom.txt
refuse_msg "sign: a byte order mark named" 1 \
  "recount-sign sign: refused: bom.txt: line 1: the file starts with a UTF-8 byte order mark (BOM): record texts have none; save it as UTF-8 without BOM" \
  "$S" sign --key commission.key bom.txt
refuse_msg "sign: an already signed note" 1 \
  "recount-sign sign: refused: s1.note: a signed note: line 13: signature lines: the file is already signed; sign takes the bare text, and \`recount-sign cosign\` adds a signature to a signed note" \
  "$S" sign --key commission.key s1.note
head -n 4 s1.note >short.txt
refuse_msg "sign: a count sheet cut short" 1 \
  "recount-sign sign: refused: short.txt: count sheet: line 5, field registered: the text ends where a 'registered' line is expected" \
  "$S" sign --key commission.key short.txt
printf 'example.org/demo-2026\n3\nroot\n' >cp.txt
refuse_msg "sign: a checkpoint with a bad root" 1 \
  "recount-sign sign: refused: cp.txt: checkpoint: line 3, field root: not the canonical base64 of 32 bytes (44 characters ending in '=')" \
  "$S" sign --key commission.key cp.txt
head -n 1 record/districts.txt >dist.txt
refuse_msg "sign: a district record" 1 \
  "recount-sign sign: refused: dist.txt: district record: line 1, field header: district records are not signed: \`recount-sign commit\` writes them into districts.txt and signs the checkpoint" \
  "$S" sign --key commission.key dist.txt
printf 'hello\n' >hello.txt
refuse_msg "sign: not a record text" 1 \
  "recount-sign sign: refused: hello.txt: line 1, field header: not a record text: a manifest, count sheet or published figures starts with 'recount manifest v1', 'recount count-sheet v1' or 'recount published v1', a checkpoint with its origin" \
  "$S" sign --key commission.key hello.txt
: >empty.txt
refuse_msg "sign: an empty file" 1 "recount-sign sign: refused: empty.txt: the file is empty" \
  "$S" sign --key commission.key empty.txt

# keys from a pipe, O_NOFOLLOW kept for real paths
expect_exit 0 "key from standard input (--key -)" sh -c '"$1" sign --key - published.txt <commission.key' _ "$S"
cmp -s "$T/out" record/published.note && ok "--key -: the same signature" || bad "--key -: differs"
expect_exit 0 "key from a pipe (--key /dev/fd/N)" bash -c '"$1" sign --key /dev/fd/3 published.txt 3< <(cat commission.key)' _ "$S"
cmp -s "$T/out" record/published.note && ok "--key /dev/fd/N: the same signature" || bad "--key /dev/fd/N: differs"
expect_exit 0 "key from a descriptor of a 0600 file" bash -c '"$1" sign --key /dev/fd/3 published.txt 3<commission.key' _ "$S"
cp commission.key loose.key && chmod 644 loose.key
refuse_msg "a descriptor of a file readable by others is refused" 1 \
  "recount-sign sign: /dev/fd/3: a file with permissions 644, which let others read this secret key; chmod 600 the file" \
  bash -c '"$1" sign --key /dev/fd/3 published.txt 3<loose.key' _ "$S"
refuse_msg "standard input from a file readable by others is refused" 1 \
  "recount-sign sign: standard input: a file with permissions 644, which let others read this secret key; chmod 600 the file" \
  sh -c '"$1" sign --key - published.txt <loose.key' _ "$S"
refuse_msg "sheet: --anchor without --manifest" 2 \
  "recount-sign sheet: --anchor checks the --manifest: give both" \
  "$S" sheet --key keys/s1.key --anchor commission.vkey "${S1[@]}" --vote yes=300 --vote no=90
ln -s commission.key link.key
refuse_msg "a key path that is a symbolic link is refused" 2 \
  "recount-sign sign: link.key: cannot open: Too many levels of symbolic links (a symbolic link: a secret key is read from the file itself)" \
  "$S" sign --key link.key published.txt
printf '%s\r\n' "$(cat commission.key)" >crlf.key && chmod 600 crlf.key
refuse_msg "a key file with Windows line endings is named as such" 1 \
  "recount-sign sign: crlf.key ends its line with CR LF (Windows line ending): the key line ends with a bare newline" \
  "$S" sign --key crlf.key published.txt
head -c 5000 /dev/zero | tr '\0' 'a' >big.key
refuse_msg "a key from a pipe over 4096 bytes is refused" 2 \
  "recount-sign sign: standard input: larger than 4096 bytes" \
  sh -c 'cat big.key | "$1" sign --key - published.txt' _ "$S"
refuse_msg "--key - and --passphrase-file - together" 2 \
  "recount-sign sign: --key - and --passphrase-file - cannot both read standard input" \
  "$S" sign --key - --passphrase-file - published.txt

# CR LF and BOM named as such in every input of these commands
sed 's/$/\r/' commission.vkey >crlf.vkey
refuse_msg "publish: an anchor with Windows line endings" 2 \
  "recount-sign publish: --anchor: crlf.vkey has a Windows line ending (CR LF): the key line ends with a bare newline" \
  "$S" publish record --anchor crlf.vkey
printf '\357\273\277' | cat - commission.vkey >bom.vkey
refuse_msg "publish: an anchor with a byte order mark" 2 \
  "recount-sign publish: --anchor: bom.vkey starts with a UTF-8 byte order mark (BOM): save the key file without it" \
  "$S" publish record --anchor bom.vkey
sed 's/$/\r/' record/sheets/north.txt >crlf-north.txt
refuse_msg "cosign: a sheets file with Windows line endings" 1 \
  "recount-sign cosign: refused: crlf-north.txt: line 1: Windows line endings (CR LF): record texts end every line with a bare newline (LF); convert the file (for example with dos2unix) and sign it again" \
  "$S" cosign --key observer.key crlf-north.txt --station s1
sed 's/$/\r/' record/manifest.note >crlf-manifest.note
refuse_msg "sheet: a manifest with Windows line endings" 1 \
  "recount-sign sheet: refused: --manifest crlf-manifest.note: line 1, field line: carriage return: lines must end with a bare newline (\\n), not CR LF" \
  "$S" sheet --key keys/s1.key --manifest crlf-manifest.note "${S1[@]}" --vote yes=300 --vote no=90
printf 'pw\r\n' >crlf-pass.txt
refuse_msg "keygen: a passphrase file with Windows line endings" 2 \
  "recount-sign keygen: crlf-pass.txt ends its first line with CR LF (Windows line ending): the passphrase would include the CR; save the file with a bare newline" \
  "$S" keygen --name enc --encrypt --passphrase-file crlf-pass.txt
[ ! -e enc.key ] && ok "keygen: nothing written on a CR LF passphrase file" || bad "keygen: key written"

# the new commands run clean under valgrind (refusals included)
if command -v valgrind >/dev/null 2>&1 && [ "${RECOUNT_NO_VALGRIND:-}" = "" ]; then
  VG="valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=99"
  cp record/sheets/north.txt vg-north.txt
  vg=0
  for args in "publish record --anchor commission.vkey --districts" \
    "publish rec2 --anchor commission.vkey" \
    "cosign --key observer.key vg-north.txt --station s1 --manifest record/manifest.note" \
    "sheet --key keys/s1.key --manifest record/manifest.note ${S1[*]} --vote no=90 --vote yes=300" \
    "sheet --key keys/s1.key --manifest record/manifest.note --anchor commission.vkey ${S1[*]} --vote yes=300 --vote no=90" \
    "sign --key commission.key crlf.txt"; do
    # shellcheck disable=SC2086
    $VG "$S" $args >/dev/null 2>"$T/vg" </dev/null
    [ $? = 99 ] && { vg=1; bad "valgrind: recount-sign $args" "$(head -c 600 "$T/vg")"; }
  done
  [ $vg = 0 ] && ok "valgrind: publish, cosign --station, sheet --manifest and sign refusals clean"
fi

# the Kurdistan record: publish gives back exactly the shipped published
# figures, and with --districts a note that reconciles
K=$T/krd-publish
cp -a "$KRD/record" "$K"
expect_exit 0 "publish: the Kurdistan record" "$S" publish "$K" --anchor "$KRD/commission.vkey"
awk '/^$/{exit} {print}' "$KRD/record/published.note" | cmp -s - "$T/out" &&
  ok "publish: byte-identical to the text of the shipped published.note" ||
  bad "publish: differs from the shipped figures" "$(awk '/^$/{exit} {print}' "$KRD/record/published.note" | diff - "$T/out" | head -5)"
keyfile "$KRD/TEST-KEYS-DO-NOT-USE.txt" 1 "$T/krd-commission.key"
"$S" publish "$K" --anchor "$KRD/commission.vkey" --districts --out "$T/krd-pub.txt" &&
  rm "$K/published.note" &&
  "$S" sign --key "$T/krd-commission.key" "$T/krd-pub.txt" --out "$K/published.note"
expect_exit 0 "publish --districts: the Kurdistan record with district figures verifies" \
  "$V" record --anchor "$KRD/commission.vkey" --json "$K"
n=$(grep -c '^district ' "$T/krd-pub.txt")
grep -q '"verdict":"reconciled"' "$T/out" && [ "$n" -gt 500 ] &&
  ok "publish --districts: $n district figures, all reconcile" ||
  bad "publish --districts: verdict" "$(head -c 300 "$T/out")"
cd "$ROOT" || exit 1
