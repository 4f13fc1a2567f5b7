# RECORD.md v1.1 §1-4 conformance: records built by an independent builder
# (tests/conformance/build.py) and the findings the contract implies.
echo "conformance"
"$ROOT/tests/conformance/run.sh" "$ROOT/$BIN/recount-verify" >"$T/conf.out" 2>"$T/conf.err"
conf_st=$?
if [ "$conf_st" = 77 ]; then
  echo "  skip conformance: $(head -n 1 "$T/conf.out")"
else
  while IFS= read -r line; do
    case $line in
    "ok "*) ok "conformance: ${line#ok }" ;;
    "FAIL "*) bad "conformance: ${line#FAIL }" ;;
    esac
  done <"$T/conf.out"
  grep -q '^ok ' "$T/conf.out" || bad "conformance: no case ran" "exit $conf_st; $(head -c 400 "$T/conf.err")"
  if [ "$conf_st" != 0 ] && ! grep -q '^FAIL ' "$T/conf.out"; then
    bad "conformance: run.sh" "exit $conf_st; $(head -c 400 "$T/conf.err")"
  fi
fi
