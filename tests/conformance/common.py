"""Shared by the conformance cases: the severity table of RECORD.md v1.1
section 6, the case registry and run(), which checks one record."""

import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import build  # noqa: E402
from build import Key, Record, Sheet, DASH, b64  # noqa: E402

# RECORD.md v1.1 section 6, the severity column
SEV = {c: "error" for c in (
    "MANIFEST_SIGNATURE MANIFEST_FORMAT KEY_WEAK KEY_REUSED SHEET_FORMAT "
    "SHEET_SIGNATURE SHEET_UNKNOWN_STATION SHEET_WRONG_ELECTION "
    "SHEET_WRONG_DISTRICT SHEET_REGISTERED_MISMATCH SHEET_ARITHMETIC "
    "SHEET_CHOICES SHEET_OVERVOTE SHEET_EQUIVOCATION CRYPTO_DISAGREEMENT "
    "DISTRICT_RECORD_FORMAT DISTRICT_ROOT_MISMATCH DISTRICT_TOTAL_MISMATCH "
    "CHECKPOINT_SIGNATURE CHECKPOINT_MISMATCH PUBLISHED_SIGNATURE "
    "PUBLISHED_FORMAT PUBLISHED_MISMATCH COUNT_OVERFLOW").split()}
SEV.update({c: "warning" for c in (
    "SHEET_DUPLICATE SHEET_MISSING SIGLINE_IGNORED COSIGNATURE_INVALID"
    ).split()})

CASES = []


def case(f):
  CASES.append(f)
  return f


class Fail(Exception):
  pass


class Skip(Exception):
  pass


class Deviation(Exception):
  pass


SLOW = os.environ.get("CONFORMANCE_SLOW") == "1"


def run(verify, tmp, name, rec, expect, totals=None, verdict=None, prep=None,
        deviation=None, more_of=()):
  """expect: list of (code, district, station[, file]) the contract implies.
  The exit status follows: 1 when one of them is an error, else 0. more_of:
  codes of which further findings on the same file are allowed (RECORD.md
  does not say how many findings one defect gives)."""
  d = os.path.join(tmp, name, "record")
  rec.write(d)
  if prep:
    prep(d)
  p = subprocess.run([verify, "record", "--anchor", d + ".vkey", "--json", d],
                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
  try:
    rep = json.loads(p.stdout)
  except ValueError:
    raise Fail("exit %d, no JSON: %r %r" % (p.returncode, p.stdout[:200],
                                           p.stderr[:200]))
  got = [(f["code"], f["severity"], f.get("district"), f.get("station"),
          f.get("file")) for f in rep["findings"]]
  want_exit = 0
  wanted = []
  for e in expect:
    code, dist, st = e[:3]
    if SEV[code] == "error":
      want_exit = 1
    wanted.append((code, SEV[code], dist, st, e[3] if len(e) > 3 else None))
  # RECORD.md 6, completeness: R = registered voters of the stations with
  # no counted sheet; when R > 0 and a choice other than the leader (most
  # counted votes, ties by ballot order) could reach it, the outcome is
  # not determined. Every case implies this finding when the rule holds.
  if not any(e[0] == "OUTCOME_NOT_DETERMINED" for e in expect):
    counted = {s.station for s in rec.counted}
    r = sum(st["registered"] for st in rec.stations
            if st["id"] not in counted)
    votes = {c: 0 for c in rec.choices}
    for s in rec.counted:
      for c, v in s.votes:
        if c in votes:
          votes[c] += v
    leader = max(rec.choices, key=lambda c: (votes[c],
                                             -rec.choices.index(c)))
    if r > 0 and any(votes[c] + r >= votes[leader]
                     for c in rec.choices if c != leader):
      want_exit = 1
      wanted.append(("OUTCOME_NOT_DETERMINED", "error", None, None, None))
  rest = list(got)
  missing = []
  for w in wanted:
    for g in rest:
      if g[:4] == w[:4] and (w[4] is None or w[4] == g[4]):
        rest.remove(g)
        break
    else:
      missing.append(w)
  why = []
  if missing:
    why.append("missing %s" % missing)
  rest = [g for g in rest if not (g[0] in more_of and any(
      w[0] == g[0] and w[4] == g[4] for w in wanted))]
  if rest:
    why.append("unexpected %s" % [
        (g, [f["message"] for f in rep["findings"] if f["code"] == g[0]][:1])
        for g in rest])
  if p.returncode != want_exit:
    why.append("exit %d, expected %d" % (p.returncode, want_exit))
  if totals is not None:
    t = rec.totals()
    for k, v in totals.items():
      t[k] = v
    g = rep.get("totals", {})
    for k in ("registered", "ballots", "invalid", "blank", "excluded",
              "valid", "votes"):
      if g.get(k) != t[k]:
        why.append("totals.%s %r, expected %r" % (k, g.get(k), t[k]))
  if verdict and rep.get("verdict") != verdict:
    why.append("verdict %r, expected %r" % (rep.get("verdict"), verdict))
  if why and deviation:
    raise Deviation("%s (%s)" % (deviation, "; ".join(why)))
  if deviation:
    raise Fail("marked as an expected deviation (%s) but conforms now: "
               "remove the mark" % deviation)
  if why:
    raise Fail("; ".join(why))


def base(**kw):
  return Record(**kw)


def two(rec, s1_lines=None, **kw):
  """s1 in sheets/s1.txt, s2 in sheets/s2.txt, both valid."""
  rec.add("s1.txt", Sheet(rec, "s1"), lines=s1_lines, **kw)
  rec.add("s2.txt", Sheet(rec, "s2"))
  return rec


@case
def baseline(v, t):
  r = two(base())
  r.published = ["registered 200", "ballots 72", "valid 60",
                 "share yes 33.33", "share no 66.67", "turnout 36"]
  run(v, t, "baseline", r, [], totals={}, verdict="reconciled")
