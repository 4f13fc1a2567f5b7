#!/usr/bin/env bash
# make.sh [BIN_DIR] — builds testvectors/observed/ (dev tool; its output is
# committed and tests/e2e/t_85_observed.sh runs the cases of cases.txt on
# it): a synthetic record of 12 stations whose station s00002.0000003 has
# no sheet (withheld; the record re-committed without it, no published
# figures), observers' directories (observed/*) and evidence directories
# that do not prove an equivocation (evidence-bad/*). Deterministic: the
# generator's keys are fixed, Ed25519 signatures are deterministic.
# Then run scripts/update-golden.sh to write the golden reports.
set -eu
cd "$(dirname "$0")"
BIN=$(realpath "${1:-../../bin}")
G=$BIN/recount-gen S=$BIN/recount-sign V=$BIN/recount-verify
PY=/usr/bin/python3
rm -rf record observed evidence-bad anchor.vkey
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
"$G" synthetic --sheets 12 --districts 3 --out record --anchor-out anchor.vkey \
  --keys-out "$T/keys.txt" >/dev/null
key() { # key LINE OUT: line LINE of the key listing as a 0600 key file
  install -m 600 /dev/null "$2"
  sed -n "$1p" "$T/keys.txt" >"$2"
}
key 1 "$T/commission.key"
key 3 "$T/s0.key"   # s00000.0000000
key 4 "$T/s1.key"   # s00000.0000001
key 5 "$T/s2.key"   # s00000.0000002
key 14 "$T/s23.key" # s00002.0000003
# note FILE STATION: the signed note of STATION in sheets file FILE
note() {
  "$PY" - "$1" "$2" <<'PY'
import sys
b = open(sys.argv[1], 'rb').read()
dash = '\u2014 '.encode()
while b:
    i = b.index(b'\n\n'); j = i + 2
    while b[j:].startswith(dash): j = b.index(b'\n', j) + 1
    if b'\nstation %s\n' % sys.argv[2].encode() in b[:i + 1]:
        sys.stdout.buffer.write(b[:j]); break
    b = b[j:]
PY
}
text() { note "$1" "$2" | sed '/^$/,$d'; } # the note's text
D0=record/sheets/d00000.txt D2=record/sheets/d00002.txt
# withhold s00002.0000003: its note leaves the record, kept for observers
note "$D2" s00002.0000003 >"$T/withheld.note"
"$PY" - "$D2" "$T/withheld.note" <<'PY'
import sys
b = open(sys.argv[1], 'rb').read(); w = open(sys.argv[2], 'rb').read()
assert b.endswith(w); open(sys.argv[1], 'wb').write(b[:-len(w)])
PY
rm record/districts.txt record/checkpoint.note record/log.txt record/published.note
"$S" commit --key "$T/commission.key" record >/dev/null

mkdir -p observed/matched/agent-b observed/equivocation observed/withheld \
  observed/invalid observed/unknown
# matched: exact copies, two stations in one file, one in a subdirectory
{ note "$D0" s00000.0000000; note "$D0" s00000.0000001; } \
  >observed/matched/agent-a.txt
note record/sheets/d00001.txt s00001.0000002 >observed/matched/agent-b/photo.txt
# equivocation: s00000.0000002's sheet with one vote moved, signed by it
text "$D0" s00000.0000002 | awk '
  /^vote yes / { $3 = $3 - 1 } /^vote no / { $3 = $3 + 1 } { print }' \
  >"$T/equiv.txt"
"$S" sign --key "$T/s2.key" "$T/equiv.txt" --out observed/equivocation/s00000.0000002.txt
note "$D0" s00000.0000000 >observed/equivocation/s00000.0000000.txt
# withheld: the sheet that is not in the record
cp "$T/withheld.note" observed/withheld/s00002.0000003.txt
# two different sheets of the withheld station, both signed by it
mkdir -p observed/withheld-two
cp "$T/withheld.note" observed/withheld-two/agent-a.txt
sed '/^$/,$d' "$T/withheld.note" | awk '
  /^vote yes / { $3 = $3 + 1 } /^vote no / { $3 = $3 - 1 } { print }' \
  >"$T/withheld2.txt"
"$S" sign --key "$T/s23.key" "$T/withheld2.txt" --out observed/withheld-two/agent-b.txt
# invalid: signed by another station's key, garbage, a symbolic link
text "$D0" s00000.0000000 >"$T/s0.txt"
"$S" sign --key "$T/s1.key" "$T/s0.txt" --out observed/invalid/wrong-key.txt
printf 'photo of a sheet, not a signed note\n' >observed/invalid/garbage.txt
ln -s ../matched/agent-a.txt observed/invalid/link.txt
# unknown: a station the manifest does not have, signed by a station key
sed 's/^station .*/station s09999.0000000/' "$T/s0.txt" >"$T/unknown.txt"
"$S" sign --key "$T/s0.key" "$T/unknown.txt" --out observed/unknown/s09999.txt

# evidence that does not prove: from the one --evidence writes
"$V" record --anchor anchor.vkey --observed observed/equivocation \
  --evidence "$T/ev" record >/dev/null 2>&1 || true
E=$T/ev/s00000.0000002
[ -f "$E/a.note" ] || { echo "make.sh: no evidence written" >&2; exit 1; }
mk() { mkdir -p "evidence-bad/$1"; cp "$E"/* "evidence-bad/$1/"; }
B=s00000.0000002
mk "same-text/$B"; cp "$E/a.note" "evidence-bad/same-text/$B/b.note"
mk "other-key/$B"
"$S" sign --key "$T/s1.key" "$T/equiv.txt" --out "$T/other.note" --force
cp "$T/other.note" "evidence-bad/other-key/$B/b.note"
mkdir -p evidence-bad/wrong-station
cp -r "$E" evidence-bad/wrong-station/s00000.0000001
mk "extra-file/$B"; printf 'notes\n' >"evidence-bad/extra-file/$B/notes.txt"
mk "missing-file/$B"; rm "evidence-bad/missing-file/$B/b.note"
mk "symlink/$B"; rm "evidence-bad/symlink/$B/b.note"
ln -s a.note "evidence-bad/symlink/$B/b.note"
mk "other-anchor/$B"
key 2 "$T/witness.key"
sed '/^$/,$d' "$E/manifest.note" >"$T/manifest.txt"
"$S" sign --key "$T/witness.key" "$T/manifest.txt" --out "$T/m.note"
cp "$T/m.note" "evidence-bad/other-anchor/$B/manifest.note"
echo "make.sh: testvectors/observed written"
