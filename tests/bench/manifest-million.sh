#!/bin/sh
# manifest-million.sh — times `recount-sign manifest` on a registry of
# N stations (default 1,000,000) in 1,000 districts, rows shuffled so that
# the sort does real work, keys inline (random public keys with correct
# key ids). Not part of `make check`: run it by hand after `make`.
#
#   tests/bench/manifest-million.sh [N]
set -eu
N=${1:-1000000}
cd "$(dirname "$0")/../.."
S=${RECOUNT_BIN:-bin}/recount-sign
W=$(mktemp -d "${TMPDIR:-/tmp}/recount-mbench.XXXXXX")
trap 'rm -rf "$W"' EXIT
python3 - "$N" "$W" <<'PY'
import base64, hashlib, os, random, sys
n, w = int(sys.argv[1]), sys.argv[2]
rnd = random.Random(2026)
with open(w + "/districts.csv", "w") as f:
    f.write("id,name\r\n")
    for d in rnd.sample(range(1000), 1000):
        f.write("d%03d,District %d\r\n" % (d, d))
rows = list(range(n))
rnd.shuffle(rows)
with open(w + "/stations.csv", "w") as f:
    f.write("id,district,registered,key\r\n")
    for i in rows:
        name = ("st-%07d" % i).encode()
        pk = bytearray(rnd.getrandbits(8) for _ in range(32))
        pk[31] &= 0x3f
        kid = hashlib.sha256(name + b"\n\x01" + bytes(pk)).digest()[:4].hex()
        key = "%s+%s+%s" % (name.decode(), kid,
                            base64.b64encode(b"\x01" + bytes(pk)).decode())
        f.write("st-%07d,d%03d,%d,%s\r\n" % (i, i % 1000, 500 + i % 700, key))
PY
ls -l "$W/stations.csv" | awk '{ print "stations.csv: " $5 " bytes" }'
/usr/bin/time -f "manifest: %e s elapsed, %M KB max RSS" "$S" manifest \
  --election bench --origin bench.example/bench --title Bench \
  --choice yes=Yes --choice no=No --districts "$W/districts.csv" \
  --stations "$W/stations.csv" --out "$W/manifest.txt"
grep -c '^station ' "$W/manifest.txt" | awk '{ print "stations written: " $1 }'
