#!/usr/bin/env bash
# Installs the servers `npm run bench` compares against (Debian's ngircd and inspircd), idempotently:
# nothing is done when both are present, and `apt-get update` runs at most once. We never start them as
# system services: bench/run.ts runs each with its own config in a temporary folder, on loopback only.
set -euo pipefail
need=()
for pkg in ngircd inspircd util-linux; do dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg"); done
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "bench needs these packages: ${need[*]} (run as root or install them with apt-get)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# policy-rc.d 101: the packages' postinst must not start system-wide daemons on the default ports.
policy=/usr/sbin/policy-rc.d
created_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy"
  chmod +x "$policy"
  created_policy=1
fi
trap '[ "$created_policy" = 1 ] && rm -f "$policy"' EXIT
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}"
