#!/usr/bin/env bash
# The main job: install what is missing, build in release, index corpus/, run sample queries.
#   ./scripts/main.sh [INDEX_DIR]      (default: .fihris-index, ignored by git)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

swift build -c release --product fihris
fihris=".build/release/fihris"
index="${1:-.fihris-index}"

"$fihris" index corpus --index "$index" --schema corpus/schema.json --exclude README.md

for query in "عين الأسد" "إنما الأعمال بالنيات" "رسول الله صلى الله عليه وسلم" "الصلاة في المسجد" "قاعدة الأنبار" "=عَلَّمَ" ">>كتب"; do
    echo
    echo "== $query"
    "$fihris" search "$query" --index "$index" --limit 5
done
