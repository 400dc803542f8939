#!/usr/bin/env python3
"""The long corruption suite (the short one is Tests/CLITests/CorruptionTests.swift).

    swift build -c release
    python3 scripts/corruption_suite.py --index IDX [--copies 60] [--seed 1]

Makes damaged copies of the index IDX (truncated, a 4 KB page zeroed, one bit flipped,
64 random bytes written, a page of random bytes — in turn, at random places), runs every
reading command on each (check, stats, two searches, export; `index` of an empty folder
into it, which must refuse a damaged index), and tabulates the outcomes: clean error (exit
1 with a message), still correct (exit 0, same output as the undamaged index), crash (a
signal), hang (over 60 s), silent corruption (exit 0, other output). The goal is 0 crashes,
0 hangs, 0 silent corruptions.
"""
import argparse, collections, os, random, re, shutil, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COMMANDS = [["check"], ["stats"], ["search", "حدثنا", "--limit", "50"], ["search", '"عن ابن"', "--limit", "50"], ["export"]]


def run(fihris, command, index):
    try:
        r = subprocess.run([fihris, command[0], "--index", index] + command[1:], capture_output=True, timeout=60)
    except subprocess.TimeoutExpired:
        return "hang", b"", b""
    return r.returncode, r.stdout, r.stderr


def normalized(out, path):
    out = out.decode("utf-8", "replace").replace(path, "IDX")
    return re.sub(r"\([0-9.]+ ms\)", "(time)", out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--index", required=True)
    ap.add_argument("--copies", type=int, default=60)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--fihris", default=os.path.join(ROOT, ".build/release/fihris"))
    args = ap.parse_args()
    rng = random.Random(args.seed)
    data = open(os.path.join(args.index, "data.mdb"), "rb").read()
    pages = len(data) // 4096
    expected = {}
    for c in COMMANDS:
        rc, out, err = run(args.fihris, c, args.index)
        assert rc == 0, (c, err)
        expected[tuple(c)] = normalized(out, args.index)
    table = collections.Counter()
    bad = []
    work = tempfile.mkdtemp(prefix="fihris-corrupt-")
    empty = os.path.join(work, "empty")
    os.makedirs(empty)
    try:
        for k in range(args.copies):
            kind = ["truncate", "zero", "flip", "random64", "randompage"][k % 5]
            d = bytearray(data)
            if kind == "truncate":
                cut = rng.randrange(4096, len(d))
                d = d[:cut]; what = f"truncate to {cut}"
            elif kind == "zero":
                p = rng.randrange(2, pages); d[p * 4096:(p + 1) * 4096] = bytes(4096); what = f"zero page {p}"
            elif kind == "flip":
                at = rng.randrange(8192, len(d)); bit = 1 << rng.randrange(8); d[at] ^= bit; what = f"flip bit {bit} at {at}"
            elif kind == "random64":
                at = rng.randrange(8192, len(d) - 64); d[at:at + 64] = bytes(rng.randrange(256) for _ in range(64)); what = f"64 random bytes at {at}"
            else:
                p = rng.randrange(2, pages); d[p * 4096:(p + 1) * 4096] = bytes(rng.randrange(256) for _ in range(4096)); what = f"random page {p}"
            copy = os.path.join(work, "copy")
            shutil.rmtree(copy, ignore_errors=True)
            os.makedirs(copy)
            open(os.path.join(copy, "data.mdb"), "wb").write(d)
            for c in COMMANDS + [["index", empty]]:
                if c[0] == "index":
                    try:
                        r = subprocess.run([args.fihris, "index", empty, "--index", copy], capture_output=True, timeout=60)
                        rc, out, err = r.returncode, r.stdout, r.stderr
                    except subprocess.TimeoutExpired:
                        rc, out, err = "hang", b"", b""
                else:
                    rc, out, err = run(args.fihris, c, copy)
                if rc == "hang":
                    outcome = "hang"
                elif rc < 0:
                    outcome = "crash"
                elif rc == 0:
                    if c[0] == "index":
                        outcome = "still correct" if subprocess.run([args.fihris, "check", "--index", copy], capture_output=True).returncode == 0 else "silent corruption"
                    else:
                        outcome = "still correct" if normalized(out, copy) == expected[tuple(c)] else "silent corruption"
                else:
                    outcome = "clean error" if b"error" in err else "unclear"
                table[(c[0], outcome)] += 1
                if outcome not in ("clean error", "still correct"):
                    bad.append((what, " ".join(c), outcome, err[-300:].decode("utf-8", "replace")))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    outcomes = ["clean error", "still correct", "crash", "hang", "silent corruption", "unclear"]
    print(f"{args.copies} damaged copies of {args.index} ({len(data)} bytes), seed {args.seed}")
    print("| command | " + " | ".join(outcomes) + " |")
    print("|---|" + "---|" * len(outcomes))
    for name in [c[0] if c[0] != "search" else "search" for c in COMMANDS + [["index"]]]:
        pass
    for name in ["check", "stats", "search", "export", "index"]:
        print(f"| {name} | " + " | ".join(str(table[(name, o)]) for o in outcomes) + " |")
    for b in bad[:20]:
        print("  BAD:", *b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
