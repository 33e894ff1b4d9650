#!/usr/bin/env bash
# One command for the speed benchmark of issue 22 (see bench/README.md for what it measures and what it does not yet).
#   bench/run.sh                 # all stores, V=16 and V=64, 20 s windows after a 5 s warm-up
#   SECONDS_PER_RUN=10 USERS="16" STORES="memory" bench/run.sh
#   STORES="postgres" BENCH_POSTGRES="$(scripts/postgres.sh start)" bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
users=${USERS:-"16 64"}
stores=${STORES:-"memory sqlite"}
seconds=${SECONDS_PER_RUN:-20}
warmup=${WARMUP_SECONDS:-5}
port=${BENCH_PORT:-5180}
work=$(mktemp -d)
bot_pid=
sandbox_pid=
sandbox_port=${BENCH_SANDBOX_PORT:-5188}

stop_bot() {
  if [ -n "$bot_pid" ]; then kill "$bot_pid" 2>/dev/null || true; wait "$bot_pid" 2>/dev/null || true; bot_pid=; fi
}
trap 'stop_bot; [ -z "$sandbox_pid" ] || kill "$sandbox_pid" 2>/dev/null || true; rm -rf "$work"' EXIT

echo "== build (Release)"
dotnet build src/AriaBot -c Release -nologo -v q | grep -E "error|rror\(s\)"
dotnet build src/AriaSandbox.Host -c Release -nologo -v q | grep -E "error|rror\(s\)"
dotnet build bench/AriaBot.Bench -c Release -nologo -v q | grep -E "error|rror\(s\)"
bench="dotnet bench/AriaBot.Bench/bin/Release/net10.0/AriaBot.Bench.dll"

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(dotnet --version)"
echo "== recognition micro-benchmark"
$bench recognition --seconds 5

# A Release build has no in-process sandbox: the simulator runs on its own, as it would beside a real deployment.
ASPNETCORE_ENVIRONMENT=Development ASPNETCORE_URLS="http://127.0.0.1:$sandbox_port" Serilog__MinimumLevel__Default=Warning \
  dotnet "$PWD/src/AriaSandbox.Host/bin/Release/net10.0/AriaSandbox.Host.dll" --contentRoot "$PWD/src/AriaSandbox.Host" >"$work/sandbox.log" 2>&1 &
sandbox_pid=$!

for store in $stores; do
  case "$store" in
    memory) provider=Memory ;;
    sqlite) provider=Sqlite ;;
    postgres) provider=Postgres ;;
    *) echo "unknown store $store" >&2; exit 2 ;;
  esac
  echo "== AriaBot unsigned turns over /api/messages (expectReplies), state: $store"
  # Development against the sandbox host, as a local run; logs at Warning so the console is not measured.
  ASPNETCORE_ENVIRONMENT=Development ASPNETCORE_URLS="http://127.0.0.1:$port" \
  Aria__UseSandbox=false Aria__BaseUrl="http://127.0.0.1:$sandbox_port/aria-sandbox" Aria__ClientNo=7000100 Aria__AuthKey=sandbox-demo-auth-key-7000100 \
  State__Provider=$provider State__SqlitePath="$work/$store.db" State__PostgresConnectionString="${BENCH_POSTGRES:-}" \
  Serilog__MinimumLevel__Default=Warning \
    dotnet "$PWD/src/AriaBot/bin/Release/net10.0/AriaBot.dll" --contentRoot "$PWD/src/AriaBot" >"$work/bot-$store.log" 2>&1 &
  bot_pid=$!
  for _ in $(seq 1 120); do
    curl -s -o /dev/null "http://127.0.0.1:$port/" && break
    kill -0 "$bot_pid" 2>/dev/null || { echo "the bot did not start:"; tail -20 "$work/bot-$store.log"; exit 1; }
    sleep 0.5
  done
  for v in $users; do
    $bench http --url "http://127.0.0.1:$port" --users "$v" --seconds "$seconds" --warmup "$warmup" --label "$store" \
      || { echo "errors: see above; bot log: $work/bot-$store.log"; tail -20 "$work/bot-$store.log"; }
  done
  stop_bot
done
