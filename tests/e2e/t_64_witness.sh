# witness cosignatures (C2SP tlog-cosignature/v1): keygen --cosign, witness,
# the verifier's --witness / --quorum, and an independent implementation
# (tests/e2e/cosig_check.py, PyNaCl) that checks our lines and signs its own.
echo "witness cosignatures"
PY=/usr/bin/python3
CC=$ROOT/tests/e2e/cosig_check.py
W=$T/wit
mkdir -p "$W"
"$G" synthetic --sheets 30 --districts 3 --out "$W/R" --anchor-out "$W/a.vkey" --keys-out "$W/keys.txt" 2>"$T/err" ||
  bad "witness: synthetic record" "$(cat "$T/err")"
keyfile "$W/keys.txt" 1 "$W/commission.key"
NOW=1700000000
expect_exit 0 "keygen --cosign makes a witness key pair" "$S" keygen --cosign --name witness.example/w1 --out "$W/w1"
"$PY" - "$W/w1.vkey" <<'PY' && ok "keygen --cosign: verifier key of type 0x04, id over name||0x0A||0x04||pk" || bad "keygen --cosign: key encoding"
import base64, hashlib, sys
name, kid, b64 = open(sys.argv[1], 'rb').read().rstrip(b'\n').split(b'+', 2)
raw = base64.b64decode(b64, validate=True)
assert raw[0] == 4 and len(raw) == 33
assert hashlib.sha256(name + b'\n\x04' + raw[1:]).digest()[:4].hex().encode() == kid
PY
cp "$W/R/checkpoint.note" "$W/cp.before"
expect_exit 1 "a cosignature key signs no note" "$S" sign --key "$W/w1.key" "$W/cp.before"
expect_exit 1 "witness refuses a note signing key" "$S" witness --key "$W/commission.key" --anchor "$W/a.vkey" "$W/R"
expect_exit 2 "witness needs --anchor" "$S" witness --key "$W/w1.key" "$W/R"
expect_exit 0 "witness cosigns a verified record" "$S" witness --key "$W/w1.key" --anchor "$W/a.vkey" --now $NOW "$W/R"
grep -q "cosigned bench.example/synthetic size" "$T/err" && ok "witness: says what it cosigned" || bad "witness: report" "$(cat "$T/err")"
head -c "$(stat -c %s "$W/cp.before")" "$W/R/checkpoint.note" | cmp -s - "$W/cp.before" &&
  [ "$(($(wc -l <"$W/R/checkpoint.note") - $(wc -l <"$W/cp.before")))" = 1 ] &&
  ok "witness: appends exactly one line to checkpoint.note" || bad "witness: checkpoint.note rewritten otherwise"
[ -f "$W/w1.state" ] && [ "$(stat -c %a "$W/w1.state")" = 600 ] && ok "witness: state file next to the key (0600)" || bad "witness: no state file"
t=$("$PY" "$CC" verify "$W/w1.vkey" "$W/R/checkpoint.note")
[ "$t" = $NOW ] && ok "independent check (PyNaCl, from the spec): our cosignature verifies, time $NOW" ||
  bad "independent check rejects our cosignature" "$t"
cp "$W/R/checkpoint.note" "$W/cp.once"
expect_exit 0 "witness: a second run on the same checkpoint" "$S" witness --key "$W/w1.key" --anchor "$W/a.vkey" --now $((NOW + 5)) "$W/R"
cmp -s "$W/R/checkpoint.note" "$W/cp.once" && grep -q "already cosigned" "$T/err" &&
  ok "witness: already cosigned, nothing written" || bad "witness: cosigned twice"

# the verifier
expect_exit 0 "verify --witness: cosigned" "$V" record --anchor "$W/a.vkey" --witness "$W/w1.vkey" --now $NOW "$W/R"
grep -q "cosigned witness.example/w1+[0-9a-f]* at 2023-11-14 22:13:20 UTC (time $NOW)" "$T/out" &&
  grep -q "quorum   1 of 1 valid, 1 required: met" "$T/out" &&
  ok "verify --witness: the Witnesses section" || bad "verify --witness: section" "$(grep -A3 Witnesses "$T/out")"
