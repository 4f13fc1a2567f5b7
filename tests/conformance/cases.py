"""Conformance cases: one per contract rule of RECORD.md v1.1 sections 1-4.
Each builds a record with build.py, runs `recount-verify record --json` and
checks the exact findings (code, severity, district, station; the file where
given) and the exit status that the contract's text implies.

usage: cases.py VERIFY TMPDIR [NAME-SUBSTRING]
prints `ok <name>` or `FAIL <name>: <why>` per case."""

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


# --- section 1: signature lines -------------------------------------------

def sigline_cases():
  """(name, extra line builder(rec, text) -> bytes)"""
  def good(r, text):
    return r.key_of("s1").line(text)

  def with_sig(r, text, raw):
    k = r.key_of("s1")
    return DASH + (k.name + " " + raw).encode() + b"\n"

  def kid_len(r, text, n):
    k = r.key_of("s1")
    return with_sig(r, text, b64((k.kid + k.sig(text) + b"\0" * 8)[:n]))
  return [
      ("no name or signature field", lambda r, t: DASH + b"\n"),
      ("name only, no signature field", lambda r, t: DASH + b"st-s1\n"),
      ("three fields", lambda r, t: good(r, t)[:-1] + b" x\n"),
      ("missing base64 padding",
       lambda r, t: with_sig(r, t, b64(r.key_of("s1").kid + b"\1" * 62)
                             .rstrip("="))),
      ("non-zero unused base64 bits",
       lambda r, t: with_sig(r, t, "AAAAAB==")),
      ("character outside the base64 alphabet",
       lambda r, t: with_sig(r, t, "AAAA*AAA")),
      ("fewer than 5 decoded bytes", lambda r, t: with_sig(r, t, "AAAAAA==")),
      ("67 bytes for a known Ed25519 key", lambda r, t: kid_len(r, t, 67)),
      ("69 bytes for a known Ed25519 key", lambda r, t: kid_len(r, t, 69)),
      ("failing line beside a valid one",
       lambda r, t: with_sig(r, t, b64(r.key_of("s1").kid +
                                       r.key_of("s2").sig(t)))),
  ]


def add_sigline_case(name, mk, first):
  def f(v, t):
    r = base()
    text = Sheet(r, "s1").text()
    bad = mk(r, text)
    lines = [bad, r.key_of("s1").line(text)] if first else \
        [r.key_of("s1").line(text), bad]
    two(r, s1_lines=lines)
    run(v, t, f.__name__, r, [("SIGLINE_IGNORED", "d1", "s1", "sheets/s1.txt")],
        totals={})
  f.__name__ = "sheet sigline ignored (%s): %s" % (
      "before the valid line" if first else "after the valid line", name)
  CASES.append(f)


for _n, _mk in sigline_cases():
  add_sigline_case(_n, _mk, False)
  add_sigline_case(_n, _mk, True)


def add_note_sigline_case(which, name, mk):
  def f(v, t):
    r = two(base())
    r.published = ["ballots 72"]
    fake = Key("commission")  # same name and ID: a known key
    text = b"x\n"
    line = mk(r, text)
    # the line is built for s1's key; rename it to the commission's
    line = line.replace(b"st-s1 ", b"commission ")
    line = line.replace(b64(r.key_of("s1").kid).encode()[:6],
                        b64(fake.kid).encode()[:6])
    getattr(r, which + "_extra").append(line)
    run(v, t, f.__name__, r, [("SIGLINE_IGNORED", None, None)])
  f.__name__ = "%s note sigline ignored: %s" % (which, name)
  CASES.append(f)


for _w in ("manifest", "checkpoint", "pub"):
  add_note_sigline_case(_w, "no signature field", lambda r, t: DASH + b"x\n")
  add_note_sigline_case(_w, "fewer than 5 bytes",
                        lambda r, t: DASH + b"commission AAAAAA==\n")
  add_note_sigline_case(_w, "non-canonical base64",
                        lambda r, t: DASH + b"commission AAAAAB==\n")


