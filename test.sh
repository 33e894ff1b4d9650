#!/usr/bin/env bash
# Installs what the tests need on a fresh machine, runs every test, and ends with one plain line:
#   N passed, N failed
# Usage: ./test.sh            (everything)
#        ./test.sh --no-setup  (skip apt/npm installs when they are known to be present)
set -uo pipefail
cd "$(dirname "$0")"
root=$PWD
results="$root/artifacts/test-results"
rm -rf "$results"; mkdir -p "$results"

setup=1
[ "${1:-}" = "--no-setup" ] && setup=0

log() { printf '\n== %s\n' "$*"; }

if [ $setup = 1 ]; then
  # scripts/setup-test-deps.sh installs apt packages (Chromium, PostgreSQL) and npm packages when present.
  if [ -x scripts/setup-test-deps.sh ]; then
    log "installing test dependencies"
    scripts/setup-test-deps.sh || echo "setup-test-deps.sh failed; tests that need those parts will report it"
  fi
fi

# A throw-away PostgreSQL for the scale-out storage tests; stopped when the script ends.
if pg=$(scripts/postgres.sh start 2>"$results/postgres.err"); then
  export ARIABOT_TEST_POSTGRES="$pg"
  trap 'scripts/postgres.sh stop' EXIT
else
  echo "PostgreSQL could not start ($(cat "$results/postgres.err")); its tests will report that they were skipped"
fi

# The property-based fuzz suite (tests/AriaBot.Tests/Fuzz) runs its fixed-seed cases within this many seconds per ingress.
export ARIABOT_FUZZ_SECONDS=${ARIABOT_FUZZ_SECONDS:-45}

log "building"
build_ok=1
dotnet build AriaBot.sln -c Debug -nologo -v q || build_ok=0

run_dotnet_tests() {
  local proj name
  for proj in "$@"; do
    name=$(basename "$proj" .csproj)
    log "running $name"
    dotnet test "$proj" -c Debug --no-build -nologo \
      --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" --results-directory "$results"
  done
}

passed=0; failed=0
if [ $build_ok = 0 ]; then
  echo "build failed: counting it as one failed test"
  failed=$((failed + 1))
fi

