#!/usr/bin/env bash
# make bench: speed and memory of recount-verify on 12,072 (Kurdistan),
# 100,000 and 1,000,000 sheets, against the signature floor measured in
# the same run. Generated records are kept in bench-out/ (not committed).
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${BENCH_OUT:-bench-out}
SIZES=${BENCH_SIZES:-"100000 1000000"}
mkdir -p "$OUT"
V=${BENCH_VERIFY:-bin/recount-verify} # BENCH_VERIFY: another build to compare
FLOOR=build/bench/floor

gen() { # gen N
  local d=$OUT/r$1
  if [ ! -f "$d/checkpoint.note" ]; then
    rm -rf "$d" "$d.vkey"
    echo "generating a $1-sheet record in $d ..."
    /usr/bin/time -f "  generated in %e s" bin/recount-gen synthetic --sheets "$1" --districts 100 \
      --out "$d" --anchor-out "$d.vkey"
  fi
}

floor_us() { # floor_us RECORD -> prints both-library µs per signature
  "$FLOOR" "$1" 20000 | tee "$OUT/floor.txt" >&2
  sed -n 's/^floor_us //p' "$OUT/floor.txt"
}

run() { # run NAME RECORD ANCHOR SHEETS FLOOR_US [extra args]
  local name=$1 rec=$2 anchor=$3 n=$4 fl=$5
  shift 5
  /usr/bin/time -f "%e %M" -o "$OUT/time.txt" "$V" record --anchor "$anchor" --json "$@" "$rec" >"$OUT/report.json" || {
    echo "verification failed for $rec" >&2; exit 1; }
  read -r secs kb <"$OUT/time.txt"
  awk -v name="$name" -v n="$n" -v s="$secs" -v kb="$kb" -v fl="$fl" 'BEGIN {
    floor = n * fl / 1e6;
    printf "%-34s %9d sheets %8.2f s %9.0f sheets/s  floor %7.2f s  ratio %.3f  peak RSS %6.1f MiB\n",
      name, n, s, n / s, floor, s / floor, kb / 1024 }'
}

# The reports (issue 12): what --html FILE and --csv DIR add to a --json
# run at the first size (target <= 3 %), the two alternated twice because
# the machine is noisy, and the peak RSS of every output mode at the
# largest size (target < 256 MiB at 1,000,000 sheets). BENCH_ONLY=reports
# runs this section alone; BENCH_REPORTS_CRYPTO picks the libraries.
reports() {
  local cr=${BENCH_REPORTS_CRYPTO:-both} n d k secs kb
  n=$(echo "$SIZES" | awk '{print $1}')
  gen "$n"
  d=$OUT/r$n
  echo "== the reports at $n sheets: --json against --json --html F --csv D (--crypto $cr; target <= 1.03)"
  local -a t c
  local us ss
  for k in 1 2 3 4; do
    rm -rf "$OUT/rep-html.html" "$OUT/rep-csv"
    local extra=()
    [ $((k % 2)) = 0 ] && extra=(--html "$OUT/rep-html.html" --csv "$OUT/rep-csv")
    /usr/bin/time -f "%e %M %U %S" -o "$OUT/rtime.txt" "$V" record --anchor "$d.vkey" --crypto "$cr" \
      --json "${extra[@]}" "$d" >"$OUT/report.json" || { echo "verification failed for $d" >&2; exit 1; }
    read -r secs kb us ss <"$OUT/rtime.txt"
    t[k]=$secs
    c[k]=$(awk -v u="$us" -v s="$ss" 'BEGIN { print u + s }')
    printf "  %-36s %8.2f s  %8.2f s CPU  peak RSS %6.1f MiB\n" \
      "$([ $((k % 2)) = 0 ] && echo "--json --html --csv" || echo "--json")" "$secs" "${c[k]}" \
      "$(awk -v kb="$kb" 'BEGIN { print kb / 1024 }')"
  done
  awk -v a1="${t[1]}" -v b1="${t[2]}" -v a2="${t[3]}" -v b2="${t[4]}" 'BEGIN {
    printf "--html and --csv, time: %.2f / %.2f s = %.3f, then %.2f / %.2f s = %.3f (target <= 1.03)\n",
      b1, a1, b1 / a1, b2, a2, b2 / a2 }'
  awk -v a1="${c[1]}" -v b1="${c[2]}" -v a2="${c[3]}" -v b2="${c[4]}" 'BEGIN {
    printf "--html and --csv, CPU:  %.2f / %.2f s = %.3f, then %.2f / %.2f s = %.3f (less noisy on a shared machine)\n",
      b1, a1, b1 / a1, b2, a2, b2 / a2 }'
  n=$(echo "$SIZES" | awk '{print $NF}')
  gen "$n"
  d=$OUT/r$n
  local line="peak RSS at $n sheets (--crypto $cr; target < 256 MiB):" mode
  for mode in json human html csv all; do
    rm -rf "$OUT/rep-html.html" "$OUT/rep-csv"
    local args=()
    case $mode in
    json) args=(--json) ;;
    html) args=(--html "$OUT/rep-html.html") ;;
    csv) args=(--csv "$OUT/rep-csv") ;;
    all) args=(--json --html "$OUT/rep-html.html" --csv "$OUT/rep-csv") ;;
    esac
    /usr/bin/time -f "%e %M" -o "$OUT/rtime.txt" "$V" record --anchor "$d.vkey" --crypto "$cr" \
      "${args[@]}" "$d" >"$OUT/report.out" || { echo "verification failed for $d" >&2; exit 1; }
    read -r secs kb <"$OUT/rtime.txt"
    line="$line $(awk -v m="$mode" -v kb="$kb" 'BEGIN { printf "%s %.1f MiB,", m, kb / 1024 }')"
  done
  echo "${line%,}"
  rm -rf "$OUT/rep-html.html" "$OUT/rep-csv"
}
if [ "${BENCH_ONLY:-}" = reports ]; then
  reports
  exit 0
