#!/usr/bin/env bash
# The browser tests drive Debian's chromium with Playwright (no downloaded browser) and read PDFs
# back with poppler-utils. Install them from Debian's packages when missing (needs root).
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
fc-list 2>/dev/null | grep -qi dejavu || need+=(fonts-dejavu-core)
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
echo "→ cài đặt ${need[*]} (apt-get)"
if [ "$(id -u)" -ne 0 ]; then
  echo "Cần quyền root để cài ${need[*]}: sudo apt-get install ${need[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq "${need[@]}" >/dev/null
