#!/usr/bin/env python3
"""Conflation precision, recall and F1 of three Arabic stemmers on the labelled pairs.

    python3 Benchmarks/conflation/evaluate.py [--set pairs|heldout|heldout2|heldout3|heldout4] [--errors NAME]

pairs.tsv (400 pairs) is the set the Fihris stemmer was developed on; heldout.tsv (160
pairs) was drawn and labelled afterwards and never used for tuning.

A pair labelled `meet` is a true positive when the stemmer gives both words the same stem
(a false negative otherwise); a pair labelled `apart` is a false positive when it does.
Needs `swift build -c release` (for fihris) and `pip install PyStemmer` (for Snowball).
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from stemmers import stem_all  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def load_pairs(name):
    pairs = []
    with open(os.path.join(HERE, name + ".tsv"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            a, b, label, pool = line.rstrip("\n").split("\t")
            assert label in ("meet", "apart"), line
            pairs.append((a, b, label, pool))
    return pairs


def score(pairs, stems):
    tp = fp = fn = tn = 0
    for a, b, label, _ in pairs:
        same = stems[a] == stems[b]
        if label == "meet":
            tp, fn = tp + same, fn + (not same)
        else:
            fp, tn = fp + same, tn + (not same)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1, tp, fp, fn


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--errors", metavar="STEMMER", help="list the pairs this stemmer gets wrong")
    parser.add_argument("--set", default="pairs", choices=["pairs", "heldout", "heldout2", "heldout3", "heldout4"], help="which labelled set")
    args = parser.parse_args()
    pairs = load_pairs(args.set)
    words = sorted({w for a, b, _, _ in pairs for w in (a, b)})
    meet = sum(1 for p in pairs if p[2] == "meet")
    print(f"{args.set}.tsv: {len(pairs)} pairs ({meet} meet, {len(pairs) - meet} apart), {len(words)} distinct words\n")
    print("| stemmer | precision | recall | F1 | TP | FP | FN |")
    print("|---|---|---|---|---|---|---|")
    all_stems = {}
    for name in ["fihris", "light10", "snowball", "isri"]:
        stems = stem_all(name, words)
        all_stems[name] = stems
        p, r, f1, tp, fp, fn = score(pairs, stems)
        print(f"| {name} | {p:.3f} | {r:.3f} | {f1:.3f} | {tp} | {fp} | {fn} |")
    if args.errors:
        stems = all_stems[args.errors]
        print(f"\nPairs {args.errors} gets wrong:")
        for a, b, label, pool in pairs:
            same = stems[a] == stems[b]
            if same != (label == "meet"):
                print(f"  {label:5} {pool}  {a} -> {stems[a]}   {b} -> {stems[b]}")


if __name__ == "__main__":
    main()
