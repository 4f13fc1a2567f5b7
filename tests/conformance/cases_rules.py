"""Conformance cases of RECORD.md v1.1 sections 2-3: the sheet rules,
equivocation, district trees, totals and percents."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import build  # noqa: E402,F401
from build import Key, Record, Sheet, DASH, b64  # noqa: E402,F401
from common import (case, run, base, two, CASES, SLOW,  # noqa: E402,F401
                    Skip)

# --- section 3: the sheet rules -------------------------------------------

def one_bad(name, mk, codes, district="d1", extra_districts=()):
  def f(v, t):
    r = base(districts=("d1",) + tuple(extra_districts))
    r.add("s1.txt", mk(r), counted=False)
    r.add("s2.txt", Sheet(r, "s2"))
    run(v, t, f.__name__, r, [(c, district, "s1") for c in codes],
        totals={})
  f.__name__ = name
  CASES.append(f)


one_bad("SHEET_ARITHMETIC: ballots one more than the parts",
        lambda r: Sheet(r, "s1", ballots=37), ["SHEET_ARITHMETIC"])
one_bad("SHEET_CHOICES: vote lines in the wrong order",
        lambda r: Sheet(r, "s1", votes=[("no", 20), ("yes", 10)]),
        ["SHEET_CHOICES"])
one_bad("SHEET_CHOICES: a choice left out",
        lambda r: Sheet(r, "s1", votes=[("yes", 10)]), ["SHEET_CHOICES"])
one_bad("SHEET_CHOICES: an extra choice",
        lambda r: Sheet(r, "s1", votes=[("yes", 10), ("no", 20),
                                        ("maybe", 1)]), ["SHEET_CHOICES"])
one_bad("SHEET_OVERVOTE: ballots above registered",
        lambda r: Sheet(r, "s1", votes=[("yes", 60), ("no", 40)],
                        invalid=1, blank=0, excluded=0), ["SHEET_OVERVOTE"])
one_bad("SHEET_REGISTERED_MISMATCH: registered differs from the manifest",
        lambda r: Sheet(r, "s1", registered=101),
        ["SHEET_REGISTERED_MISMATCH"])
one_bad("SHEET_WRONG_ELECTION: another election id",
        lambda r: Sheet(r, "s1", election="e2"), ["SHEET_WRONG_ELECTION"])
# the finding names the station's manifest district (silent in RECORD.md);
# the text is a leaf of the tree of d2, the district it names
one_bad("SHEET_WRONG_DISTRICT: another manifest district",
        lambda r: Sheet(r, "s1", district="d2"), ["SHEET_WRONG_DISTRICT"],
        district="d1", extra_districts=("d2",))


@case
def unknown_station(v, t):
  r = two(base())
  u = Key("st-s9")
  r.add("s9.txt", Sheet(r, "s9", district="d1"), signers=[u], counted=False)
  run(v, t, "SHEET_UNKNOWN_STATION: a station not in the manifest", r,
      [("SHEET_UNKNOWN_STATION", "d1", "s9")], totals={})


@case
def missing_sheet(v, t):
  r = base()
  r.add("s1.txt", Sheet(r, "s1"))
  run(v, t, "SHEET_MISSING: a registered station without sheet", r,
      [("SHEET_MISSING", "d1", "s2")], totals={})


@case
def sheet_signed_by_other_station(v, t):
  r = base()
  r.add("s1.txt", Sheet(r, "s1"), signers=[r.key_of("s2")], counted=False)
  r.add("s2.txt", Sheet(r, "s2"))
  run(v, t, "SHEET_SIGNATURE: signed by another station's key", r,
      [("SHEET_SIGNATURE", "d1", "s1")], totals={})


@case
def equivocation(v, t):
  r = base()
  r.add("s1.txt", Sheet(r, "s1"))
  r.add("s1b.txt", Sheet(r, "s1", votes=[("yes", 11), ("no", 19)]),
        counted=False)
  r.add("s2.txt", Sheet(r, "s2"))
  # the contract does not say whether an equivocating station counts;
  # both texts are leaves of the district tree
  r.counted = [s for s in r.counted if s.station != "s1"]
  run(v, t, "SHEET_EQUIVOCATION: two signed texts, both in the tree", r,
      [("SHEET_EQUIVOCATION", "d1", "s1")])


@case
def duplicate(v, t):
  r = base()
  r.add("s1.txt", Sheet(r, "s1"))
  r.add("s1-copy.txt", Sheet(r, "s1"), counted=False)
  r.add("s2.txt", Sheet(r, "s2"))
  r.add("s2.txt", Sheet(r, "s2"), counted=False)
  run(v, t, "SHEET_DUPLICATE: identical texts counted once", r,
      [("SHEET_DUPLICATE", "d1", "s1", "sheets/s1.txt"),
       ("SHEET_DUPLICATE", "d1", "s2", "sheets/s2.txt")], totals={})


@case
def duplicate_other_signatures(v, t):
  r = base(witnesses=("agent",))
  text = Sheet(r, "s1").text()
  r.add("s1.txt", Sheet(r, "s1"))
  r.add("s1.txt", Sheet(r, "s1"), counted=False,
        lines=[r.witnesses[0].line(text), r.key_of("s1").line(text)])
  r.add("s2.txt", Sheet(r, "s2"))
  run(v, t, "SHEET_DUPLICATE: same text, other signature lines", r,
      [("SHEET_DUPLICATE", "d1", "s1")], totals={})


@case
def tree_order(v, t):
  # s2's sheet comes first in path order; the tree orders by station id,
  # then, for s1's two texts, by bytes
  r = base(stations=(("s1", "d1", 100), ("s2", "d1", 100),
                     ("s10", "d1", 100)))
  r.stations.sort(key=lambda s: s["id"].encode())
  r.add("a.txt", Sheet(r, "s2"))
  r.add("b.txt", Sheet(r, "s10"))
  r.add("c.txt", Sheet(r, "s1", votes=[("yes", 20), ("no", 10)]),
        counted=False)
  r.add("d.txt", Sheet(r, "s1", votes=[("yes", 10), ("no", 20)]),
        counted=False)
  run(v, t, "district tree: station id order, then bytes", r,
      [("SHEET_EQUIVOCATION", "d1", "s1")])


@case
def empty_district(v, t):
  r = base(stations=(("s1", "d1", 100), ("s2", "d1", 100),
                     ("s3", "d2", 50)), districts=("d1", "d2"))
  two(r)
  r.published = ["district d2 registered 0", "district d2 turnout 0.00"]
  run(v, t, "empty district: sheets 0 and the empty-tree root", r,
      [("SHEET_MISSING", "d2", "s3")], totals={})


@case
def district_without_stations(v, t):
  r = base(districts=("d1", "d2"))
  two(r)
  run(v, t, "a district with no stations: stations 0, sheets 0", r, [],
      totals={})


# --- sections 2 and 3: totals and percents ----------------------------------

def zero_district(name, figures, mismatched):
  def f(v, t):
    r = base(stations=(("s1", "d1", 100), ("s2", "d1", 100),
                       ("s3", "d2", 0)), districts=("d1", "d2"))
    two(r)
    r.add("s3.txt", Sheet(r, "s3", votes=[("yes", 0), ("no", 0)],
                          invalid=0, blank=0, excluded=0))
    r.published = figures
    run(v, t, f.__name__, r,
        [("PUBLISHED_MISMATCH", "d2", None)] * mismatched, totals={})
  f.__name__ = name
  CASES.append(f)


for _p in ("0", "0.0", "0.00", "0.000", "0.0000"):
  zero_district("0/0 percent %s reconciles" % _p,
                ["district d2 share yes " + _p, "district d2 turnout " + _p],
                0)
zero_district("0/0 percent 0.01 does not reconcile",
              ["district d2 turnout 0.01"], 1)
zero_district("0/0 percent 100 does not reconcile",
              ["district d2 share no 100"], 1)


def turnout_case(reg, ballots, good, bad):
  def f(v, t):
    r = base(stations=(("s1", "d1", reg),))
    r.add("s1.txt", Sheet(r, "s1", votes=[("yes", ballots), ("no", 0)],
                          invalid=0, blank=0, excluded=0))
    r.published = ["turnout " + good]
    run(v, t, f.__name__ + " ok", r, [], totals={})
    r.published = ["turnout " + bad]
    run(v, t, f.__name__ + " bad", r, [("PUBLISHED_MISMATCH", None, None)],
        totals={})
  f.__name__ = "percent half up: %d/%d is %s, not %s" % (ballots, reg, good,
                                                         bad)
  CASES.append(f)


turnout_case(8, 1, "13", "12")
turnout_case(8, 1, "12.5", "12.4")
turnout_case(800, 1, "0.13", "0.12")
turnout_case(8000, 1, "0.013", "0.012")
turnout_case(80000, 1, "0.0013", "0.0012")
turnout_case(80000, 1, "0", "1")
turnout_case(3, 2, "66.6667", "66.6666")
turnout_case(3, 1, "33", "34")
assert build.percent(1, 8, 0) == "13" and build.percent(2, 3, 4) == "66.6667"


@case
def totals_20_digits_parsed(v, t):
  m = 2 ** 64 - 1
  r = two(base())
  r.published = ["registered %d" % m, "district d1 ballots %d" % m]

  def edit(ts):
    return [x.replace(b"registered 200\n", b"registered %d\n" % m)
            for x in ts]
  r.district_edit = edit
  run(v, t, "2^64-1 parses in districts.txt and published (a mismatch)", r,
      [("DISTRICT_TOTAL_MISMATCH", "d1", None),
       ("PUBLISHED_MISMATCH", None, None),
       ("PUBLISHED_MISMATCH", "d1", None)])


@case
def totals_2_64_refused_published(v, t):
  r = two(base())
  r.published = ["registered %d" % 2 ** 64]
  run(v, t, "2^64 in published figures is PUBLISHED_FORMAT", r,
      [("PUBLISHED_FORMAT", None, None)])


@case
def totals_2_64_refused_district(v, t):
  r = two(base())

  def edit(ts):
    return [x.replace(b"registered 200\n", b"registered %d\n" % 2 ** 64)
            for x in ts]
  r.district_edit = edit
  run(v, t, "2^64 in districts.txt is DISTRICT_RECORD_FORMAT", r,
      [("DISTRICT_RECORD_FORMAT", "d1", None)],
      deviation="the finding does not name the district of the record")


def big_record():
  """18,447 stations whose registered voters sum to 2^64 - 1."""
  n = 18447
  full = 10 ** 15 - 1
  last = 2 ** 64 - 1 - (n - 1) * full
  st = [("s%05d" % i, "d1", full if i < n - 1 else last, Key("st-s%05d" % i))
        for i in range(n)]
  r = Record(stations=st)
  for s in r.stations:
    r.add("s.txt", Sheet(r, s["id"], votes=[("yes", s["registered"] - 1),
                                            ("no", 1)],
                         invalid=0, blank=0, excluded=0))
  return r


@case
def totals_2_64_minus_1(v, t):
  if not SLOW:
    print("skip totals_2_64_minus_1 (CONFORMANCE_SLOW=1 runs it)")
    raise Skip()
  r = big_record()
  m = 2 ** 64 - 1
  r.published = ["registered %d" % m, "ballots %d" % m,
                 "vote yes %d" % (m - 18447), "turnout 100",
                 "district d1 registered %d" % m]
  run(v, t, "sums of 2^64-1 in districts.txt and published", r, [],
      totals={})
