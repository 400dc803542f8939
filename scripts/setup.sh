#!/usr/bin/env bash
# Installs the system libraries Fihris builds against (Debian/Ubuntu), when missing, and
# MuPDF's mutool, which reads PDF files. With --tests, also what the tests need to make
# real files: LibreOffice Writer (headless) and an Arabic font, to write an Arabic PDF.
# Used by scripts/main.sh, scripts/test.sh and .ci/run.
set -euo pipefail

missing=()
pkg-config --exists lmdb 2>/dev/null || missing+=(liblmdb-dev)
pkg-config --exists icu-uc 2>/dev/null || missing+=(libicu-dev)
pkg-config --exists libzstd 2>/dev/null || missing+=(libzstd-dev)
pkg-config --exists libxml-2.0 2>/dev/null || missing+=(libxml2-dev)
command -v mutool >/dev/null 2>&1 || missing+=(mupdf-tools)
if [ "${1:-}" = "--tests" ]; then
    command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-writer-nogui)
    fc-list 2>/dev/null | grep -qi "kacst\|noto.*arab\|amiri" || missing+=(fonts-kacst)
fi
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
command -v python3 >/dev/null 2>&1 || missing+=(python3)

if ((${#missing[@]})); then
    echo "setup: installing ${missing[*]}"
    sudo=""
    if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends pkg-config "${missing[@]}" >/dev/null
fi

command -v swift >/dev/null 2>&1 || { echo "setup: swift is not on PATH (Swift 6.1 or newer is needed)" >&2; exit 1; }