fi

echo "== floor: single-threaded libsodium + OpenSSL on the same signatures"
FL=$(floor_us testvectors/krd-2017/record)
echo
echo "== recount-verify ($(nproc) CPUs); ratio = time / floor (target <= 0.55 at 100,000)"
run "krd-2017 (--crypto both)" testvectors/krd-2017/record testvectors/krd-2017/commission.vkey 12092 "$FL"
for n in $SIZES; do
  gen "$n"
  run "synthetic (--crypto both)" "$OUT/r$n" "$OUT/r$n.vkey" "$n" "$FL"
done
echo
echo "== --crypto libsodium against a plain Python loop (libsodium through ctypes, as PyNaCl)"
n=$(echo "$SIZES" | awk '{print $1}')
SOD=$(sed -n 's/^libsodium_us //p' "$OUT/floor.txt")
run "synthetic (--crypto libsodium)" "$OUT/r$n" "$OUT/r$n.vkey" "$n" "$SOD" --crypto libsodium
read -r vs _ <"$OUT/time.txt"
/usr/bin/time -f "%e %M" -o "$OUT/ptime.txt" python3 tests/bench/pynacl_like.py "$OUT/r$n" >"$OUT/py.txt"
read -r ps _ <"$OUT/ptime.txt"
awk -v v="$vs" -v p="$ps" 'BEGIN { printf "python loop %.2f s, recount-verify --crypto libsodium %.2f s: %.2fx faster (target >= 1.8x)\n", p, v, p / v }'
echo
echo "== one station with many distinct texts in one file (time must grow linearly)"
many() { # many N -> prints seconds
  local d=$OUT/many$1
  [ -f "$d/record/sheets/zz-many.txt" ] || tests/bench/many_texts.sh bin "$1" "$d" >/dev/null
  /usr/bin/time -f "%e %M" -o "$OUT/mtime.txt" "$V" record --anchor "$d/anchor.vkey" --json \
    "$d/record" >/dev/null || true # the texts are findings: exit 1
  # the texts are findings (exit 1): time then writes a line before its own
  read -r secs kb < <(tail -n 1 "$OUT/mtime.txt")
  printf "%-34s %9d texts  %8.2f s  peak RSS %6.1f MiB\n" "one station, many texts" "$1" "$secs" \
    "$(awk -v kb="$kb" 'BEGIN { print kb / 1024 }')" >&2
  echo "$secs"
}
t5=$(many 5000)
t40=$(many 40000)
awk -v a="$t5" -v b="$t40" 'BEGIN { r = a > 0 ? b / a : 0;
  printf "40,000 / 5,000 texts: %.2f s / %.2f s = %.1fx (8x the texts; target <= ~10x)\n", b, a, r }'
