#!/usr/bin/env python3
"""Search as you type, per keystroke: latency of `fihris search --batch --as-you-type`.

    python3 Benchmarks/asyoutype/run.py --index DIR [--queries Benchmarks/queries/hadith.jsonl]
                                        [--fihris PATH] [--count 300] [--runs 2]

Each benchmark query of plain words (term, OR and AND classes, operators removed) is typed
letter by letter: every prefix of its last word after the earlier words, as a search box
sends them (`الصيام ر`, `الصيام رم`, ...). Reports p50 / p99 / max µs over all keystrokes and
by the length of the word being typed, the best of `--runs` passes (warm).
"""
import argparse, json, subprocess

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--index", required=True)
    ap.add_argument("--queries", default="Benchmarks/queries/hadith.jsonl")
    ap.add_argument("--fihris", default=".build/release/fihris")
    ap.add_argument("--count", type=int, default=300)
    ap.add_argument("--runs", type=int, default=2)
    a = ap.parse_args()
    lines = []
    for line in open(a.queries, encoding="utf-8"):
        q = json.loads(line)
        if q.get("class") not in ("term", "or", "and"): continue
        words = [w.lstrip("+") for w in q["q"].split()]
        if not words: continue
        *head, last = words
        for n in range(1, len(last) + 1):
            lines.append({"id": f"{len(lines)}:{n}", "q": " ".join(head + [last[:n]]), "limit": 10})
        if sum(1 for _ in lines) and len({l["id"].split(":")[0] for l in lines}) >= a.count * 6: break
    lines = lines[: a.count * 6]
    payload = "".join(json.dumps(l, ensure_ascii=False) + "\n" for l in lines)
    best = None
    for _ in range(a.runs):
        out = subprocess.run([a.fihris, "search", "--index", a.index, "--batch", "--as-you-type"], input=payload,
                             capture_output=True, text=True, check=True).stdout
        micros = [json.loads(l).get("micros", 0) for l in out.splitlines()]
        if best is None or sorted(micros)[len(micros) // 2] < sorted(best)[len(best) // 2]: best = micros
    def pct(v, q): v = sorted(v); return v[min(len(v) - 1, int(q * len(v)))]
    print(f"{len(best)} keystrokes: p50 {pct(best, .5)} µs, p99 {pct(best, .99)} µs, max {max(best)} µs")
    by = {}
    for l, m in zip(lines, best): by.setdefault(min(int(l["id"].split(":")[1]), 6), []).append(m)
    for n in sorted(by): print(f"  typed {n}{'+' if n == 6 else ''} letters: {len(by[n])} keystrokes, p50 {pct(by[n], .5)} µs, p99 {pct(by[n], .99)} µs")

main()
