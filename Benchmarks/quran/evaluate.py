#!/usr/bin/env python3
"""Modern spelling against Uthmani text: phrase recall and known-item MRR on the Qur'an.

    python3 corpus/fetch_quran.py && swift build -c release
    python3 Benchmarks/quran/evaluate.py [--fihris PATH] [--show N]

The Tanzil Uthmani text (data/quran/uthmani) and the Simple Clean text of the same verses
(data/quran/simple, modern imla'i spelling) are indexed with `fihris index`. Queries are
typed as a user types them: modern spelling, no diacritics, taken from the simple text of a
random verse (seed 20261205, deterministic):

- phrases: 300 runs of 2–4 consecutive words, searched as `"w1 w2 ..."`; the expected verses
  are those the same phrase finds in the simple index (the verse's own text in modern
  spelling is the reference). Reported: mean recall (expected verses found in the Uthmani
  index / expected), the share of phrases with every expected verse found, the share with
  none found, and mean precision;
- known items: 300 queries of 3 distinct words (≥ 3 letters) of a verse of ≥ 6 words, the
  hamza of each dropped with probability 0.5 (أإآ → ا), free-text OR, top 10: MRR@10 and
  S@10 of that verse, in the Uthmani index and, as the ceiling, in the simple index.
"""
import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
LETTERS = re.compile("[\u0621-\u064A]")
SEED = 20261205


def load(name):
    with open(os.path.join(ROOT, "data", "quran", name, "quran.jsonl"), encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def words(text):
    return [w for w in text.split() if LETTERS.search(w)]


def make_queries(simple):
    rng = random.Random(SEED)
    phrases, items = [], []
    candidates = [v for v in simple if len(words(v["text"])) >= 2]
    while len(phrases) < 300:
        v = rng.choice(candidates)
        ws = words(v["text"])
        n = rng.randint(2, min(4, len(ws)))
        start = rng.randint(0, len(ws) - n)
        phrases.append({"id": f"p-{len(phrases) + 1}", "q": '"' + " ".join(ws[start:start + n]) + '"', "verse": v["id"]})
    long_verses = [v for v in simple if len(set(w for w in words(v["text"]) if len(w) >= 3)) >= 6]
    while len(items) < 300:
        v = rng.choice(long_verses)
        pool = sorted(set(w for w in words(v["text"]) if len(w) >= 3))
        chosen = rng.sample(pool, 3)
        typed = [re.sub("[أإآ]", "ا", w) if rng.random() < 0.5 else w for w in chosen]
        items.append({"id": f"k-{len(items) + 1}", "q": " ".join(typed), "target": v["id"]})
    return phrases, items


def run(binary, corpus, queries, limit):
    with tempfile.TemporaryDirectory(prefix="fihris-quran-") as tmp:
        index = os.path.join(tmp, "index")
        subprocess.run([binary, "index", corpus, "--index", index], check=True, stdout=subprocess.DEVNULL)
        stdin = "".join(json.dumps({"id": q["id"], "q": q["q"], "limit": limit}, ensure_ascii=False) + "\n"
                        for q in queries)
        out = subprocess.run([binary, "search", "--index", index, "--batch"], input=stdin,
                             capture_output=True, text=True, check=True).stdout
    results = {}
    for line in out.splitlines():
        if line.strip():
            r = json.loads(line)
            results[r.get("id")] = [h["id"] for h in r.get("hits", [])]
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fihris", default=os.path.join(ROOT, ".build/release/fihris"))
    parser.add_argument("--show", type=int, default=0, help="print this many failed phrases")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    uthmani_dir = os.path.join(ROOT, "data", "quran", "uthmani")
    simple_dir = os.path.join(ROOT, "data", "quran", "simple")
    if not os.path.exists(uthmani_dir):
        sys.exit("data/quran is missing: run python3 corpus/fetch_quran.py")
    simple = load("simple")
    uthmani_text = {v["id"]: v["text"] for v in load("uthmani")}
    phrases, items = make_queries(simple)

    expected = run(args.fihris, simple_dir, phrases, 10000)
    found = run(args.fihris, uthmani_dir, phrases, 10000)
    recall = precision = complete = none = 0.0
    failures = []
    for q in phrases:
        e, f = set(expected.get(q["id"], [])), set(found.get(q["id"], []))
        if not e:
            e = {q["verse"]}
        hit = len(e & f)
        recall += hit / len(e)
        precision += hit / len(f) if f else 1.0
        complete += hit == len(e)
        none += hit == 0
        if hit < len(e):
            failures.append((q, sorted(e - f)))
    n = len(phrases)

    def known(results):
        rr = s10 = 0.0
        for q in items:
            hits = results.get(q["id"], [])[:10]
            if q["target"] in hits:
                rr += 1 / (hits.index(q["target"]) + 1)
                s10 += 1
        return rr / len(items), s10 / len(items)

    mrr_u, s10_u = known(run(args.fihris, uthmani_dir, items, 10))
    mrr_s, s10_s = known(run(args.fihris, simple_dir, items, 10))
    summary = {"phrase_recall": recall / n, "phrase_complete": complete / n, "phrase_none": none / n,
               "phrase_precision": precision / n, "known_mrr10_uthmani": mrr_u, "known_s10_uthmani": s10_u,
               "known_mrr10_simple": mrr_s, "known_s10_simple": s10_s}
    if args.json:
        print(json.dumps(summary))
        return
    print(f"| measure (300 queries each) | Uthmani index | simple index (ceiling) |")
    print(f"|---|---|---|")
    print(f"| phrase recall (mean) | {recall / n:.3f} | 1 |")
    print(f"| phrases with every expected verse | {complete / n:.3f} | 1 |")
    print(f"| phrases with no expected verse | {none / n:.3f} | 0 |")
    print(f"| phrase precision (mean) | {precision / n:.3f} | 1 |")
    print(f"| known-item MRR@10 | {mrr_u:.3f} | {mrr_s:.3f} |")
    print(f"| known-item S@10 | {s10_u:.3f} | {s10_s:.3f} |")
    for q, missed in failures[:args.show]:
        print(f"{q['id']} {q['q']}  missed {len(missed)}: {missed[0]}  {uthmani_text[missed[0]][:90]}")


if __name__ == "__main__":
    main()
