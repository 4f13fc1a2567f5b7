#!/usr/bin/env bash
# make.sh [BIN_DIR] — rebuilds the receipts of this directory with
# `recount-sign prove` over shipped records, and the altered copies the
# receipt tests check (tests/e2e/t_32_receipt.sh checks that prove still
# writes the same bytes). Run from anywhere; BIN_DIR defaults to bin.
set -euo pipefail
cd "$(dirname "$0")"
BIN=${1:-../../bin}
S=$BIN/recount-sign
KRD=../krd-2017
W=../tampered/82-witness-cosigned
rm -f ./*.tlog-proof
"$S" prove "$KRD/record" --station erbil-centre.0001 --anchor "$KRD/commission.vkey" \
  --out krd-erbil-centre.0001.tlog-proof 2>/dev/null
"$S" prove "$KRD/record" --station duhok-centre.0002 --anchor "$KRD/commission.vkey" \
  --out krd-duhok-centre.0002.tlog-proof 2>/dev/null
"$S" prove "$KRD/preliminary" --station erbil-centre.0001 --anchor "$KRD/commission.vkey" \
  --out krd-preliminary-erbil-centre.0001.tlog-proof 2>/dev/null
"$S" prove "$W/record" --station s00000.0000000 --anchor "$W/anchor.vkey" \
  --out witness-s00000.0000000.tlog-proof 2>/dev/null
python3 - <<'PY'
import base64
src = open('krd-erbil-centre.0001.tlog-proof', 'rb').read()
L = src.split(b'\n')

def put(name, lines):
    open(name, 'wb').write(b'\n'.join(lines))

def flip(s):  # another base64 character at position 5
    c = b'B' if s[5:6] != b'B' else b'C'
    return s[:5] + c + s[6:]

# one proof hash altered (the third line after index)
a = list(L); a[4] = flip(a[4]); put('bad-proof-hash.tlog-proof', a)
# the index moved by one
a = list(L); a[2] = b'index 1'; put('bad-index.tlog-proof', a)
# the count changed inside the sheet (votes moved from no to yes)
a = list(L)
note = base64.b64decode(a[1][6:])
note = note.replace(b'\nvote yes 281\nvote no 11\n', b'\nvote yes 282\nvote no 10\n', 1)
assert note != base64.b64decode(a[1][6:])
a[1] = b'extra ' + base64.b64encode(note); put('forged-count.tlog-proof', a)
# no extra line: a bare inclusion proof carries no sheet
a = [l for l in L if not l.startswith(b'extra ')]; put('no-extra.tlog-proof', a)
# the checkpoint's signature line cut off
a = list(L[:-2]) + [b'']; put('unsigned-checkpoint.tlog-proof', a)
# the same sheet text, its station's signature line replaced by a line of
# another key: still in the log, but not signed by the station
a = list(L)
note = base64.b64decode(a[1][6:])
text, sigs = note.split(b'\n\n', 1)
other = b'\xe2\x80\x94 someone.example ' + base64.b64encode(bytes(range(68))) + b'\n'
a[1] = b'extra ' + base64.b64encode(text + b'\n\n' + other); put('resigned.tlog-proof', a)
# the final release's proof with the preliminary release's checkpoint
# (validly signed, another size): the proof is not one of that log
pre = open('../krd-2017/preliminary/checkpoint.note', 'rb').read()
head = src[:src.index(b'\n\n') + 2]
open('size-confusion.tlog-proof', 'wb').write(head + pre)
# cut short inside the proof hashes
open('truncated.tlog-proof', 'wb').write(src[:600])
# another log size in the checkpoint (its signature no longer verifies)
a = list(L); i = a.index(b'') + 2; a[i] = b'12093'; put('other-size.tlog-proof', a)
PY
