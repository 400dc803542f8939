#!/usr/bin/env python3
"""Root accuracy on the hand-checked table Benchmarks/roots/roots.tsv: Fihris vs ISRI.

    swift build -c release && pip install nltk
    python3 Benchmarks/roots/evaluate.py [--table heldout.tsv] [--errors]

A word is right when the extracted root equals the table's (both folded: hamza ا, ى ي).
"lenient" also accepts a different spelling of a weak last radical (دعو / دعي: sources
disagree on those) and a word with no root counted as wrong either way. ISRI is nltk's
ISRIStemmer (Apache-2.0) on the diacritics-free word.
"""
import argparse, json, os, re, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def fold(s):
    s = re.sub("[\u064B-\u065F\u0670\u0640]", "", s)
    for a, b in (("أ", "ا"), ("إ", "ا"), ("آ", "ا"), ("ٱ", "ا"), ("ى", "ي"), ("ة", "ه"), ("ء", "ا"), ("ؤ", "ا"), ("ئ", "ا")):
        s = s.replace(a, b)
    return s


def lenient(a, b):
    if a is None or b is None:
        return False
    return a == b or (len(a) == len(b) == 3 and a[:2] == b[:2] and {a[2], b[2]} <= {"و", "ي"})


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--fihris", default=os.path.join(ROOT, ".build/release/fihris"))
    parser.add_argument("--errors", action="store_true")
    parser.add_argument("--table", default="roots.tsv", help="roots.tsv (development) or heldout.tsv (held out)")
    args = parser.parse_args()
    rows = [l.rstrip("\n").split("\t") for l in open(os.path.join(HERE, args.table), encoding="utf-8") if not l.startswith("#")]
    words = [r[0] for r in rows]
    out = subprocess.run([args.fihris, "analyze", "-", "--json", "--no-stop-words"], input="\n".join(words),
                         capture_output=True, text=True, check=True).stdout
    tokens = json.loads(out)
    assert len(tokens) == len(words), (len(tokens), len(words))
    fihris = [t.get("root") for t in tokens]
    from nltk.stem.isri import ISRIStemmer
    isri = ISRIStemmer()
    isris = [fold(isri.stem(w)) for w in words]
    for name, got in (("fihris", fihris), ("isri", isris)):
        strict = sum(1 for g, r in zip(got, rows) if g == r[1])
        loose = sum(1 for g, r in zip(got, rows) if lenient(g, r[1]))
        none = sum(1 for g in got if g is None)
        print(f"| {name} | {strict / len(rows):.3f} | {loose / len(rows):.3f} | {none} |")
    if args.errors:
        for w, g, r, i in zip(words, fihris, rows, isris):
            if not lenient(g, r[1]):
                print(f"  {w}: fihris {g}  expected {r[1]}  (isri {i})")


if __name__ == "__main__":
    sys.exit(main())
