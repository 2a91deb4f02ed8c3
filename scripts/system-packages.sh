#!/usr/bin/env bash
# Installs the system programs Greetline runs (Debian/Ubuntu packages), only those that are missing.
# ffmpeg: decoding and normalising greetings; espeak-ng: the offline speech engine;
# chromium: the browser the admin page's tests drive (Playwright uses it; it downloads no browser of its own);
# faketime: the tests that run a real process on another day (the retention run a month on).
# With --bench (`make bench`) also wrk: the load generator of the peak rows (bench/peak.py).
set -euo pipefail

declare -A PACKAGE_OF=([ffmpeg]=ffmpeg [ffprobe]=ffmpeg [espeak-ng]=espeak-ng [chromium]=chromium [faketime]=faketime)
[ "${1:-}" = "--bench" ] && PACKAGE_OF[wrk]=wrk
missing=()
for program in "${!PACKAGE_OF[@]}"; do
  command -v "$program" >/dev/null 2>&1 || missing+=("${PACKAGE_OF[$program]}")
done
[ "${#missing[@]}" -eq 0 ] && exit 0

packages=$(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')
echo "Installing system packages: $packages"
if ! command -v apt-get >/dev/null 2>&1; then
  echo "error: apt-get not found; install these packages with your system's package manager: $packages" >&2
  exit 1
fi
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -qq
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $packages >/dev/null
