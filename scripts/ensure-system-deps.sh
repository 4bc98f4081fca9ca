#!/usr/bin/env bash
# Installs the Debian packages the test suite needs when they are missing:
# Chromium (console tests through Playwright), PostgreSQL 15 (the postgres.js path) and
# redis-server (shared rate-limit, budget and cache counters across instances).
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -x /usr/lib/postgresql/15/bin/initdb ] || need+=(postgresql)
command -v redis-server >/dev/null || need+=(redis-server)
[ ${#need[@]} -eq 0 ] && exit 0
echo "Installing system packages for the tests: ${need[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then SUDO="sudo"; else
    echo "Missing ${need[*]}; install them with: apt-get install -y ${need[*]}" >&2
    exit 1
  fi
fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
