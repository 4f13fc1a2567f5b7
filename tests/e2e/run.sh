#!/usr/bin/env bash
# End-to-end tests of the two programs. Run from anywhere; uses bin/.
# Prints one line per test and a closing "e2e: N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
ROOT=$PWD
BIN=${RECOUNT_BIN:-bin}
V=$ROOT/$BIN/recount-verify
S=$ROOT/$BIN/recount-sign
G=$ROOT/$BIN/recount-gen
T=$(mktemp -d "${TMPDIR:-/tmp}/recount-e2e.XXXXXX")
trap 'chmod -R u+w "$T" 2>/dev/null; rm -rf "$T"' EXIT
KRD=$ROOT/testvectors/krd-2017
pass=0
fail=0
failed=()

ok() { pass=$((pass + 1)); echo "  ok   $1"; }
bad() { fail=$((fail + 1)); failed+=("$1"); echo "  FAIL $1${2:+: $2}"; }
# expect_exit CODE NAME cmd...   runs cmd, checks its exit status
expect_exit() {
  local want=$1 name=$2
  shift 2
  "$@" >"$T/out" 2>"$T/err"
  local got=$?
  if [ "$got" = "$want" ]; then ok "$name"; else
    bad "$name" "exit $got, expected $want; stderr: $(head -c 400 "$T/err")"
  fi
}
# a private copy of a signer key line as a 0600 key file
keyfile() { # keyfile LISTING LINE-NUMBER OUT
  install -m 600 /dev/null "$3"
  sed -n "$2p" "$1" >"$3"
}

for t in tests/e2e/t_*.sh; do
  # shellcheck source=/dev/null
  . "$t"
done

echo "e2e: $pass passed, $fail failed"
if [ "$fail" != 0 ]; then
  printf '  failed: %s\n' "${failed[@]}"
  exit 1
fi