"$V" record --json --anchor "$W/a.vkey" --witness "$(cat "$W/w1.vkey")" --now $NOW "$W/R" >"$T/out"
grep -q "\"witnesses\":\[{\"key\":\"witness.example/w1+$(cut -d+ -f2 "$W/w1.vkey")\",\"status\":\"cosigned\",\"time\":$NOW}\]" "$T/out" &&
  ok "verify --witness KEY (the key itself): JSON witnesses array" || bad "verify JSON witnesses" "$(grep -o '"witnesses[^]]*]' "$T/out")"
SEED2=$(printf '22%.0s' $(seq 32))
SEED3=$(printf '33%.0s' $(seq 32))
"$PY" "$CC" sign w2.example "$SEED2" $((NOW + 1)) "$W/R/checkpoint.note" "$W/w2.vkey"
"$PY" "$CC" sign w3.example "$SEED3" $((NOW + 1)) "$W/cp.before" "$W/w3.vkey" # w3's key only
expect_exit 0 "a cosignature made by PyNaCl from the spec verifies" "$V" record --anchor "$W/a.vkey" --witness "$W/w1.vkey" --witness "$W/w2.vkey" --now $NOW "$W/R"
grep -q "cosigned w2.example+" "$T/out" && ok "both witnesses cosigned" || bad "w2 not cosigned" "$(grep -A4 Witnesses "$T/out")"
expect_exit 1 "a missing witness fails the default quorum (every witness)" "$V" record --anchor "$W/a.vkey" --witness "$W/w1.vkey" --witness "$W/w3.vkey" --now $NOW "$W/R"
grep -q "absent   w3.example+" "$T/out" && grep -q "error   CHECKPOINT_QUORUM checkpoint.note" "$T/out" &&
  ok "absent witness reported, CHECKPOINT_QUORUM" || bad "quorum finding" "$(tail -8 "$T/out")"
expect_exit 0 "--quorum 2 of 3" "$V" record --anchor "$W/a.vkey" --witness "$W/w1.vkey" --witness "$W/w2.vkey" --witness "$W/w3.vkey" --quorum 2 --now $NOW "$W/R"
expect_exit 2 "--quorum above the witnesses given" "$V" record --anchor "$W/a.vkey" --witness "$W/w1.vkey" --quorum 2 "$W/R"
expect_exit 2 "the same witness twice" "$V" record --anchor "$W/a.vkey" --witness "$W/w1.vkey" --witness "$(cat "$W/w1.vkey")" "$W/R"
expect_exit 2 "a note key as a witness key" "$V" record --anchor "$W/a.vkey" --witness "$W/a.vkey" "$W/R"
grep -q "this is a note key" "$T/err" && ok "note key refused with a reason" || bad "note key message" "$(cat "$T/err")"
expect_exit 2 "--witness neither file nor key" "$V" record --anchor "$W/a.vkey" --witness "$W/nothing" "$W/R"
expect_exit 1 "verify: the witness's time is 601 s in the future" "$V" record --anchor "$W/a.vkey" --witness "$W/w2.vkey" --now $((NOW - 600)) "$W/R"
grep -q "warning CHECKPOINT_COSIGNATURE checkpoint.note:[0-9]*" "$T/out" && grep -q "time in the future" "$T/out" && grep -q "invalid  w2.example" "$T/out" &&
  ok "future time: invalid, CHECKPOINT_COSIGNATURE" || bad "future time" "$(tail -8 "$T/out")"
