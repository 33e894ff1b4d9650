#!/usr/bin/env bash
# One command for the speed benchmark of issue 22 (see bench/README.md for what it measures and what it does not yet):
# recognition, the five-turn waterfall vs the JS peer (in-process and over HTTP) with the bare echo, then AriaBot itself.
#   bench/run.sh                 # all stores, V=16 and V=64, 20 s windows after a 5 s warm-up
#   SECONDS_PER_RUN=10 USERS="16" STORES="memory" bench/run.sh
#   STORES="postgres" BENCH_POSTGRES="$(scripts/postgres.sh start)" bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
users=${USERS:-"16 64"}
stores=${STORES:-"memory sqlite"}
# PARTS="peer" runs only the waterfall vs the JS peer and the echo; "aria" only AriaBot; default both.
parts=${PARTS:-"peer aria"}
seconds=${SECONDS_PER_RUN:-20}
warmup=${WARMUP_SECONDS:-5}
port=${BENCH_PORT:-5180}
work=$(mktemp -d)
bot_pid=
sandbox_pid=
sandbox_port=${BENCH_SANDBOX_PORT:-5188}

results="$work/results.tsv"
peer_port=${BENCH_PEER_PORT:-5191}

stop_bot() {
  if [ -n "$bot_pid" ]; then kill "$bot_pid" 2>/dev/null || true; wait "$bot_pid" 2>/dev/null || true; bot_pid=; fi
}
trap 'stop_bot; [ -z "$sandbox_pid" ] || kill "$sandbox_pid" 2>/dev/null || true; rm -rf "$work"' EXIT

# Starts a server (its pid in bot_pid, so stop_bot ends it) and waits until it answers on /.
serve() {
  local name=$1 url=$2; shift 2
  "$@" >"$work/$name.log" 2>&1 &
  bot_pid=$!
  for _ in $(seq 1 120); do
    curl -s -o /dev/null "$url/" && return 0
    kill -0 "$bot_pid" 2>/dev/null || { echo "$name did not start:"; tail -20 "$work/$name.log"; exit 1; }
    sleep 0.5
  done
  echo "$name did not answer in 60 s"; exit 1
}

echo "== build (Release)"
dotnet build src/AriaBot -c Release -nologo -v q | grep -E "error|rror\(s\)"
dotnet build src/AriaSandbox.Host -c Release -nologo -v q | grep -E "error|rror\(s\)"
dotnet build bench/AriaBot.Bench -c Release -nologo -v q | grep -E "error|rror\(s\)"
bench="dotnet bench/AriaBot.Bench/bin/Release/net10.0/AriaBot.Bench.dll"

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(dotnet --version)"
echo "== recognition micro-benchmark"
$bench recognition --seconds 5

if [[ " $parts " == *" peer "* ]]; then
echo "== the JS peer: botbuilder 4.23.3 + botbuilder-dialogs 4.23.3 + express (bench/js, installed apart from tests/browser)"
if [ ! -d bench/js/node_modules/botbuilder-dialogs ]; then
  # --ignore-scripts: botbuilder-dialogs' postinstall runs npx, which npm here refuses (toolchain.md §7).
  (cd bench/js && npm ci --ignore-scripts --prefer-offline --no-audit --no-fund >/dev/null)
fi
node -e "for (const p of ['botbuilder','botbuilder-dialogs']) console.log('   ', p, require('./bench/js/node_modules/' + p + '/package.json').version)"

echo "== in-process: the five-turn waterfall (hi, Ada, 3 seats, next friday, yes), our runtime vs botbuilder, each under its TestAdapter"
for c in 1 50; do
  $bench peer-inproc --concurrency "$c" --seconds "$seconds" --warmup "$warmup" --results "$results" || echo "   our runtime: errors (see above)"
  node bench/js/inproc.js --concurrency "$c" --seconds "$seconds" --warmup "$warmup" --results "$results" || echo "   botbuilder: errors (see above)"
done

echo "== over HTTP expectReplies: the waterfall on our runtime (memory state) vs botbuilder CloudAdapter behind express; a bare Kestrel echo"
for target in runtime js echo; do
  case "$target" in
    runtime) serve runtime "http://127.0.0.1:$peer_port" $bench serve-waterfall --port "$peer_port"; script=waterfall ;;
    js) serve js "http://127.0.0.1:$peer_port" node bench/js/server.js --port "$peer_port"; script=waterfall ;;
    echo) serve echo "http://127.0.0.1:$peer_port" $bench serve-echo --port "$peer_port"; script=echo ;;
  esac
  for v in $users; do
    $bench peer-http --url "http://127.0.0.1:$peer_port" --users "$v" --seconds "$seconds" --warmup "$warmup" --label "$target" --script "$script" --results "$results" \
      || { echo "   errors: see above; server log: $work/$target.log"; tail -5 "$work/$target.log"; }
  done
  stop_bot
done

echo "== ratios (same run)"
awk -F'\t' '{ rate[$1 "/" $2] = $3 }
  END {
    for (c = 1; c <= 50; c += 49) if (rate["js-inproc/" c] > 0) printf "   in-process C=%-3d our runtime / botbuilder  %6.1fx\n", c, rate["our-inproc/" c] / rate["js-inproc/" c]
    for (k in rate) if (k ~ /^runtime\//) { split(k, p, "/"); v = p[2]
      if (rate["js/" v] > 0) printf "   HTTP V=%-3d       our runtime / botbuilder  %6.1fx\n", v, rate[k] / rate["js/" v]
      if (rate["echo/" v] > 0) printf "   HTTP V=%-3d       our runtime / bare echo   %6.1f%%\n", v, 100 * rate[k] / rate["echo/" v] }
  }' "$results"

fi

if [[ " $parts " != *" aria "* ]]; then exit 0; fi

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
