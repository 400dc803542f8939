#!/usr/bin/env python3
"""Typo tolerance and "did you mean", measured on misspellings made from the corpus.

    python3 Benchmarks/typos/run.py [--corpus data/hadith-full] [--index DIR] [--fihris PATH]
                                    [--count 500] [--seed 20261201] [--json]

Each query is 2 or 3 words of one document (its target): words of 3 letters or more found
in 2–500 documents (folded as the index folds them, `fihris analyze`), one of them of 5
letters or more misspelled by one random edit on its folded letters — a substitution, an
insertion, a deletion or a swap of two adjacent letters — that makes a word in no document
(a real-word error cannot be told from a word). Measured with `fihris search --batch`:

  S@10      the target among the first 10 hits: the query as written (correct), misspelled,
            misspelled with `--typos auto`; each as an OR query (default) and with --and;
  unchanged correctly spelled queries whose top 3 is the same with `--typos auto`;
  suggest   the misspelled word searched alone: the first "did you mean" candidate is the
            word before the edit (and: among the candidates);
  micros    p50 / p99 latency of the misspelled queries with and without typos.

Edits are made on the folded form, so a haraka, hamza seat or ة/ه is never an edit here.
"""
import argparse, json, os, random, subprocess, sys, tempfile

LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهويء"

