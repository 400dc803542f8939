#!/usr/bin/env python3
"""Homographs typed with harakat: precision@10 of compatible documents.

    python3 corpus/fetch_hadith.py && swift build -c release
    python3 Benchmarks/harakat/evaluate.py [--fihris PATH] [--queries N]

The hadith corpus is fully vocalized, so the same folded word is written عَلِمَ (knew),
عَلَّمَ (taught), عِلْم (knowledge) ... A query word typed with harakat should find first the
documents that write it compatibly. This script is the brute-force reference: its own
reading of the marks (independent of Fihris's Swift code; Fihris's `analyze` is used only
for the folded form and the stem of each word) and its own compatibility rule, the one of
issue 12 — for every letter the query marks, the document's word has the same marks on
that letter (shadda + vowel as a set; a lone shadda asks only for the shadda; a lone sukun
also accepts a bare letter), letters left bare are wildcards; a word is compared on its
stem's letters, so عِلْم meets العِلْمِ.

Queries (seed 20261206): stems with at least two vocalizations of their letters (the last
letter's marks, the case ending, ignored), each written so in at least 3 documents:
- full: the stem with all its letters' marks but the last (how users type: عَلَّم);
- partial: the marks of the one letter where that vocalization differs from another;
- phrase: a two-word phrase of a document whose first word is typed with full marks.
Measured: P@10 = compatible documents in the top 10 / 10, and the ideal's (min(10,
compatible) / 10), for Fihris's default ranking, for the same query with the harakat
removed (folding only, what every engine does), and for `--vocalized` (strict), whose
match set must equal the reference's compatible set (word queries).
"""
import argparse
import collections
import json
import os
import random
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SEED = 20261206
FATHA, DAMMA, KASRA, SUKUN, SHADDA, TFATH, TDAMM, TKASR = 1, 2, 4, 8, 16, 32, 64, 128
MARK = {"\u064E": FATHA, "\u064F": DAMMA, "\u0650": KASRA, "\u0652": SUKUN, "\u0651": SHADDA,
        "\u064B": TFATH, "\u064C": TDAMM, "\u064D": TKASR}
CHAR = {v: k for k, v in MARK.items()}
LETTER = re.compile("[\u0621-\u063A\u0641-\u064A\u0671-\u06D3]")
IGNORED = re.compile("[\u0640\u0656-\u065F\u06D6-\u06E4\u06E8-\u06ED\u200C-\u200F\u202A-\u202E\u2066-\u2069]")


def marks_of(surface, letters):
    """One mark set per letter, normalized like issue 12 asks (لاَ → لَا, رَجُلاً → رَجُلًا)."""
    slots, bases = [], []
    for ch in surface:
        if ch in MARK:
            if slots:
                slots[-1] |= MARK[ch]
        elif LETTER.match(ch):
            slots.append(0)
            bases.append(ch)
        elif IGNORED.match(ch):
            continue
        else:
            return None
    if len(slots) != letters or not any(slots):
        return None
    for k in range(1, len(slots)):
        if bases[k] in "\u0627\u0671" and slots[k]:
            if bases[k - 1] == "\u0644" and slots[k - 1] == 0:
                slots[k - 1], slots[k] = slots[k], 0
            elif slots[k] == TFATH and not slots[k - 1] & (TFATH | TDAMM | TKASR):
                slots[k - 1] |= TFATH
                slots[k] = 0
    return slots


def compatible(q, d):
    if len(q) != len(d):
        return False
    for a, b in zip(q, d):
        if a == 0 or a == b or (a == SHADDA and b & SHADDA) or (a == SUKUN and b == 0):
            continue
        return False
    return True


def write(stem, marks):
    return "".join(ch + "".join(CHAR[bit] for bit in (SHADDA, FATHA, DAMMA, KASRA, SUKUN, TFATH, TDAMM, TKASR) if m & bit)
                   for ch, m in zip(stem, marks))


