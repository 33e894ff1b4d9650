#!/usr/bin/env bash
# Installs what the tests need on a fresh Debian machine: PostgreSQL (scale-out storage tests) and
# Chromium (browser tests), node/npm when missing, then the npm packages of the node test suites (tests/*/package.json,
# e.g. tests/browser: playwright-core and axe-core). The page's own Web Chat bundle is installed by the build. Safe to run again.
set -uo pipefail
cd "$(dirname "$0")/.."

need=()
ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1 || need+=(postgresql)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
# node + npm: the node suites, and the build of src/AriaBot (it installs the Web Chat bundle with npm ci).
command -v npm >/dev/null 2>&1 || need+=(nodejs npm)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  echo "apt: installing ${need[*]}"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null \
    || echo "apt-get install ${need[*]} failed; the tests that need them will say so"
fi

for dir in tests/*/; do
  if [ -f "$dir/package.json" ]; then
    echo "npm: installing $dir"
    (cd "$dir" && if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --loglevel=error; else npm install --no-audit --no-fund --loglevel=error; fi) \
      || echo "npm install in $dir failed"
  fi
done
