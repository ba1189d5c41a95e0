#!/usr/bin/env bash
# Installs the Debian packages the tests need, idempotently: nothing is done when all are present,
# and `apt-get update` runs at most once.
set -euo pipefail
need=()
command -v python3 >/dev/null || need+=(python3)
command -v tmux >/dev/null || need+=(tmux)
# irssi drives the IRC door test, chromium the browser test, redis-server the cluster adapters' tests,
# postgresql the PostgreSQL history store's (test/storage/postgres.ts runs it as the `postgres` user).
# haproxy stands in front of several nodes in the cluster test (test/integration/haproxy.test.ts).
for extra in irssi chromium redis-server postgresql haproxy ${TOMADA_TEST_APT:-}; do dpkg -s "$extra" >/dev/null 2>&1 || need+=("$extra"); done
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "tests need these packages: ${need[*]} (run as root or install them)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}"
