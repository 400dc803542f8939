#!/usr/bin/env bash
# Installs the system libraries Fihris builds against (Debian/Ubuntu), when missing.
# Used by scripts/main.sh, scripts/test.sh and .ci/run.
set -euo pipefail

missing=()
pkg-config --exists lmdb 2>/dev/null || missing+=(liblmdb-dev)
pkg-config --exists icu-uc 2>/dev/null || missing+=(libicu-dev)
pkg-config --exists libzstd 2>/dev/null || missing+=(libzstd-dev)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
command -v python3 >/dev/null 2>&1 || missing+=(python3)

if ((${#missing[@]})); then
    echo "setup: installing ${missing[*]}"
    sudo=""
    if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq pkg-config "${missing[@]}" >/dev/null
fi

command -v swift >/dev/null 2>&1 || { echo "setup: swift is not on PATH (Swift 6.1 or newer is needed)" >&2; exit 1; }
