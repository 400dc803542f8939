#!/usr/bin/env python3
"""Peak memory (RSS) of indexing and of the other commands, at default settings.

    python3 corpus/fetch_hadith.py --replicas 10 && swift build -c release
    python3 Benchmarks/memory/run.py [--replicas 10,30] [--fihris PATH] [--work DIR]

Issue 13 asks for indexing memory bounded whatever the corpus size (≤ 300 MB). The ×10
replica (data/hadith-x10, 172.6 MB of text in one file) is indexed as it is; larger
sizes are made from it with distinct ids (×30: 518.8 MB), into --work (default /tmp).
Each command runs once; its peak RSS is the kernel's (wait4's ru_maxrss).
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def run(command):
    started = time.time()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    stderr = process.stderr.read().decode()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(command)} failed: {stderr}")
    return time.time() - started, usage.ru_maxrss / 1024


def corpus(replicas, work):
    source = os.path.join(ROOT, "data/hadith-x10")
    if replicas == 10:
        return source
    folder = os.path.join(work, f"fihris-memory-x{replicas}")
    target = os.path.join(folder, "hadith.jsonl")
    if not os.path.exists(target):
        os.makedirs(folder, exist_ok=True)
        with open(target + ".part", "w", encoding="utf-8") as out:
            for k in range(replicas // 10):
                for line in open(os.path.join(source, "hadith.jsonl"), encoding="utf-8"):
                    record = json.loads(line)
                    record["id"] = f"{record['id']}~{k}"
                    out.write(json.dumps(record, ensure_ascii=False) + "\n")
        os.rename(target + ".part", target)
    return folder


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fihris", default=os.path.join(ROOT, ".build/release/fihris"))
    parser.add_argument("--replicas", default="10,30")
    parser.add_argument("--work", default="/tmp")
    args = parser.parse_args()
    schema = os.path.join(ROOT, "corpus/schema.json")
    print("| corpus | text | index (peak RSS) | index again, unchanged | optimize | check | search |")
    print("|---|---|---|---|---|---|---|")
    for replicas in map(int, args.replicas.split(",")):
        folder = corpus(replicas, args.work)
        size = sum(os.path.getsize(os.path.join(folder, f)) for f in os.listdir(folder)) / 1e6
        index = os.path.join(args.work, f"fihris-memory-index-x{replicas}")
        shutil.rmtree(index, ignore_errors=True)
        t, index_rss = run([args.fihris, "index", folder, "--index", index, "--schema", schema])
        t2, again_rss = run([args.fihris, "index", folder, "--index", index])
        t3, optimize_rss = run([args.fihris, "optimize", "--index", index])
        t4, check_rss = run([args.fihris, "check", "--index", index])
        t5, search_rss = run([args.fihris, "search", "الصلاة", "--index", index])
        print(f"| ×{replicas} | {size:.1f} MB | **{index_rss:.0f} MB** ({t:.1f} s) | {again_rss:.0f} MB ({t2:.1f} s) | "
              f"{optimize_rss:.0f} MB ({t3:.1f} s) | {check_rss:.0f} MB ({t4:.1f} s) | {search_rss:.0f} MB |")
        shutil.rmtree(index, ignore_errors=True)


if __name__ == "__main__":
    main()
