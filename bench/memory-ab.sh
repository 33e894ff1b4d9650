#!/usr/bin/env bash
# Same-run A/B of AriaBot builds or runtime settings on memory state (issue 22, "memory <= 300 MB RSS after 10,000
# conversations"): each round starts each variant in turn beside one sandbox and measures, in the bot's own process
# (the bench probe),
#   rss   = resident set after RSS_CONVERSATIONS one-"hi" conversations at 16 users (bench/run.sh's rss-mb line), with
#           the probe's report of where it is (GC live / GC free / native / code), and
#   turn  = CPU ms and KB allocated per unsigned turn over /api/messages at V=16 (run.sh's memory/unsigned/messages),
# variants interleaved round by round so the load of a shared machine lands on all alike; the load is printed per run.
#   bench/memory-ab.sh /path/to/other/checkout      # A = that checkout's Release build, B = this tree's
#   bench/memory-ab.sh base=. gen0=.,System.GC.Gen0MaxBudget=16777216 wxor=.,DOTNET_EnableWriteXorExecute=0
#       # NAME=TREE[,SETTING...]: a System.* setting goes into a copy of the build's runtimeconfig.json (as a
#       # RuntimeHostConfigurationOption would), a DOTNET_* one into the environment
# Every tree must have been built in Release (dotnet build src/AriaBot -c Release); this tree's bench projects are built
# here. ROUNDS (2), RSS_CONVERSATIONS (10000), SECONDS_PER_RUN (5), WARMUP_SECONDS (3), TURNS (1; 0 = rss only) and the
# BENCH_*_PORT variables as in run.sh.
# KEEP_RESULTS=<dir>: the per-run results (*.tsv) are copied there when the script ends; otherwise they go with its work folder.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
[ $# -gt 0 ] || { echo "usage: $0 /path/to/the/other/checkout | NAME=TREE[,SETTING...] ..."; exit 2; }
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
  bench_remove_work "$work"
}
trap cleanup EXIT

for project in bench/AriaBot.Bench bench/AriaBot.Bench.Probe src/AriaSandbox.Host; do
  dotnet build "$project" -c Release -nologo -v q >"$work/build.log" 2>&1 || { tail -20 "$work/build.log"; exit 1; }
done
bench="dotnet $PWD/bench/AriaBot.Bench/bin/Release/net10.0/AriaBot.Bench.dll"
hook="$PWD/bench/AriaBot.Bench.Probe/bin/Release/net10.0/AriaBot.Bench.Probe.dll"
if [[ $# -eq 1 && "$1" != *=* ]]; then set -- "A=$1" "B=$PWD"; fi
# Per variant: its name, the tree (content root), the folder its AriaBot.dll runs from, and its DOTNET_* settings.
names=(); trees=(); bins=(); envs=()
for spec in "$@"; do
  name=${spec%%=*} rest=${spec#*=}
  IFS=, read -r -a parts <<<"$rest"
  tree=$(cd "${parts[0]}" && pwd) bin="$tree/src/AriaBot/bin/Release/net10.0" env=""
  [ -f "$bin/AriaBot.dll" ] || { echo "no Release build in $tree"; exit 1; }
  props=()
  for setting in "${parts[@]:1}"; do
    case "$setting" in DOTNET_*) env="$env $setting" ;; *) props+=("$setting") ;; esac
  done
  if [ ${#props[@]} -gt 0 ]; then
    # A copy of the build whose runtimeconfig.json carries the settings: what the csproj option would ship.
    cp -r "$bin" "$work/bin-$name" && bin="$work/bin-$name"
    python3 - "$bin/AriaBot.runtimeconfig.json" "${props[@]}" <<'PY'
import json, sys
path = sys.argv[1]
config = json.load(open(path))
props = config["runtimeOptions"].setdefault("configProperties", {})
for setting in sys.argv[2:]:
    key, value = setting.split("=", 1)
    props[key] = True if value == "true" else False if value == "false" else int(value) if value.lstrip("-").isdigit() else value
json.dump(config, open(path, "w"), indent=2)
PY
  fi
  names+=("$name"); trees+=("$tree"); bins+=("$bin"); envs+=("$env")
done

$bench seed --out "$work/seed.json" --accounts 600 >/dev/null
Aria__SeedFile="$work/seed.json" ASPNETCORE_ENVIRONMENT=Development ASPNETCORE_URLS="http://127.0.0.1:$sandbox_port" Logging__LogLevel__Default=Warning \
  dotnet "$PWD/src/AriaSandbox.Host/bin/Release/net10.0/AriaSandbox.Host.dll" --contentRoot "$PWD/src/AriaSandbox.Host" >"$work/sandbox.log" 2>&1 &
sandbox_pid=$!
for _ in $(seq 1 240); do curl -s -o /dev/null "http://127.0.0.1:$sandbox_port/" && break; sleep 0.25; done

# The bot as run.sh starts it (bot_env there), on memory state.
start_bot() {
  local tree=$1 bin=$2 env=$3
  (
    export ASPNETCORE_ENVIRONMENT=Development ASPNETCORE_URLS="http://127.0.0.1:$port" State__Provider=Memory
    export Aria__UseSandbox=false Aria__BaseUrl="http://127.0.0.1:$sandbox_port/aria-sandbox" Aria__ClientNo=7000100 Aria__AuthKey=sandbox-demo-auth-key-7000100
    export Serilog__MinimumLevel__Default=Warning SignIn__PublicBaseUrl="http://127.0.0.1:$port"
    export DOTNET_STARTUP_HOOKS="$hook" BENCH_PROBE="$probe"
    [ -z "$env" ] || export $env
    exec dotnet "$bin/AriaBot.dll" --contentRoot "$tree/src/AriaBot"
  ) >"$work/bot.log" 2>&1 &
  bot_pid=$!
  bench_wait_bot "$work/bot.log" 480
}
stop_bot() {
  kill "$bot_pid" 2>/dev/null || true; wait "$bot_pid" 2>/dev/null || true; bot_pid=; rm -f "$probe"
}

for round in $(seq 1 "$rounds"); do
  for i in "${!names[@]}"; do
    name=${names[$i]}
    echo "== round $round, $name (${trees[$i]}${envs[$i]}; $(basename "${bins[$i]}")); load: $(cut -d' ' -f1-3 /proc/loadavg)"
    if [ "${TURNS:-1}" != 0 ]; then
      start_bot "${trees[$i]}" "${bins[$i]}" "${envs[$i]}"
      $bench aria --url "http://127.0.0.1:$port" --flow unsigned --ingress messages --users 16 --seconds "$seconds" --warmup "$warmup" \
        --label "$name/unsigned/messages" --results "$work/results.tsv" --pid "$bot_pid" --probe "$probe" | sed "s/^/   $name  /"
      stop_bot
    fi
    start_bot "${trees[$i]}" "${bins[$i]}" "${envs[$i]}"
    $bench rss --url "http://127.0.0.1:$port" --pid "$bot_pid" --probe "$probe" --conversations "$conversations" --users 16 \
      --results "$work/results.tsv" | sed "s/^/   $name  /"
    stop_bot
  done
done
echo "== load after: $(cut -d' ' -f1-3 /proc/loadavg)"
