#!/usr/bin/env bash
# Same-run A/B of process-level runtime settings for AriaBot (issue 22): each variant runs the same in-process
# test (tests/AriaBot.Tests/Speed) in its own process, variants interleaved round by round, so load on a shared
# machine lands on all of them alike. Prints each run's figures with the load average. Needs a Debug build.
#   bench/process-settings-ab.sh memory   # ConversationFootprintTests: RSS / GC heap after N one-turn conversations
#   bench/process-settings-ab.sh turn     # TurnProfileTests: CPU µs and KB allocated per unsigned turn
# ROUNDS (default 2), and the tests' own ARIABOT_PERF_* settings, pass through. TEST_DLL runs a copy of the test
# build instead of tests/AriaBot.Tests (so the tree can be rebuilt while the runs go on).
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-memory}
rounds=${ROUNDS:-2}
case "$what" in
  memory)
    filter=ConversationFootprintTests
    export ARIABOT_PERF_CONVERSATIONS=${ARIABOT_PERF_CONVERSATIONS:-3000}
    # The bot ships with Server GC (the Web SDK's default), which in .NET 10 adapts its heap count (DATAS).
    variants=("server:DOTNET_gcServer=1" "server-conserve:DOTNET_gcServer=1 DOTNET_GCConserveMemory=5"
              "workstation:DOTNET_gcServer=0" ${MORE_VARIANTS:-}) ;;
  turn)
    filter=TurnProfileTests
    export ARIABOT_PERF_ROUNDS=${ARIABOT_PERF_ROUNDS:-20} ARIABOT_PERF_PER_ROUND=${ARIABOT_PERF_PER_ROUND:-20} ARIABOT_PERF_WARMUP=${ARIABOT_PERF_WARMUP:-20}
    variants=("server:DOTNET_gcServer=1" "workstation:DOTNET_gcServer=0"
              "server-no-spin:DOTNET_gcServer=1 DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0" ${MORE_VARIANTS:-}) ;;
  *) echo "usage: $0 memory|turn"; exit 2 ;;
esac
for round in $(seq 1 "$rounds"); do
  for variant in "${variants[@]}"; do
    name=${variant%%:*}
    out=$(mktemp)
    echo "== round $round, $name (${variant#*:}); load: $(cut -d' ' -f1-3 /proc/loadavg)"
    env ${variant#*:} ARIABOT_PERF_OUT="$out" dotnet test ${TEST_DLL:-tests/AriaBot.Tests -c Debug --no-build} --filter "FullyQualifiedName~$filter" >/dev/null 2>&1 \
      || echo "   (the test failed)"
    sed "s/^/   $name  /" "$out"
    rm -f "$out"
  done
done