def run(fihris, args, lines):
    out = subprocess.run([fihris] + args, input="".join(json.dumps(l, ensure_ascii=False) + "\n" for l in lines),
                         capture_output=True, text=True, check=True).stdout
    return [json.loads(l) for l in out.splitlines() if l.strip()]

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default="data/hadith-full")
    ap.add_argument("--index")
    ap.add_argument("--fihris", default=".build/release/fihris")
    ap.add_argument("--count", type=int, default=500)
    ap.add_argument("--seed", type=int, default=20261201)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--confusable", action="store_true", help="misspell by swapping a letter for one Arabic writers confuse with it (ض/ظ, ذ/ز, ث/س, ص/س, ط/ت, ذ/د, ظ/ز), in words that have one")
    a = ap.parse_args()
    index = a.index
    if not index:
        index = tempfile.mkdtemp(prefix="fihris-typos-")
        subprocess.run([a.fihris, "index", a.corpus, "--index", index, "--schema", "corpus/schema.json"], check=True, capture_output=True)
    docs = []
    for name in sorted(os.listdir(a.corpus)):
        if name.endswith(".jsonl"):
            for line in open(os.path.join(a.corpus, name), encoding="utf-8"):
                o = json.loads(line)
                docs.append((str(o["id"]), o.get("text", "")))
    rng = random.Random(a.seed)
    sample = rng.sample(docs, min(len(docs), a.count * 3))
    # Fold every word of the sample as the index does (one analyze run).
    text = "\n".join(t for _, t in sample)
    tokens = json.loads(subprocess.run([a.fihris, "analyze", "-", "--json", "--no-stop-words"], input=text, capture_output=True, text=True, check=True).stdout)
    # Split the tokens back into documents by their byte offsets.
    bounds, at = [], 0
    for _, t in sample:
        n = len(t.encode()); bounds.append((at, at + n)); at += n + 1
    per_doc = [[] for _ in sample]
    j = 0
    for tok in tokens:
        while j < len(bounds) and tok["start"] >= bounds[j][1]: j += 1
        if j < len(bounds): per_doc[j].append(tok["normalized"])
    df = {}
    for words in per_doc:
        for w in set(words): df[w] = df.get(w, 0) + 1
    # Document frequencies over the whole corpus decide "in no document": ask the index.
    vocab = sorted({w for words in per_doc for w in words if len(w) >= 3})
    cases = []
    for (doc_id, _), words in zip(sample, per_doc):
        if len(cases) >= a.count: break
        pool = [w for w in dict.fromkeys(words) if len(w) >= 3 and 2 <= df.get(w, 0) <= 500]
        long = [w for w in pool if len(w) >= 5]
        if len(pool) < 2 or not long: continue
        target = rng.choice(long)
        others = rng.sample([w for w in pool if w != target], min(len(pool) - 1, rng.choice([1, 2])))
        if a.confusable:
            pairs = {"ض": "ظ", "ظ": "ض", "ذ": "ز", "ز": "ذ", "ث": "س", "س": "ص", "ص": "س", "ط": "ت", "ت": "ط", "د": "ذ"}
            spots = [i for i, ch in enumerate(target) if ch in pairs]
            if not spots: continue
            i = rng.choice(spots); bad = target[:i] + pairs[target[i]] + target[i + 1:]
        for _ in range(0 if a.confusable else 20):
            i = rng.randrange(len(target)); op = rng.choice("sidt")
            if op == "s": bad = target[:i] + rng.choice(LETTERS.replace(target[i], "")) + target[i + 1:]
            elif op == "i": bad = target[:i] + rng.choice(LETTERS) + target[i:]
            elif op == "d": bad = target[:i] + target[i + 1:]
            else:
                if i + 1 >= len(target) or target[i] == target[i + 1]: continue
                bad = target[:i] + target[i + 1] + target[i] + target[i + 2:]
            if bad != target: break
        words_ok = others + [target]; rng.shuffle(words_ok)
        words_bad = [bad if w == target else w for w in words_ok]
        cases.append({"doc": doc_id, "target": target, "bad": bad, "good": " ".join(words_ok), "typo": " ".join(words_bad)})
    # Keep misspellings that are in no document (asked of the index: the word alone, --and).
    alone = run(a.fihris, ["search", "--index", index, "--batch", "--and"], [{"id": str(i), "q": c["bad"], "limit": 1} for i, c in enumerate(cases)])
    cases = [c for c, r in zip(cases, alone) if r.get("total", 1) == 0]
    def s10(args, key):
        res = run(a.fihris, ["search", "--index", index, "--batch"] + args, [{"id": str(i), "q": c[key], "limit": 10} for i, c in enumerate(cases)])
        hits = [[h["id"] for h in r.get("hits", [])] for r in res]
        micros = sorted(r.get("micros", 0) for r in res)
        return sum(c["doc"] in h for c, h in zip(cases, hits)) / max(1, len(cases)), hits, micros
    out = {"queries": len(cases)}
    for mode, extra in (("or", []), ("and", ["--and"])):
        good, good_hits, _ = s10(extra, "good")
        bad, _, bad_micros = s10(extra, "typo")
        fixed, _, fixed_micros = s10(extra + ["--typos", "auto"], "typo")
        good_auto, good_auto_hits, _ = s10(extra + ["--typos", "auto"], "good")
        unchanged = sum(x[:3] == y[:3] for x, y in zip(good_hits, good_auto_hits)) / max(1, len(cases))
        _, fixed_hits, _ = s10(extra + ["--typos", "auto"], "typo")
        found = [i for i, (c, h) in enumerate(zip(cases, good_hits)) if c["doc"] in h]
        recovered = sum(cases[i]["doc"] in fixed_hits[i] for i in found) / max(1, len(found))
        if os.environ.get("TYPOS_FAILURES"):
            for i in found:
                if cases[i]["doc"] not in fixed_hits[i]: print("MISS", mode, cases[i]["typo"], "|", cases[i]["good"], file=sys.stderr)
        p = lambda v, q: v[min(len(v) - 1, int(q * len(v)))] if v else 0
        out[mode] = {"S@10 correct": round(good, 3), "S@10 misspelled": round(bad, 3), "S@10 misspelled --typos auto": round(fixed, 3),
                     "recovered (target found by the correct query, found misspelled with --typos auto)": round(recovered, 3),
                     "top 3 unchanged (correct, --typos auto)": round(unchanged, 4),
                     "micros p50/p99 misspelled": [p(bad_micros, .5), p(bad_micros, .99)],
                     "micros p50/p99 misspelled --typos auto": [p(fixed_micros, .5), p(fixed_micros, .99)]}
    res = run(a.fihris, ["search", "--index", index, "--batch"], [{"id": str(i), "q": c["bad"], "limit": 10} for i, c in enumerate(cases)])
    first = among = 0
    for c, r in zip(cases, res):
        cands = [x for s in r.get("suggestions", []) for x in s["candidates"]]
        first += bool(cands) and cands[0] == c["target"]
        among += c["target"] in cands
    out["suggest"] = {"first": round(first / max(1, len(cases)), 3), "among": round(among / max(1, len(cases)), 3)}
    if a.json: print(json.dumps(out, ensure_ascii=False, indent=1))
    else:
        print(f"{len(cases)} misspelled queries (one {'confusable letter' if a.confusable else 'edit'} in a word of 5+ letters, now in no document)")
        for mode in ("or", "and"):
            print(mode.upper(), "  ".join(f"{k}: {v}" for k, v in out[mode].items()))
        print("suggestions: first", out["suggest"]["first"], "among", out["suggest"]["among"])

main()
