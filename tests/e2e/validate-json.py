#!/usr/bin/python3
"""validate-json.py SCHEMA FILE... — checks that each FILE holds exactly one
JSON object (one line, then a newline, as recount-verify --json prints it)
that the JSON Schema SCHEMA accepts. Prints one line per file that fails
and exits 1 if any does, 2 if it cannot run (no python3-jsonschema)."""
import json
import sys

try:
    import jsonschema
except ImportError:
    print("validate-json: python3-jsonschema is not installed", file=sys.stderr)
    sys.exit(2)


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(sys.argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    v = cls(schema)
    bad = 0
    for path in sys.argv[2:]:
        with open(path, "rb") as f:
            raw = f.read()
        try:
            text = raw.decode("utf-8")
            if not text.endswith("\n") or "\n" in text[:-1]:
                raise ValueError("not one line ending in a newline")
            doc = json.loads(text)
        except ValueError as e:
            print("%s: not one JSON object: %s" % (path, e))
            bad += 1
            continue
        errs = sorted(v.iter_errors(doc), key=lambda e: list(e.absolute_path))
        for e in errs[:3]:
            where = "/".join(str(p) for p in e.absolute_path) or "(top)"
            print("%s: %s: %s" % (path, where, e.message[:300]))
        bad += bool(errs)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
