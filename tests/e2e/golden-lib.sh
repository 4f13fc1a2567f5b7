# shellcheck shell=bash
# Golden files of the record reports (expected.json, expected.txt), shared
# by the tests (t_10_krd.sh, t_40_tampered.sh) and scripts/update-golden.sh,
# so that both make them the same way. Sourced, not run. The layout is in
# tests/e2e/README.md.
#
# The verifier runs from inside the case directory with relative paths
# ("record --anchor anchor.vkey record"): the human report names the record
# as it is given, so no absolute path, and no trace of where the repository
# lies, reaches a golden file.

# golden_base BINDIR CASE SCRATCH: prints the directory that holds CASE's
# record/ and anchor: CASE itself, or for a case with a generate.sh (a record
# too large to commit), SCRATCH/gen-NAME, made here by the script with the
# programs in BINDIR. Returns 1 if the script fails (its output is in
# SCRATCH/gen-NAME.log).
golden_base() {
  local c=${2%/} out
  if [ ! -x "$c/generate.sh" ]; then
    printf '%s\n' "$c"
    return 0
  fi
  out=$3/gen-$(basename "$c")
  rm -rf "$out"
  mkdir -p "$out"
  "$c/generate.sh" "$1" "$out" >"$out.log" 2>&1 || return 1
  printf '%s\n' "$out"
}

# golden_args CASE: the extra verifier arguments of a case (v1.1), one per
# line in CASE/args, relative to the case directory (e.g. "--previous" and
# "previous.note"); nothing when there is no such file. Read them with
#   mapfile -t extra < <(golden_args "$case")
# and pass "${extra[@]}" as the OPTIONs below.
golden_args() {
  [ ! -f "$1/args" ] || cat "$1/args"
}

# golden_json VERIFY DIR ANCHOR [OPTION...]: the --json report of
# DIR/record checked against DIR/ANCHOR, exactly as printed (stdout; stderr
# is left alone). Returns the verifier's exit status.
golden_json() {
  (cd "$2" && "$1" record --anchor "$3" --json "${@:4}" record)
}

# golden_stream LABEL FILE: a "## LABEL" line, then FILE verbatim; a file
# that does not end in a newline gets one and a line saying so.
golden_stream() {
  printf '## %s\n' "$1"
  cat "$2"
  if [ -n "$(tail -c 1 "$2")" ]; then
    printf '\n## (no newline at the end of %s)\n' "$1"
  fi
}

# golden_txt VERIFY DIR ANCHOR SCRATCH [OPTION...]: the human report of
# DIR/record in the expected.txt layout: the command line, stdout, stderr,
# exit status. Leaves the raw streams in SCRATCH/golden.out and .err;
# returns the verifier's exit status.
golden_txt() {
  local st
  (cd "$2" && "$1" record --anchor "$3" "${@:5}" record) \
    >"$4/golden.out" 2>"$4/golden.err"
  st=$?
  printf '$ recount-verify record --anchor %s' "$3"
  [ $# -le 4 ] || printf ' %s' "${@:5}"
  printf ' record\n'
  golden_stream stdout "$4/golden.out"
  golden_stream stderr "$4/golden.err"
  printf '## exit %d\n' "$st"
  return "$st"
}

# golden_html VERIFY DIR ANCHOR OUT [OPTION...]: the --html report of
# DIR/record into OUT (which must not exist; stdout and stderr are left
# out). Returns the verifier's exit status. The cases with a golden HTML
# report are the ones with an expected.html (t_80_html.sh).
golden_html() {
  (cd "$2" && "$1" record --anchor "$3" --html "$4" "${@:5}" record) \
    >/dev/null 2>&1
}
