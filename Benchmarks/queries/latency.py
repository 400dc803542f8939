#!/usr/bin/env python3
"""Runs a query set through `fihris search --batch` and prints p50/p90/p99 latency per class.

    python3 Benchmarks/queries/latency.py --index /tmp/full [--queries Benchmarks/queries/hadith.jsonl] [--runs 3]

Each query runs `--runs` times after one warm-up pass; latency is the batch mode's
`micros` (parsing + search, index open and warm), top 10.
"""
import argparse, collections, json, os, subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--index", required=True)
    parser.add_argument("--queries", default=os.path.join(ROOT, "Benchmarks/queries/hadith.jsonl"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--fihris", default=os.path.join(ROOT, ".build/release/fihris"))
    args = parser.parse_args()
    queries = [json.loads(l) for l in open(args.queries, encoding="utf-8")]
    batch = "".join(json.dumps({"id": q["id"], "q": q["q"], "limit": 10}, ensure_ascii=False) + "\n"
                    for _ in range(args.runs + 1) for q in queries)
    out = subprocess.run([args.fihris, "search", "--index", args.index, "--batch"], input=batch,
                         capture_output=True, text=True, check=True).stdout.splitlines()
    classes = {q["id"]: q["class"] for q in queries}
    micros = collections.defaultdict(list)
    errors = 0
    for i, line in enumerate(out):
        r = json.loads(line)
        if "error" in r:
            errors += 1
            continue
        if i < len(queries):
            continue  # warm-up pass
        micros[classes[r["id"]]].append(r["micros"])
    print(f"| class | queries | p50 µs | p90 µs | p99 µs |")
    print(f"|---|---|---|---|---|")
    for cls in ["term", "or", "and", "phrase", "filter", "prefix"]:
        v = micros.get(cls)
        if v:
            print(f"| {cls} | {len(v) // args.runs} | {percentile(v, 50)} | {percentile(v, 90)} | {percentile(v, 99)} |")
    if errors:
        print(f"\n{errors} queries failed")


if __name__ == "__main__":
    main()
