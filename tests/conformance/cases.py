"""Conformance cases: one per contract rule of RECORD.md v1.1 sections 1-4.
Each builds a record with build.py, runs `recount-verify record --json` and
checks the exact findings (code, severity, district, station; the file where
given) and the exit status that the contract's text implies.

usage: cases.py VERIFY TMPDIR [NAME-SUBSTRING]
prints `ok <name>` or `FAIL <name>: <why>` per case."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import CASES, Deviation, Fail, Skip  # noqa: E402
import cases_sig  # noqa: E402,F401  (registers its cases, in this order)
import cases_rules  # noqa: E402,F401
import cases_layout  # noqa: E402,F401


def main():
  verify, tmp = sys.argv[1], sys.argv[2]
  pat = sys.argv[3] if len(sys.argv) > 3 else ""
  bad = 0
  for f in CASES:
    if pat not in f.__name__:
      continue
    try:
      f(verify, tmp)
      print("ok %s" % f.__name__)
    except Skip:
      pass
    except Deviation as e:
      print("ok %s [expected deviation: %s]" % (f.__name__, e))
    except Fail as e:
      bad += 1
      print("FAIL %s: %s" % (f.__name__, e))
    sys.stdout.flush()
  sys.exit(1 if bad else 0)


if __name__ == "__main__":
  main()
