#!/bin/sh
# Makes sure the Debian packages recount builds with are installed.
# As root: installs what is missing (apt-get update first). Otherwise:
# prints the exact apt-get line and fails.
set -u
PKGS="libsodium-dev libssl-dev libcmocka-dev pkg-config"
missing=""
have_pc() { command -v pkg-config >/dev/null 2>&1 && pkg-config --exists "$1"; }
have_pc libsodium || missing="$missing libsodium-dev"
have_pc openssl || missing="$missing libssl-dev"
have_pc cmocka || missing="$missing libcmocka-dev"
command -v pkg-config >/dev/null 2>&1 || missing="$missing pkg-config"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
  echo "deps: installing$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq $PKGS >/dev/null || {
    echo "deps: apt-get failed; run: apt-get update && apt-get install -y $PKGS" >&2
    exit 1
  }
  exit 0
fi
echo "deps: missing$missing. Run as root:" >&2
echo "  apt-get update && apt-get install -y $PKGS" >&2
exit 1
