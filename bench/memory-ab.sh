#!/usr/bin/env bash
# Same-run A/B of two AriaBot builds on memory state (issue 22, "memory <= 300 MB RSS after 10,000 conversations"):
# each round starts each build in turn beside one sandbox and measures, in the bot's own process (the bench probe),
#   rss   = resident set after RSS_CONVERSATIONS one-"hi" conversations at 16 users (bench/run.sh's rss-mb line), and
#   turn  = CPU ms and KB allocated per unsigned turn over /api/messages at V=16 (run.sh's memory/unsigned/messages),
# builds interleaved round by round so the load of a shared machine lands on both alike; the load is printed per run.
#   bench/memory-ab.sh /path/to/other/checkout      # A = that checkout's Release build, B = this tree's
# Both trees must have been built in Release (dotnet build src/AriaBot -c Release); this tree's bench projects are built
# here. ROUNDS (2), RSS_CONVERSATIONS (10000), SECONDS_PER_RUN (5), WARMUP_SECONDS (3) and the BENCH_*_PORT variables
# as in run.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
other=${1:?usage: $0 /path/to/the/other/checkout (built in Release)}
rounds=${ROUNDS:-2}
conversations=${RSS_CONVERSATIONS:-10000}
seconds=${SECONDS_PER_RUN:-5}
warmup=${WARMUP_SECONDS:-3}
port=${BENCH_PORT:-5180}
sandbox_port=${BENCH_SANDBOX_PORT:-5188}
work=$(mktemp -d)
probe="$work/probe.sock"
bot_pid=
sandbox_pid=
cleanup() {
  [ -z "$bot_pid" ] || { kill "$bot_pid" 2>/dev/null || true; wait "$bot_pid" 2>/dev/null || true; }
  [ -z "$sandbox_pid" ] || { kill "$sandbox_pid" 2>/dev/null || true; wait "$sandbox_pid" 2>/dev/null || true; }
  rm -rf "$work"
}
trap cleanup EXIT

for project in bench/AriaBot.Bench bench/AriaBot.Bench.Probe src/AriaSandbox.Host; do
  dotnet build "$project" -c Release -nologo -v q >"$work/build.log" 2>&1 || { tail -20 "$work/build.log"; exit 1; }
done
bench="dotnet $PWD/bench/AriaBot.Bench/bin/Release/net10.0/AriaBot.Bench.dll"
hook="$PWD/bench/AriaBot.Bench.Probe/bin/Release/net10.0/AriaBot.Bench.Probe.dll"
variants=("A:$(cd "$other" && pwd)" "B:$PWD")
for variant in "${variants[@]}"; do
  [ -f "${variant#*:}/src/AriaBot/bin/Release/net10.0/AriaBot.dll" ] || { echo "no Release build in ${variant#*:}"; exit 1; }
done

$bench seed --out "$work/seed.json" --accounts 600 >/dev/null
Aria__SeedFile="$work/seed.json" ASPNETCORE_ENVIRONMENT=Development ASPNETCORE_URLS="http://127.0.0.1:$sandbox_port" Logging__LogLevel__Default=Warning \
  dotnet "$PWD/src/AriaSandbox.Host/bin/Release/net10.0/AriaSandbox.Host.dll" --contentRoot "$PWD/src/AriaSandbox.Host" >"$work/sandbox.log" 2>&1 &
sandbox_pid=$!
for _ in $(seq 1 240); do curl -s -o /dev/null "http://127.0.0.1:$sandbox_port/" && break; sleep 0.25; done

# The bot as run.sh starts it (bot_env there), on memory state.
start_bot() {
  local tree=$1
  (
    export ASPNETCORE_ENVIRONMENT=Development ASPNETCORE_URLS="http://127.0.0.1:$port" State__Provider=Memory
    export Aria__UseSandbox=false Aria__BaseUrl="http://127.0.0.1:$sandbox_port/aria-sandbox" Aria__ClientNo=7000100 Aria__AuthKey=sandbox-demo-auth-key-7000100
    export Serilog__MinimumLevel__Default=Warning SignIn__PublicBaseUrl="http://127.0.0.1:$port"
    export DOTNET_STARTUP_HOOKS="$hook" BENCH_PROBE="$probe"
    exec dotnet "$tree/src/AriaBot/bin/Release/net10.0/AriaBot.dll" --contentRoot "$tree/src/AriaBot"
  ) >"$work/bot.log" 2>&1 &
  bot_pid=$!
  for _ in $(seq 1 480); do
    if curl -s -o /dev/null "http://127.0.0.1:$port/"; then
      curl -s --max-time 120 -o /dev/null -X POST "http://127.0.0.1:$port/api/messages" -H 'content-type: application/json' \
        -d '{"type":"message","id":"warm-1","channelId":"test","text":"hi","locale":"en-US","conversation":{"id":"ab-warm-up"},"from":{"id":"warm-up"},"recipient":{"id":"bot"},"deliveryMode":"expectReplies"}'
      return 0
    fi
    kill -0 "$bot_pid" 2>/dev/null || { echo "the bot did not start:"; tail -20 "$work/bot.log"; exit 1; }
    sleep 0.25
  done
  echo "the bot did not answer in 120 s"; exit 1
}
stop_bot() {
  kill "$bot_pid" 2>/dev/null || true; wait "$bot_pid" 2>/dev/null || true; bot_pid=; rm -f "$probe"
}

for round in $(seq 1 "$rounds"); do
  for variant in "${variants[@]}"; do
    name=${variant%%:*} tree=${variant#*:}
    echo "== round $round, $name ($tree); load: $(cut -d' ' -f1-3 /proc/loadavg)"
    start_bot "$tree"
    $bench aria --url "http://127.0.0.1:$port" --flow unsigned --ingress messages --users 16 --seconds "$seconds" --warmup "$warmup" \
      --label "$name/unsigned/messages" --results "$work/results.tsv" --pid "$bot_pid" --probe "$probe" | sed "s/^/   $name  /"
    stop_bot
    start_bot "$tree"
    $bench rss --url "http://127.0.0.1:$port" --pid "$bot_pid" --probe "$probe" --conversations "$conversations" --users 16 \
      --results "$work/results.tsv" | sed "s/^/   $name  /"
    stop_bot
  done
done
echo "== load after: $(cut -d' ' -f1-3 /proc/loadavg)"
