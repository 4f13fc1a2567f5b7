"""Conformance cases of RECORD.md v1.1 section 4 (framing, the sheets
directory) and text refusals of section 2."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import build  # noqa: E402,F401
from build import Key, Record, Sheet, DASH, b64  # noqa: E402,F401
from common import (case, run, base, two, CASES, SLOW,  # noqa: E402,F401
                    Skip)

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



@case
def unsigned_second_text_is_a_leaf(v, t):
  # only validly signed texts equivocate; an unsigned parseable text naming
  # the district is still a leaf of its tree (section 3)
  r = base()
  r.add("s1.txt", Sheet(r, "s1"))
  r.add("s1-forged.txt", Sheet(r, "s1", votes=[("yes", 29), ("no", 1)]),
        signers=[Key("st-s1", "forger")], counted=False)
  r.add("s2.txt", Sheet(r, "s2"))
  run(v, t, "an unsigned second text: SHEET_SIGNATURE, a leaf, no "
      "equivocation", r, [("SHEET_SIGNATURE", "d1", "s1", "sheets/s1-forged.txt")],
      totals={})


@case
def only_ignored_lines(v, t):
  r = base()
  two(r, s1_lines=[DASH + b"st-s1 AAAAAA==\n"], counted=False)
  run(v, t, "a sheet whose only line is malformed: ignored and unsigned", r,
      [("SIGLINE_IGNORED", "d1", "s1"), ("SHEET_SIGNATURE", "d1", "s1")],
      totals={})


@case
def manifest_unknown_key_line_silent(v, t):
  r = two(base())
  r.manifest_extra.append(Key("someone").line(b"x\n"))
  r.checkpoint_extra.append(Key("witness-x").line(b"y\n"))
  run(v, t, "unknown key lines on manifest and checkpoint: silent", r, [],
      totals={})


@case
def share_half_up(v, t):
  r = base(stations=(("s1", "d1", 100),))
  r.add("s1.txt", Sheet(r, "s1", votes=[("yes", 1), ("no", 7)],
                        invalid=0, blank=0, excluded=0))
  r.published = ["valid 8", "share yes 12.5", "share no 88",
                 "district d1 share yes 13", "district d1 share no 87.5"]
  run(v, t, "share half up: 1/8 is 12.5 and 13, 7/8 is 88", r, [],
      totals={})
  r.published = ["share yes 12"]
  run(v, t, "share half up: 1/8 is not 12", r,
      [("PUBLISHED_MISMATCH", None, None)], totals={})



@case
def witness_line_wrong_length(v, t):
  r = base(witnesses=("agent",))
  text = Sheet(r, "s1").text()
  w = r.witnesses[0]
  short = DASH + ("agent " + b64(w.kid + w.sig(text)[:63])).encode() + b"\n"
  two(r, s1_lines=[r.key_of("s1").line(text), short])
  run(v, t, "a witness line of 67 bytes is SIGLINE_IGNORED", r,
      [("SIGLINE_IGNORED", "d1", "s1")], totals={})


@case
def turnout_100(v, t):
  r = base(stations=(("s1", "d1", 30),))
  r.add("s1.txt", Sheet(r, "s1", votes=[("yes", 30), ("no", 0)],
                        invalid=0, blank=0, excluded=0))
  r.published = ["share yes 100.0000", "share no 0", "turnout 100.0"]
  run(v, t, "percents of 100.0000 and 0 reconcile", r, [], totals={})
