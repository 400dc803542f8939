#!/usr/bin/env bash
# Coverage-guided fuzzing (libFuzzer + AddressSanitizer) of the query parser and binder, the
# JSON-lines reader, the posting-chunk decoder and the readers of HTML, Markdown, CSV/TSV,
# PDF structured text and EPUB (FuzzIngest): Fuzz/ (a nested package).
#   scripts/fuzz.sh [seconds per fuzzer, default 600] [fuzzer ...]   (default: all three)
# Crash inputs are written to Fuzz/crashes/<fuzzer>/ (replay: build without FUZZING and pass
# the file). Exit status 1 when a fuzzer found a crash.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
shift || true
fuzzers=("$@")
[ ${#fuzzers[@]} -eq 0 ] && fuzzers=(FuzzQuery FuzzJSONLines FuzzPostings FuzzIngest)
flags=(-c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING -Xswiftc -parse-as-library
       -Xlinker --allow-multiple-definition)   # SwiftPM's main and libFuzzer's: either drives it
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/FuzzQuery" "$work/FuzzJSONLines" "$work/FuzzPostings" "$work/FuzzIngest"
# Seeds: the query examples of the README, lines of the sample corpus.
grep -oE "fihris search '[^']+'" README.md | sed "s/fihris search '//; s/'$//" | awk '{ print > "'"$work"'/FuzzQuery/seed" NR }'
head -n 20 corpus/hadith-sample.jsonl | awk '{ print > "'"$work"'/FuzzJSONLines/seed" NR }'
# Posting chunks of format 10 (2-byte chunk length, chunk, separate positions), taken from the
# hadith index: short ones (a keyword, an exact form with positions), long ones with impacts.
cp Fuzz/seeds/FuzzPostings/* "$work/FuzzPostings/"
# Ingest seeds: a kind byte, then a small file of that kind (Fuzz/seeds/FuzzIngest).
cp Fuzz/seeds/FuzzIngest/* "$work/FuzzIngest/"
status=0
for fuzzer in "${fuzzers[@]}"; do
  (cd Fuzz && swift build "${flags[@]}" --product "$fuzzer" 2>&1 | tail -1)
  mkdir -p "Fuzz/crashes/$fuzzer"
  echo "== $fuzzer for $seconds s"
  # (Swift's backtracer, started on a trap, hung under AddressSanitizer: libFuzzer reports.)
  if ! SWIFT_BACKTRACE=enable=no LSAN_OPTIONS="suppressions=$PWD/scripts/lsan-suppressions.txt" Fuzz/.build/release/"$fuzzer" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
       -artifact_prefix="Fuzz/crashes/$fuzzer/" "$work/$fuzzer" 2>&1 | grep -E "^#[0-9]+ +DONE|Done [0-9]+ runs|ERROR|SUMMARY|crash-|timeout-|oom-"; then
    :
  fi
  if ls "Fuzz/crashes/$fuzzer"/* >/dev/null 2>&1; then echo "$fuzzer: crash inputs in Fuzz/crashes/$fuzzer"; status=1; fi
done
exit $status
