#!/usr/bin/env bash
# One-time setup on a fresh machine: Debian's Chromium (for the demo and the end-to-end tests),
# Debian's Firefox ESR (the Firefox build's end-to-end test),
# Debian's PostgreSQL (for the `centric sql` tests) and the npm dependencies. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
APT_UPDATED=""
apt_install() {
  if [ -z "$APT_UPDATED" ]; then
    $SUDO apt-get update -qq
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null
}
if [ ! -x /usr/bin/chromium ]; then
  echo "Installing Debian's chromium package…"
  apt_install chromium
fi
/usr/bin/chromium --version
# Debian's Firefox ESR: two end-to-end test files load the Firefox builds in it (tests/e2e/firefox*.e2e.ts).
if [ ! -x /usr/bin/firefox-esr ]; then
  echo "Installing Debian's firefox-esr package…"
  apt_install firefox-esr
fi
/usr/bin/firefox-esr --version
# The PostgreSQL server binaries only: the tests (tests/support/postgres.ts) start their own
# throw-away cluster on a Unix socket in a temporary directory; no system server needs to run.
if ! compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null; then
  echo "Installing Debian's postgresql package…"
  apt_install postgresql
fi
"$(ls -d /usr/lib/postgresql/*/bin/postgres | sort -V | tail -n 1)" --version
npm ci --no-audit --no-fund
