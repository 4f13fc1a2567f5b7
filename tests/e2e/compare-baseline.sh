#!/usr/bin/env bash
# Not part of `make check`: compares this tree's programs with the baseline
# binaries (default /work/baseline/bin) on every shipped and tampered
# record (JSON and human output, stdout+stderr and exit status, one and
# four threads), and commit / prove / receipt on a small synthetic record.
#   tests/e2e/compare-baseline.sh [BASELINE_BIN] [NEW_BIN]
set -u
cd "$(dirname "$0")/../.."
ROOT=$PWD
OLD=${1:-/work/baseline/bin}
NEW=${2:-$ROOT/bin}
W=${CMP_DIR:-/tmp/recount-cmp}
rm -rf "$W/run"
mkdir -p "$W/run" "$W/fix"
nd=0
ndiff=0
run_both() { # run_both NAME ARGS... (ARGS after the program name)
  local name=$1
  shift
  "$OLD/recount-verify" "$@" >"$W/run/o.out" 2>"$W/run/o.err"
  echo "exit $?" >>"$W/run/o.out"
  "$NEW/recount-verify" "$@" >"$W/run/n.out" 2>"$W/run/n.err"
  echo "exit $?" >>"$W/run/n.out"
  nd=$((nd + 1))
  if ! cmp -s "$W/run/o.out" "$W/run/n.out" || ! cmp -s "$W/run/o.err" "$W/run/n.err"; then
    ndiff=$((ndiff + 1))
    echo "DIFF $name"
    diff "$W/run/o.out" "$W/run/n.out" | head -${CMP_LINES:-6}
    diff "$W/run/o.err" "$W/run/n.err" | head -${CMP_LINES:-6}
  fi
}
cases=("testvectors/krd-2017/commission.vkey testvectors/krd-2017/record")
for d in testvectors/tampered/*/; do
  d=${d%/}
  if [ -x "$d/generate.sh" ]; then
    g=$W/fix/$(basename "$d")
    [ -d "$g/record" ] || "$d/generate.sh" "$OLD" "$g" >/dev/null 2>&1
    cases+=("$g/anchor.vkey $g/record")
  else
    cases+=("$d/anchor.vkey $d/record")
  fi
done
for c in "${cases[@]}"; do
  set -- $c
  for th in 1 4; do
    run_both "$2 json t$th" record --anchor "$1" --json --threads $th "$2"
    run_both "$2 human t$th" record --anchor "$1" --threads $th "$2"
  done
done
run_both "sodium" record --anchor testvectors/krd-2017/commission.vkey --crypto libsodium testvectors/krd-2017/record
run_both "usage" record
run_both "no such record" record --anchor testvectors/krd-2017/commission.vkey /nonexistent
run_both "note" note --key testvectors/krd-2017/commission.vkey testvectors/krd-2017/record/checkpoint.note
# commit / prove / receipt on a small synthetic record
S=$W/fix/small
if [ ! -d "$S/rec" ]; then
  mkdir -p "$S"
  "$OLD/recount-gen" synthetic --sheets 40 --districts 4 --out "$S/rec" \
    --anchor-out "$S/anchor.vkey" --keys-out "$S/keys.txt" >/dev/null 2>&1
  install -m 600 /dev/null "$S/commission.key"
  sed -n 1p "$S/keys.txt" >"$S/commission.key"
fi
for who in OLD NEW; do
  bin=${!who}
  r=$W/run/$who
  cp -r "$S/rec" "$r"
  rm "$r/districts.txt" "$r/log.txt" "$r/checkpoint.note"
  "$bin/recount-sign" commit --key "$S/commission.key" "$r" >"$W/run/$who.c.out" 2>&1
  echo "exit $?" >>"$W/run/$who.c.out"
  cat "$r/districts.txt" "$r/checkpoint.note" >>"$W/run/$who.c.out"
  st=$(sed -n 's/^station \([^ ]*\) .*/\1/p' "$r/manifest.note" | sed -n 7p)
  "$bin/recount-sign" prove "$r" --station "$st" --anchor "$S/anchor.vkey" >"$W/run/$who.p.out" 2>&1
  echo "exit $?" >>"$W/run/$who.p.out"
  "$bin/recount-sign" prove "$r" --station nope --anchor "$S/anchor.vkey" >>"$W/run/$who.p.out" 2>&1
  echo "exit $?" >>"$W/run/$who.p.out"
  "$bin/recount-sign" prove "$r" --station "$st" --anchor "$S/anchor.vkey" --out "$W/run/$who.receipt" >/dev/null 2>&1
  "$bin/recount-verify" receipt --anchor "$S/anchor.vkey" "$W/run/$who.receipt" >"$W/run/$who.r.out" 2>&1
  echo "exit $?" >>"$W/run/$who.r.out"
  "$bin/recount-verify" receipt --anchor testvectors/krd-2017/commission.vkey "$W/run/$who.receipt" >>"$W/run/$who.r.out" 2>&1
  echo "exit $?" >>"$W/run/$who.r.out"
  # damaged receipts: truncated, a figure of the sheet changed, a byte of
  # the manifest section changed
  head -c 2000 "$W/run/$who.receipt" >"$W/run/$who.cut"
  awk '!done && /^ballots [0-9]/ { d = substr($0, 9, 1); $0 = "ballots " (d + 1) % 10 substr($0, 10); done = 1 } 1' \
    "$W/run/$who.receipt" >"$W/run/$who.fig"
  sed '0,/^title /s/^title ./title X/' "$W/run/$who.receipt" >"$W/run/$who.man"
  for v in cut fig man; do
    "$bin/recount-verify" receipt --anchor "$S/anchor.vkey" "$W/run/$who.$v" >>"$W/run/$who.r.out" 2>&1
    echo "exit $?" >>"$W/run/$who.r.out"
  done
  b=$W/run/$who-bad
  cp -r "$S/rec" "$b"
  rm "$b/districts.txt" "$b/log.txt" "$b/checkpoint.note"
  f=$(ls "$b/sheets" | head -n 1)
  sed -i '0,/^ballots /s/^ballots \([0-9]*\)/ballots 9\1/' "$b/sheets/$f"
  "$bin/recount-sign" commit --key "$S/commission.key" "$b" 2>&1 | sed "s|$b|RECORD|g" >"$W/run/$who.b.out"
done
for k in c p r b; do
  nd=$((nd + 1))
  if ! cmp -s "$W/run/OLD.$k.out" "$W/run/NEW.$k.out"; then
    ndiff=$((ndiff + 1))
    echo "DIFF sign/$k"
    diff "$W/run/OLD.$k.out" "$W/run/NEW.$k.out" | head -6
  fi
done
echo "compare-baseline: $nd comparisons, $ndiff differ"
[ "$ndiff" = 0 ]