echo
echo "== (v1.1) releases: --previous and diff of two releases of the largest size (targets: --previous ~1x, diff <= 1.2x one verification)"
n=$(echo "$SIZES" | awk '{print $NF}')
gen "$n"
rm -rf "$OUT/r$n.old"
cp -r "$OUT/r$n" "$OUT/r$n.old"
/usr/bin/time -f "%e %U %M" -o "$OUT/v1.txt" "$V" record --anchor "$OUT/r$n.vkey" "$OUT/r$n" >/dev/null
/usr/bin/time -f "%e %U %M" -o "$OUT/vp.txt" "$V" record --anchor "$OUT/r$n.vkey" \
  --previous "$OUT/r$n.old/checkpoint.note" "$OUT/r$n" >/dev/null
/usr/bin/time -f "%e %U %M" -o "$OUT/vd.txt" "$V" diff --anchor "$OUT/r$n.vkey" "$OUT/r$n.old" "$OUT/r$n" >/dev/null
read -r s1 u1 k1 <"$OUT/v1.txt"
read -r sp up kp <"$OUT/vp.txt"
read -r sd ud kd <"$OUT/vd.txt"
awk -v n="$n" -v s1="$s1" -v u1="$u1" -v sp="$sp" -v up="$up" -v sd="$sd" -v ud="$ud" -v kd="$kd" 'BEGIN {
  printf "%d sheets: verify %.2f s (%.2f s CPU); --previous %.2f s (%.2f s CPU, %.2fx); diff %.2f s (%.2f s CPU, %.2fx), peak RSS %.1f MiB\n",
    n, s1, u1, sp, up, up / u1, sd, ud, ud / u1, kd / 1024 }'
printf "log.txt of %d sheets: %d bytes\n" "$n" "$(wc -c <"$OUT/r$n/log.txt")"
rm -rf "$OUT/r$n.old"
echo
echo "== (v1.1) receipts: prove --all on the Kurdistan record (every station's tlog-proof, one pass), and one receipt of the largest size"
rm -rf "$OUT/receipts"
/usr/bin/time -f "%e %U %M" -o "$OUT/pa.txt" bin/recount-sign prove testvectors/krd-2017/record \
  --all "$OUT/receipts" --anchor testvectors/krd-2017/commission.vkey 2>/dev/null
read -r sa ua ka <"$OUT/pa.txt"
big=$(find "$OUT/receipts" -name '*.tlog-proof' -printf '%s\n' | sort -n | tail -n 1)
printf "prove --all: %d receipts in %.2f s (%.2f s CPU, peak RSS %.1f MiB), the largest %d bytes\n" \
  "$(ls "$OUT/receipts" | wc -l)" "$sa" "$ua" "$(awk -v k="$ka" 'BEGIN { print k / 1024 }')" "$big"
st=$(sed -n "$((n / 2))p" "$OUT/r$n/log.txt" | cut -d' ' -f1)
rm -f "$OUT/one.tlog-proof"
/usr/bin/time -f "%e %U %M" -o "$OUT/p1.txt" bin/recount-sign prove "$OUT/r$n" --station "$st" \
  --anchor "$OUT/r$n.vkey" --out "$OUT/one.tlog-proof" 2>/dev/null
read -r s1 u1 k1 <"$OUT/p1.txt"
printf "prove at %d sheets: %.2f s (%.2f s CPU, peak RSS %.1f MiB), receipt %d bytes (%d proof hashes)\n" \
  "$n" "$s1" "$u1" "$(awk -v k="$k1" 'BEGIN { print k / 1024 }')" "$(wc -c <"$OUT/one.tlog-proof")" \
  "$(awk 'NF == 0 { exit } NR > 3' "$OUT/one.tlog-proof" | wc -l)"
rm -rf "$OUT/receipts"
echo
reports
