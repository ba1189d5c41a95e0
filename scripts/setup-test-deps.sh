#!/usr/bin/env bash
# Installs the Debian packages the tests need, idempotently: nothing is done when all are present,
# and `apt-get update` runs at most once.
set -euo pipefail
need=()
command -v python3 >/dev/null || need+=(python3)
command -v tmux >/dev/null || need+=(tmux)
# Added by later features: irssi (IRC door), chromium (web door).
for extra in ${TOMADA_TEST_APT:-}; do dpkg -s "$extra" >/dev/null 2>&1 || need+=("$extra"); done
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "tests need these packages: ${need[*]} (run as root or install them)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}"