def analyze(binary, texts):
    out = subprocess.run([binary, "analyze", "-", "--json"], input="\n".join(texts),
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fihris", default=os.path.join(ROOT, ".build/release/fihris"))
    parser.add_argument("--corpus", default=os.path.join(ROOT, "data/hadith-full"))
    parser.add_argument("--queries", type=int, default=100, help="queries of each kind")
    args = parser.parse_args()
    rows = []
    for name in sorted(os.listdir(args.corpus)):
        if name.endswith(".jsonl"):
            with open(os.path.join(args.corpus, name), encoding="utf-8") as f:
                rows += [json.loads(line) for line in f]
    # Tokens of every document: (stem, stem marks or None, folded form).
    MARKER = "qqqqzz"
    docs = []
    batch = []
    def flush():
        tokens = analyze(args.fihris, [(" " + MARKER + " ").join(r["text"] for r in batch)])
        current = []
        for t in tokens:
            if t["normalized"] == MARKER:
                docs.append(current); current = []
                continue
            term, stem = t["normalized"], t["stem"]
            marks = marks_of(t["surface"], len(term))
            stem_marks = None
            if marks and stem and stem in term:
                i = term.index(stem)
                stem_marks = marks[i:i + len(stem)]
                if not any(stem_marks):
                    stem_marks = None
            current.append((stem, stem_marks, term))
        docs.append(current)
    for r in rows:
        batch.append(r)
        if len(batch) == 1000:
            flush(); batch = []
    if batch:
        flush()
    ids = [r["id"] for r in rows]
    assert len(docs) == len(ids), (len(docs), len(ids))

    # Vocalizations per stem (case ending ignored) → documents.
    by_stem = collections.defaultdict(lambda: collections.defaultdict(set))
    for d, tokens in enumerate(docs):
        for stem, m, _ in tokens:
            if m and len(stem) >= 3 and all(m[:-1]):
                by_stem[stem][tuple(m[:-1]) + (0,)].add(d)
    candidates = sorted(s for s, v in by_stem.items() if sum(1 for docs_ in v.values() if len(docs_) >= 3) >= 2)
    rng = random.Random(SEED)
    rng.shuffle(candidates)
    queries = []
    for stem in candidates[:args.queries]:
        variants = [k for k, v in by_stem[stem].items() if len(v) >= 3]
        full = list(rng.choice(variants))
        other = rng.choice([v for v in variants if list(v) != full])
        queries.append({"kind": "full", "stem": stem, "marks": full})
        diff = [i for i in range(len(stem)) if full[i] != other[i] and full[i]]
        if diff:
            i = rng.choice(diff)
            queries.append({"kind": "partial", "stem": stem, "marks": [full[j] if j == i else 0 for j in range(len(stem))]})
    # Phrases: a document's bigram whose first word has a full vocalization of its stem.
    order = list(range(len(docs)))
    rng.shuffle(order)
    phrases = 0
    for d in order:
        if phrases >= args.queries:
            break
        tokens = docs[d]
        for k in range(len(tokens) - 1):
            stem, m, term = tokens[k]
            if m and term == stem and len(stem) >= 3 and all(m[:-1]) and stem in candidates and len(tokens[k + 1][2]) >= 3:
                queries.append({"kind": "phrase", "stem": stem, "marks": list(m[:-1]) + [0], "next": tokens[k + 1][2]})
                phrases += 1
                break

    def compatible_docs(q):
        result = set()
        for d, tokens in enumerate(docs):
            for k, (stem, m, term) in enumerate(tokens):
                if stem == q["stem"] and m and compatible(q["marks"], m):
                    if q["kind"] != "phrase" or (term == q["stem"] and k + 1 < len(tokens) and tokens[k + 1][2] == q["next"]):
                        result.add(ids[d]); break
        return result

    for i, q in enumerate(queries):
        word = write(q["stem"], q["marks"])
        q["id"] = f"h-{i + 1}"
        q["q"] = f'"{word} {q["next"]}"' if q["kind"] == "phrase" else word
        q["bare"] = f'"{q["stem"]} {q["next"]}"' if q["kind"] == "phrase" else q["stem"]
        q["compatible"] = compatible_docs(q)

    with tempfile.TemporaryDirectory(prefix="fihris-harakat-") as tmp:
        index = os.path.join(tmp, "index")
        subprocess.run([args.fihris, "index", args.corpus, "--index", index, "--schema", os.path.join(ROOT, "corpus", "schema.json")],
                       check=True, stdout=subprocess.DEVNULL)
        def run(key, limit, strict=False):
            stdin = "".join(json.dumps({"id": q["id"], "q": q[key], "limit": limit}, ensure_ascii=False) + "\n" for q in queries)
            command = [args.fihris, "search", "--index", index, "--batch"] + (["--vocalized"] if strict else [])
            out = subprocess.run(command, input=stdin, capture_output=True, text=True, check=True).stdout
            return {r["id"]: [h["id"] for h in r.get("hits", [])] for r in map(json.loads, out.splitlines())}
        ranked, bare, strict = run("q", 10), run("bare", 10), run("q", 100000, strict=True)

    table = collections.defaultdict(lambda: collections.defaultdict(float))
    equal = {"full": [0, 0], "partial": [0, 0], "phrase": [0, 0]}
    for q in queries:
        ideal = min(10, len(q["compatible"])) / 10
        t = table[q["kind"]]
        t["n"] += 1
        t["ideal"] += ideal
        for name, results in (("fihris", ranked), ("bare", bare), ("strict", strict)):
            t[name] += sum(1 for h in results.get(q["id"], [])[:10] if h in q["compatible"]) / 10
        same = set(strict.get(q["id"], [])) == q["compatible"]
        equal[q["kind"]][0] += same
        if not same and os.environ.get("HARAKAT_DEBUG"):
            got = set(strict.get(q["id"], []))
            print(f"strict ≠ reference: {q['q']}: only Fihris {sorted(got - q['compatible'])[:5]}, only reference {sorted(q['compatible'] - got)[:5]}", file=sys.stderr)
        equal[q["kind"]][1] += 1
    print("| queries | n | ideal P@10 | Fihris (harakat rank first) | same query without harakat | Fihris --vocalized | Fihris / ideal | strict set = reference |")
    print("|---|---|---|---|---|---|---|---|")
    total = collections.defaultdict(float)
    for kind in ("full", "partial", "phrase"):
        t = table[kind]
        n = t["n"]
        if not n:
            continue
        for k in ("n", "ideal", "fihris", "bare", "strict"):
            total[k] += t[k]
        print(f"| {kind} | {int(n)} | {t['ideal'] / n:.3f} | {t['fihris'] / n:.3f} | {t['bare'] / n:.3f} | {t['strict'] / n:.3f} | "
              f"{t['fihris'] / t['ideal']:.3f} | {equal[kind][0]}/{equal[kind][1]} |")
    n = total["n"]
    print(f"| all | {int(n)} | {total['ideal'] / n:.3f} | {total['fihris'] / n:.3f} | {total['bare'] / n:.3f} | "
          f"{total['strict'] / n:.3f} | {total['fihris'] / total['ideal']:.3f} | |")


if __name__ == "__main__":
    main()
