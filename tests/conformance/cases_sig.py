"""Conformance cases of RECORD.md v1.1 section 1 (signature lines, key IDs)
and section 3 (key roles)."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import build  # noqa: E402,F401
from build import Key, Record, Sheet, DASH, b64  # noqa: E402,F401
from common import (case, run, base, two, CASES, SLOW,  # noqa: E402,F401
                    Skip)

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
def sigline_three_past_100th(v, t):
  # RECORD.md 1: "each gives one SIGLINE_IGNORED warning: ... a line past
  # the 100th" -- three lines past the 100th, three warnings
  r = base()
  text = Sheet(r, "s1").text()
  lines = [r.key_of("s1").line(text)] + \
      [Key("u%d" % i).line(text) for i in range(102)]
  two(r, s1_lines=lines)
  run(v, t, "three lines past the 100th: one warning each", r,
      [("SIGLINE_IGNORED", "d1", "s1")] * 3, totals={})


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