@case
def commission_note_failing_line_beside_valid(v, t):
  r = two(base())
  r.published = ["ballots 72"]
  bogus = DASH + ("commission " + b64(r.anchor.kid + b"\x07" * 64)).encode() \
      + b"\n"
  r.manifest_extra.append(bogus)
  r.checkpoint_extra.append(bogus)
  r.pub_extra.append(bogus)
  run(v, t, "commission notes: failing line beside valid", r,
      [("SIGLINE_IGNORED", None, None, "manifest.note"),
       ("SIGLINE_IGNORED", None, None, "checkpoint.note"),
       ("SIGLINE_IGNORED", None, None, "published.note")])


@case
def sigline_past_100th(v, t):
  r = base()
  text = Sheet(r, "s1").text()
  unknown = [Key("u%d" % i).line(text) for i in range(100)]
  # the valid line is the 101st: not read, so the sheet is not signed
  two(r, s1_lines=unknown + [r.key_of("s1").line(text)], counted=False)
  run(v, t, "valid line past the 100th is not read", r,
      [("SIGLINE_IGNORED", "d1", "s1"), ("SHEET_SIGNATURE", "d1", "s1")],
      totals={})


@case
def sigline_100_unknown_then_valid_within(v, t):
  r = base()
  text = Sheet(r, "s1").text()
  unknown = [Key("u%d" % i).line(text) for i in range(99)]
  two(r, s1_lines=unknown + [r.key_of("s1").line(text)])
  run(v, t, "valid line as the 100th: read, unknown lines silent", r, [],
      totals={})


@case
def sigline_101st_after_valid(v, t):
  r = base()
  text = Sheet(r, "s1").text()
  lines = [r.key_of("s1").line(text)] + \
      [Key("u%d" % i).line(text) for i in range(100)]
  two(r, s1_lines=lines)
  run(v, t, "a 101st line after a valid one", r,
      [("SIGLINE_IGNORED", "d1", "s1")], totals={})


@case
def unknown_key_lines_silent(v, t):
  r = base()
  text = Sheet(r, "s1").text()
  u = Key("observer")
  lines = [u.line(text),
           DASH + ("observer " + b64(u.kid + b"\1")).encode() + b"\n",
           DASH + ("st-s1 " + b64(b"\0\0\0\0" + r.key_of("s1").sig(text)))
           .encode() + b"\n",  # station name, another key ID: unknown
           DASH + ("other " + b64(b"\1" * 300)).encode() + b"\n",
           r.key_of("s1").line(text)]
  two(r, s1_lines=lines)
  run(v, t, "unknown names or key IDs are ignored silently", r, [],
      totals={})


@case
def key_id_wrong_only_line(v, t):
  r = base()
  text = Sheet(r, "s1").text()
  k = r.key_of("s1")
  wrong = DASH + ("st-s1 " + b64(bytes(x ^ 1 for x in k.kid) + k.sig(text))) \
      .encode() + b"\n"
  two(r, s1_lines=[wrong], counted=False)
  run(v, t, "key ID not SHA-256(name\\n\\x01 pub): sheet unsigned", r,
      [("SHEET_SIGNATURE", "d1", "s1")], totals={})


@case
def cosignature_invalid_warning(v, t):
  r = base(witnesses=("agent",))
  text = Sheet(r, "s1").text()
  w = r.witnesses[0]
  bad = DASH + ("agent " + b64(w.kid + r.key_of("s1").sig(text))).encode() \
      + b"\n"
  two(r, s1_lines=[r.key_of("s1").line(text), bad])
  run(v, t, "failing witness line is COSIGNATURE_INVALID warning", r,
      [("COSIGNATURE_INVALID", "d1", "s1")], totals={})


@case
def witness_cosigns(v, t):
  r = base(witnesses=("agent",))
  text = Sheet(r, "s1").text()
  two(r, s1_lines=[r.key_of("s1").line(text), r.witnesses[0].line(text)])
  run(v, t, "valid witness cosignature: no finding", r, [], totals={})


# --- section 3: key roles ---------------------------------------------------

@case
def key_reused_two_stations(v, t):
  k = Key("shared")
  r = base(stations=(("s1", "d1", 100, k), ("s2", "d1", 100, k)))
  # silent in RECORD.md: whether the sheets of such stations count; they
  # are signed by their station's registered key, so they do here
  two(r)
  run(v, t, "KEY_REUSED: one key for two stations", r,
      [("KEY_REUSED", "d1", "s1"), ("KEY_REUSED", "d1", "s2")])


