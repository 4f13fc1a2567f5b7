#!/usr/bin/env bash
# The conformance suite: records built from RECORD.md v1.1 alone
# (tests/conformance/build.py, no code of recount's) checked by
# recount-verify against the findings and exit status the contract implies.
# usage: run.sh [VERIFY] [NAME-SUBSTRING]   (VERIFY default: bin/recount-verify)
# Prints `ok NAME` / `FAIL NAME: why` per case; exit 1 when one fails, 77
# when /usr/bin/python3 lacks nacl. CONFORMANCE_SLOW=1 adds the case of
# 18,447 stations summing to 2^64-1 (about a minute).
set -u
here=$(cd "$(dirname "$0")" && pwd)
verify=$(realpath "${1:-$here/../../bin/recount-verify}")
py=/usr/bin/python3
export PYTHONDONTWRITEBYTECODE=1
if ! "$py" -c 'import nacl.signing' 2>/dev/null; then
  echo "skip: $py has no nacl (python3-nacl; scripts/deps.sh installs it)"
  exit 77
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/recount-conformance.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
"$py" "$here/cases.py" "$verify" "$tmp" "${2:-}"
