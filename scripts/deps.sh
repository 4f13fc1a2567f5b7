#!/bin/sh
# Makes sure the Debian packages recount builds and tests with are
# installed. As root: installs what is missing (apt-get update first).
# Otherwise: prints the exact apt-get line and fails.
#   build:  libsodium-dev libssl-dev libcmocka-dev pkg-config
#   tests:  valgrind (memory checks), python3-nacl (an independent Ed25519
#           for cross-checks), python3-jsonschema (JSON reports against
#           docs/report.schema.json), chromium (renders the HTML report)
# Test packages are looked up with Debian's own /usr/bin/python3, which is
# what the tests run.
set -u
missing=""
have_pc() { command -v pkg-config >/dev/null 2>&1 && pkg-config --exists "$1"; }
have_py() { [ -x /usr/bin/python3 ] && /usr/bin/python3 -c "import $1" 2>/dev/null; }
have_pc libsodium || missing="$missing libsodium-dev"
have_pc openssl || missing="$missing libssl-dev"
have_pc cmocka || missing="$missing libcmocka-dev"
command -v pkg-config >/dev/null 2>&1 || missing="$missing pkg-config"
command -v valgrind >/dev/null 2>&1 || missing="$missing valgrind"
have_py nacl || missing="$missing python3-nacl"
have_py jsonschema || missing="$missing python3-jsonschema"
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
  echo "deps: installing$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq $missing >/dev/null || {
    echo "deps: apt-get failed; run: apt-get update && apt-get install -y$missing" >&2
    exit 1
  }
  exit 0
fi
echo "deps: missing$missing. Run as root:" >&2
echo "  apt-get update && apt-get install -y$missing" >&2
exit 1