@case
def key_reused_station_witness(v, t):
  k = Key("shared")
  r = base(stations=(("s1", "d1", 100, k), ("s2", "d1", 100)), witnesses=(k,))
  two(r)
  run(v, t, "KEY_REUSED: station key also a witness", r,
      [("KEY_REUSED", "d1", "s1"), ("KEY_REUSED", None, None)])


@case
def key_reused_anchor_station(v, t):
  r = base()
  r.stations[0]["key"] = r.anchor
  two(r)
  run(v, t, "KEY_REUSED: anchor registered for a station", r,
      [("KEY_REUSED", "d1", "s1"), ("KEY_REUSED", None, None)],
      deviation="'for each role it holds': no finding for the anchor role")


@case
def key_reused_anchor_witness(v, t):
  r = base()
  r.witnesses = [r.anchor]
  two(r)
  run(v, t, "KEY_REUSED: anchor registered as a witness", r,
      [("KEY_REUSED", None, None), ("KEY_REUSED", None, None)],
      deviation="'for each role it holds': no finding for the anchor role")


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



# --- section 4: framing and the sheets directory ---------------------------

@case
def framing_two_sheets_one_file(v, t):
  r = base()
  r.add("all.txt", Sheet(r, "s1"))
  r.add("all.txt", Sheet(r, "s2"))
  run(v, t, "framing: notes concatenated in one file", r, [], totals={})


@case
def framing_garbage_after(v, t):
  r = base()
  r.add("s1.txt", Sheet(r, "s1"))
  r.add_raw("s1.txt", b"hello\n")
  r.add("s2.txt", Sheet(r, "s2"))
  run(v, t, "framing: a non-sheet after a sheet is SHEET_FORMAT, the sheet "
      "counts", r, [("SHEET_FORMAT", None, None, "sheets/s1.txt")],
      totals={})


@case
def framing_truncated_last_sheet(v, t):
  r = base()
  r.add("all.txt", Sheet(r, "s1"))
  r.add_raw("all.txt", Sheet(r, "s2").text()[:40])
  run(v, t, "framing: a truncated last sheet, the one before counts", r,
      [("SHEET_FORMAT", None, None, "sheets/all.txt"),
       ("SHEET_MISSING", "d1", "s2")], totals={})


@case
def framing_partial_last_sigline(v, t):
  r = base()
  r.add("s1.txt", Sheet(r, "s1"), append=DASH + b"st-s1 AAAA")
  r.add("s2.txt", Sheet(r, "s2"))
  run(v, t, "framing: a partial last signature line is ignored", r,
      [("SIGLINE_IGNORED", "d1", "s1", "sheets/s1.txt")], totals={})


@case
def framing_sigline_block_ends(v, t):
  # signature lines run to the first line not beginning with the dash: the
  # valid line of s1 after s2's text belongs to s2's note, not s1's
  r = base()
  t1 = Sheet(r, "s1").text()
  t2 = Sheet(r, "s2").text()
  data = t1 + b"\n" + Key("x").line(t1) + t2 + b"\n" + \
      r.key_of("s2").line(t2) + r.key_of("s1").line(t1)
  r.add_raw("all.txt", data)
  r.parsed = [("s1", "d1", t1), ("s2", "d1", t2)]
  r.counted = [Sheet(r, "s2")]
  run(v, t, "framing: a signature line belongs to the note it follows", r,
      [("SHEET_SIGNATURE", "d1", "s1")], totals={})


@case
def empty_line_inside_text(v, t):
  r = base()
  t1 = Sheet(r, "s1").text()
  cut = t1.index(b"ballots")
  r.add_raw("s1.txt", t1[:cut] + b"\n" + t1[cut:] + b"\n" +
            r.key_of("s1").line(t1))
  r.add("s2.txt", Sheet(r, "s2"))
  # two parts: s1's text up to the empty line, with no signature line, and
  # the rest (not a sheet)
  run(v, t, "framing: an empty line inside a text cuts it", r,
      [("SHEET_FORMAT", "d1", "s1", "sheets/s1.txt"),
       ("SHEET_FORMAT", None, None, "sheets/s1.txt")], totals={},
      more_of=("SHEET_FORMAT",))


