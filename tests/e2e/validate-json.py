#!/usr/bin/python3
"""validate-json.py SCHEMA FILE... — checks that each FILE holds exactly one
JSON object (one line, then a newline, as recount-verify --json prints it)
that the JSON Schema SCHEMA accepts. Prints one line per file that fails
and exits 1 if any does, 2 if it cannot run (no python3-jsonschema).
SCHEMA may refer to the other *.schema.json files of its directory by
their $id (diff.schema.json and receipt.schema.json use report.schema.json's
definitions); every one there is read, never fetched."""
import glob
import json
import os
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
    store = {}
    for other in glob.glob(os.path.join(os.path.dirname(
            os.path.abspath(sys.argv[1])), "*.schema.json")):
        with open(other, encoding="utf-8") as f:
            doc = json.load(f)
        if "$id" in doc:
            store[doc["$id"]] = doc
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    resolver = jsonschema.RefResolver.from_schema(schema, store=store)
    v = cls(schema, resolver=resolver)
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
