# shellcheck shell=bash
# The golden cases of observers' copies and evidence (testvectors/observed/
# cases.txt), shared by tests/e2e/t_85_observed.sh and
# scripts/update-golden.sh so that both run them the same way. Sourced,
# not run; needs golden_stream from golden-lib.sh.

# observed_goldens VERIFY FIXTURE SCRATCH OUT: copies FIXTURE to
# SCRATCH/obs (symbolic links kept), runs each case of FIXTURE/cases.txt
# there in order and writes OUT/NAME.txt in the expected.txt layout (the
# command line, stdout, stderr, exit status).
observed_goldens() {
  local v=$1 fx=$2 sc=$3 out=$4 name args st
  rm -rf "$sc/obs"
  cp -a "$fx" "$sc/obs"
  rm -rf "$sc/obs/expected"
  mkdir -p "$out"
  while IFS='|' read -r name args; do
    case $name in '' | '#'*) continue ;; esac
    # shellcheck disable=SC2086 # the arguments are words, no globs
    (cd "$sc/obs" && "$v" $args) >"$sc/case.out" 2>"$sc/case.err"
    st=$?
    {
      printf '$ recount-verify %s\n' "$args"
      golden_stream stdout "$sc/case.out"
      golden_stream stderr "$sc/case.err"
      printf '## exit %d\n' "$st"
    } >"$out/$name.txt"
  done <"$fx/cases.txt"
}