@case
def symlink_in_sheets(v, t):
  r = two(base())

  def prep(d):
    os.symlink("s1.txt", os.path.join(d, "sheets", "link.txt"))
  run(v, t, "a symlink under sheets/ is SHEET_FORMAT, not followed", r,
      [("SHEET_FORMAT", None, None, "sheets/link.txt")], totals={},
      prep=prep)


@case
def fifo_in_sheets(v, t):
  r = two(base())

  def prep(d):
    os.mkfifo(os.path.join(d, "sheets", "pipe"))
  run(v, t, "a FIFO under sheets/ is SHEET_FORMAT, not opened", r,
      [("SHEET_FORMAT", None, None, "sheets/pipe")], totals={}, prep=prep)


@case
def subdirectories_read(v, t):
  r = base()
  r.add("x/y/z/s1.txt", Sheet(r, "s1"))
  r.add("x/s2", Sheet(r, "s2"))
  run(v, t, "files in subdirectories are read", r, [], totals={})


@case
def bytewise_path_order(v, t):
  # bytewise: "B" < "a" < "a.txt" < "a/x" < "a0"; the first is the original,
  # each later copy a duplicate
  r = base()
  for p in ("a0", "a/x", "B", "a.txt"):
    r.add(p, Sheet(r, "s1"), counted=(p == "B"))
  r.add("s2.txt", Sheet(r, "s2"))
  run(v, t, "sheets files in bytewise path order", r,
      [("SHEET_DUPLICATE", "d1", "s1", "sheets/a.txt"),
       ("SHEET_DUPLICATE", "d1", "s1", "sheets/a/x"),
       ("SHEET_DUPLICATE", "d1", "s1", "sheets/a0")], totals={})


def refused(name, mk, station_named=True):
  """A sheet whose text violates section 2: SHEET_FORMAT, not counted, not
  a leaf. When the finding can name the station, the station has a sheet
  (a rejected one); when not, it is also SHEET_MISSING."""
  def f(v, t):
    r = base()
    t1 = Sheet(r, "s1").text()
    t1b = mk(t1)
    k = r.key_of("s1")
    r.add_raw("s1.txt", t1b + b"\n" + k.line(t1b))
    r.add("s2.txt", Sheet(r, "s2"))
    want = [("SHEET_FORMAT", "d1", "s1", "sheets/s1.txt")]
    if not station_named:
      want = [("SHEET_FORMAT", None, None, "sheets/s1.txt"),
              ("SHEET_MISSING", "d1", "s1")]
    run(v, t, f.__name__, r, want, totals={}, more_of=("SHEET_FORMAT",))
  f.__name__ = name
  CASES.append(f)


refused("CRLF line ends on a sheet are refused",
        lambda t: t.replace(b"\n", b"\r\n"), station_named=False)
refused("a BOM before a sheet is refused", lambda t: b"\xef\xbb\xbf" + t,
        station_named=False)
refused("a count with a leading zero is refused",
        lambda t: t.replace(b"\ninvalid 1\n", b"\ninvalid 01\n"))
refused("a count of 16 digits is refused",
        lambda t: t.replace(b"\nexcluded 3\n", b"\nexcluded 1000000000000000\n"))
refused("a count with a sign is refused",
        lambda t: t.replace(b"\nblank 2\n", b"\nblank +2\n"))
refused("a double space is refused",
        lambda t: t.replace(b"\nblank 2\n", b"\nblank  2\n"))
refused("a trailing space is refused",
        lambda t: t.replace(b"\nblank 2\n", b"\nblank 2 \n"))
refused("an unknown keyword is refused",
        lambda t: t.replace(b"\nblank 2\n", b"\nblank 2\nspoilt 0\n"))
refused("a tab (control character) is refused",
        lambda t: t.replace(b"\nblank 2\n", b"\nblank\t2\n"))
refused("lines out of order are refused",
        lambda t: t.replace(b"invalid 1\nblank 2\n", b"blank 2\ninvalid 1\n"))


@case
def count_15_digits_accepted(v, t):
  big = 10 ** 15 - 1
  r = base(stations=(("s1", "d1", big), ("s2", "d1", 100)))
  r.add("s1.txt", Sheet(r, "s1", votes=[("yes", big - 6), ("no", 0)]))
  r.add("s2.txt", Sheet(r, "s2"))
  run(v, t, "a count of 15 digits (10^15-1) is accepted", r, [], totals={})


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