# The Direct Line suite: the real botframework-directlinejs client (node) against tests/DirectLine.TestHost.
# Its TAP summary becomes $results/directline-js.counts; a missing node or npm install counts as a failure.
run_directline_js() {
  local counts="$results/directline-js.counts" tap="$results/directline-js.tap"
  log "running directline-js (node --test, botframework-directlinejs)"
  if ! command -v node >/dev/null 2>&1; then
    echo "node is not installed: the directline-js suite counts as failed"; echo "0 1" > "$counts"; return
  fi
  if [ ! -d tests/directline-js/node_modules/botframework-directlinejs ]; then
    echo "tests/directline-js has no node_modules (run scripts/setup-test-deps.sh): the suite counts as failed"; echo "0 1" > "$counts"; return
  fi
  if [ $build_ok = 0 ]; then
    echo "the build failed, so the test host is missing: the directline-js suite counts as failed"; echo "0 1" > "$counts"; return
  fi
  (cd tests/directline-js && node --test --test-concurrency=1 \
      --test-reporter=spec --test-reporter-destination=stdout \
      --test-reporter=tap --test-reporter-destination="$tap" test/*.test.js)
  local p f c
  p=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$tap" 2>/dev/null | tail -1)
  f=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$tap" 2>/dev/null | tail -1)
  c=$(sed -n 's/^# cancelled \([0-9]*\)$/\1/p' "$tap" 2>/dev/null | tail -1)
  if [ -z "$p" ] || [ $(( ${p:-0} + ${f:-0} + ${c:-0} )) -eq 0 ]; then
    echo "the directline-js suite reported no results: counting it as failed"; echo "0 1" > "$counts"; return
  fi
  echo "$p $(( ${f:-0} + ${c:-0} ))" > "$counts"
}

# The browser suite: the customer page in Debian's Chromium (playwright-core) against the real bot, src/AriaBot.
# Its TAP summary becomes $results/browser.counts; missing Chromium, node or npm packages count as a failure.
# Screenshots go to $results/screenshots/.
run_browser() {
  local counts="$results/browser.counts" tap="$results/browser.tap"
  log "running browser (node --test, playwright-core + Chromium)"
  if ! command -v node >/dev/null 2>&1; then
    echo "node is not installed: the browser suite counts as failed"; echo "0 1" > "$counts"; return
  fi
  if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
    echo "Chromium is not installed (apt-get install chromium; scripts/setup-test-deps.sh does it): the browser suite counts as failed"; echo "0 1" > "$counts"; return
  fi
  if [ ! -d tests/browser/node_modules/playwright-core ] || [ ! -d tests/browser/node_modules/axe-core ]; then
    echo "tests/browser has no node_modules (run scripts/setup-test-deps.sh): the browser suite counts as failed"; echo "0 1" > "$counts"; return
  fi
  if [ $build_ok = 0 ] || [ ! -f src/AriaBot/wwwroot/lib/webchat.js ]; then
    echo "the build failed (no bot or no Web Chat bundle): the browser suite counts as failed"; echo "0 1" > "$counts"; return
  fi
  (cd tests/browser && node --test --test-concurrency=1 \
      --test-reporter=spec --test-reporter-destination=stdout \
      --test-reporter=tap --test-reporter-destination="$tap" test/*.test.js)
  local p f c
  p=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$tap" 2>/dev/null | tail -1)
  f=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$tap" 2>/dev/null | tail -1)
  c=$(sed -n 's/^# cancelled \([0-9]*\)$/\1/p' "$tap" 2>/dev/null | tail -1)
  if [ -z "$p" ] || [ $(( ${p:-0} + ${f:-0} + ${c:-0} )) -eq 0 ]; then
    echo "the browser suite reported no results: counting it as failed"; echo "0 1" > "$counts"; return
  fi
  echo "$p $(( ${f:-0} + ${c:-0} ))" > "$counts"
}

# The largest project runs alone; then the node suites (mostly waiting on a browser and on bot start-ups) run in the
# background beside the smaller .NET projects, which keeps the whole run inside its time budget. Each suite has its
# own databases and ports; the node suites' output is shown after they end so the log stays readable.
if [ $build_ok = 1 ]; then
  run_dotnet_tests tests/AriaBot.Tests/AriaBot.Tests.csproj
  ( run_directline_js; run_browser ) > "$results/node-suites.log" 2>&1 &
  node_suites=$!
  run_dotnet_tests $(ls tests/*/*.Tests.csproj | grep -v '^tests/AriaBot.Tests/')
  wait $node_suites
  cat "$results/node-suites.log"
else
  run_directline_js; run_browser
fi

# Node test suites (Direct Line JS client, browser) write JUnit-ish counters into $results/*.counts
# as "passed failed" lines; the .NET runs are read from their TRX files.
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  e=$(sed -n 's/.* error="\([0-9]*\)".*/\1/p' <<<"$counters"); t=$(sed -n 's/.* timeout="\([0-9]*\)".*/\1/p' <<<"$counters")
  a=$(sed -n 's/.* aborted="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0} + ${e:-0} + ${t:-0} + ${a:-0}))
done
for c in "$results"/*.counts; do
  [ -e "$c" ] || continue
  read -r p f < "$c"
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done
# A test project that crashed before writing its TRX counts as a failure.
expected=$(ls tests/*/*.Tests.csproj 2>/dev/null | wc -l)
got=$(ls "$results"/*.trx 2>/dev/null | wc -l)
if [ $build_ok = 1 ] && [ "$got" -lt "$expected" ]; then
  echo "only $got of $expected test projects produced results"
  failed=$((failed + expected - got))
fi

echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