expect_exit 0 "verify: 600 s ahead is accepted" "$V" record --anchor "$W/a.vkey" --witness "$W/w2.vkey" --now $((NOW - 599)) "$W/R"
# a failing line next to a valid one, a wrong length, a forged signature
cp -r "$W/R" "$W/R2"
"$PY" "$CC" sign w2.example "$SEED3" $NOW "$W/R2/checkpoint.note" "$W/junk.vkey" # w2's name, w3's key: id differs, ignored
"$PY" "$CC" sign w3.example "$SEED3" $NOW "$W/R2/checkpoint.note" "$W/w3.vkey" 68
expect_exit 1 "verify: a cosignature line of 68 bytes" "$V" record --anchor "$W/a.vkey" --witness "$W/w3.vkey" --witness "$W/w2.vkey" --now $NOW "$W/R2"
grep -q "wrong length (68 bytes, a cosignature has 76)" "$T/out" && grep -q "invalid  w3.example" "$T/out" && grep -q "cosigned w2.example" "$T/out" &&
  ok "wrong length: invalid; an unknown key id under a known name is ignored" || bad "wrong length" "$(tail -12 "$T/out")"
"$PY" - "$W/R2/checkpoint.note" <<'PY'
import base64, sys
p = sys.argv[1]
b = open(p, 'rb').read()
line = [l for l in b.split(b'\n') if l.startswith('\u2014 w2.example '.encode())][0]
name, sig = line.rsplit(b' ', 1)
raw = bytearray(base64.b64decode(sig)); raw[-1] ^= 1
open(p, 'wb').write(b + name + b' ' + base64.b64encode(bytes(raw)) + b'\n')
PY
expect_exit 0 "verify: a forged line next to a valid one is a warning only" "$V" record --anchor "$W/a.vkey" --witness "$W/w2.vkey" --now $NOW "$W/R2"
grep -q "warning CHECKPOINT_COSIGNATURE" "$T/out" && grep -q "another line by the same witness verifies" "$T/out" && grep -q "cosigned w2.example" "$T/out" &&
  ok "forged line: CHECKPOINT_COSIGNATURE, still cosigned" || bad "forged line" "$(tail -8 "$T/out")"

# the witness refuses
cp -r "$W/R" "$W/R3"
f=$(ls "$W/R3/sheets" | head -n 1)
sed -i '0,/^ballots /s/^ballots \([0-9]*\)/ballots 9\1/' "$W/R3/sheets/$f"
cp "$W/R3/checkpoint.note" "$W/cp3"
expect_exit 1 "witness refuses a record with an error finding" "$S" witness --key "$W/w1.key" --anchor "$W/a.vkey" --state "$W/s3" "$W/R3"
grep -q "error SHEET_SIGNATURE" "$T/err" && cmp -s "$W/cp3" "$W/R3/checkpoint.note" && [ ! -e "$W/s3" ] &&
  ok "witness: lists the findings, writes nothing" || bad "witness refusal" "$(cat "$T/err")"
# a state whose checkpoint of this origin has the same size and another root
cp -r "$W/R" "$W/R4"
sed -n '1,/^$/p' "$W/cp.before" | sed '$d' >"$W/cp4.txt"
"$PY" - "$W/cp4.txt" <<'PY'
import sys
p = sys.argv[1]
l = open(p).read().split('\n')
l[2] = ('B' if l[2][0] != 'B' else 'C') + l[2][1:]
open(p, 'w').write('\n'.join(l))
PY
"$S" sign --key "$W/commission.key" "$W/cp4.txt" --out "$W/s4" 2>"$T/err" || bad "sign a rewritten checkpoint" "$(cat "$T/err")"
cp "$W/s4" "$W/s4.before"
expect_exit 1 "witness refuses a checkpoint of the cosigned size with another root" "$S" witness --key "$W/w1.key" --anchor "$W/a.vkey" --state "$W/s4" "$W/R4"
grep -q "the log was rewritten" "$T/err" && cmp -s "$W/s4" "$W/s4.before" && cmp -s "$W/R4/checkpoint.note" "$W/R/checkpoint.note" && ok "witness: rewritten log refused, nothing written" || bad "rewritten refusal" "$(cat "$T/err")"
printf 'not a note\n' >"$W/s5"
expect_exit 2 "witness: a damaged state file is an error naming it" "$S" witness --key "$W/w1.key" --anchor "$W/a.vkey" --state "$W/s5" "$W/R4"
grep -q "state file $W/s5: line [0-9]*: not a checkpoint note" "$T/err" && ok "witness: state file error names file and line" || bad "state error" "$(cat "$T/err")"
# releases: the witness follows the log (a preliminary release, then one
# that extends it, then one that rewrites it)
Wr=$T/witrel
mkdir -p "$Wr"
"$G" synthetic --sheets 30 --districts 3 --out "$Wr/full" --anchor-out "$Wr/a.vkey" --keys-out "$Wr/keys.txt" 2>"$T/err" ||
  bad "witness releases: synthetic record" "$(cat "$T/err")"
