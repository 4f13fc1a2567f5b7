#!/bin/sh
# Lenient or unbounded libc functions have no place in the parsers and
# programs (STYLE.md): atoi strtol sscanf strcpy sprintf strtok and kin.
# Tests and the bench floor may use them on trusted data.
set -u
cd "$(dirname "$0")/.."
hits=$(grep -nE '\b(atoi|atol|atoll|strtol|strtoul|strtoll|strtoull|strtod|sscanf|strcpy|strcat|sprintf|vsprintf|strtok|gets)[[:space:]]*\(' \
  formats/*.c formats/*.h engine/*.c engine/*.h engine/*.def sign/*.c sign/*.h \
  cli/*.c cli/*.h verify/*.c verify/*.h tools/*.c)
if [ -n "$hits" ]; then
  echo "banned functions used:"; echo "$hits"; exit 1
fi
echo "banned-functions: none in formats/ engine/ sign/ cli/ verify/ tools/"