keyfile "$Wr/keys.txt" 1 "$Wr/commission.key"
mkdir -p "$Wr/pre/sheets" "$Wr/ext/sheets" "$Wr/rew/sheets"
cp "$Wr/full/manifest.note" "$Wr/pre/"
cp "$Wr/full/sheets/$(ls "$Wr/full/sheets" | tail -n 1)" "$Wr/pre/sheets/"
for d in ext rew; do cp "$Wr/full/manifest.note" "$Wr/full/published.note" "$Wr/$d/"; cp "$Wr/full/sheets/"* "$Wr/$d/sheets/"; done
"$S" commit --key "$Wr/commission.key" "$Wr/pre" 2>"$T/err" || bad "witness releases: commit the preliminary release" "$(cat "$T/err")"
"$S" commit --key "$Wr/commission.key" --previous "$Wr/pre" "$Wr/ext" 2>"$T/err" || bad "witness releases: commit --previous" "$(cat "$T/err")"
"$S" commit --key "$Wr/commission.key" "$Wr/rew" 2>"$T/err" || bad "witness releases: commit afresh" "$(cat "$T/err")"
"$S" keygen --cosign --name w.example --out "$Wr/w" >/dev/null
expect_exit 0 "witness cosigns the preliminary release" "$S" witness --key "$Wr/w.key" --anchor "$Wr/a.vkey" --now $NOW "$Wr/pre"
cp "$Wr/w.state" "$Wr/w.state.pre"
expect_exit 1 "witness refuses a release whose log rewrites the one it cosigned" "$S" witness --key "$Wr/w.key" --anchor "$Wr/a.vkey" --now $NOW "$Wr/rew"
grep -q "error RELEASE_REWRITTEN" "$T/err" && cmp -s "$Wr/w.state" "$Wr/w.state.pre" && ! grep -q "w.example" "$Wr/rew/checkpoint.note" &&
  ok "witness: RELEASE_REWRITTEN listed; state and checkpoint untouched" || bad "witness: rewrite refusal" "$(cat "$T/err")"
expect_exit 0 "witness cosigns the release that extends it" "$S" witness --key "$Wr/w.key" --anchor "$Wr/a.vkey" --now $((NOW + 60)) "$Wr/ext"
grep -q "extends the one of size" "$T/err" && ok "witness: says which checkpoint it extends" || bad "witness: extension message" "$(cat "$T/err")"
expect_exit 1 "witness then refuses the preliminary release (the log was cut)" "$S" witness --key "$Wr/w.key" --anchor "$Wr/a.vkey" --now $((NOW + 60)) "$Wr/pre"
grep -q "the log was cut" "$T/err" && ok "witness: a shorter log refused in words" || bad "witness: cut message" "$(cat "$T/err")"
expect_exit 0 "verify the extending release with the witness" "$V" record --anchor "$Wr/a.vkey" --witness "$Wr/w.vkey" --now $((NOW + 60)) --previous "$Wr/pre/checkpoint.note" "$Wr/ext"
