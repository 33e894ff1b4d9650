#!/usr/bin/env bash
# Same-run A/B of AriaBot's own turn (issue 22) between another checkout (BASE, default: branch main exported with
# git archive) and this one: both bots built in Release and run as run.sh runs them (Development, logs at Warning,
# memory state by default, the sandbox beside them), alternately, round by round, against the same load generator
# (this checkout's), so the shared machine's load falls on both alike.
#   bench/aria-ab.sh                                      # unsigned turns over /api/messages, V=16, memory, 3 rounds
#   FLOW=unsigned INGRESS=directline USERS=16 ROUNDS=4 STORE=Sqlite bench/aria-ab.sh
#   BASE=/path/to/checkout SKIP_BUILD=1 bench/aria-ab.sh     # SKIP_BUILD: both trees are already built in Release
# Prints every measurement (turns/s, p95, the bot's CPU ms and KB allocated per turn) with the load average, then the
# mean per variant. Each bot: one answered "hi", a warm-up run of WARMUP_SECONDS, then the measured SECONDS_PER_RUN.
# Ports: BENCH_PORT (the bot), BENCH_SANDBOX_PORT (the sandbox).
set -euo pipefail
cd "$(dirname "$0")/.."
flow=${FLOW:-unsigned}
ingress=${INGRESS:-messages}
users=${USERS:-16}
rounds=${ROUNDS:-3}
seconds=${SECONDS_PER_RUN:-10}
warmup=${WARMUP_SECONDS:-5}
store=${STORE:-Memory}
port=${BENCH_PORT:-5180}
sandbox_port=${BENCH_SANDBOX_PORT:-5188}
work=$(mktemp -d)
results="$work/results.tsv"
probe="$work/probe.sock"
secret="bench-direct-line-secret-$RANDOM$RANDOM"
bot_pid=
sandbox_pid=
cleanup() {
  [ -z "$bot_pid" ] || { kill "$bot_pid" 2>/dev/null || true; wait "$bot_pid" 2>/dev/null || true; }
  [ -z "$sandbox_pid" ] || { kill "$sandbox_pid" 2>/dev/null || true; wait "$sandbox_pid" 2>/dev/null || true; }
  rm -rf "$work"
}
trap cleanup EXIT

base=${BASE:-}
if [ -z "$base" ]; then
  base="$work/base"
  mkdir -p "$base"
  git archive main | tar -x -C "$base"
fi
if [ -z "${SKIP_BUILD:-}" ]; then
  for tree in "$base" "$PWD"; do
    echo "== build (Release) in $tree"
    (cd "$tree" && for project in src/AriaBot src/AriaSandbox.Host bench/AriaBot.Bench bench/AriaBot.Bench.Probe; do
       dotnet build "$project" -c Release -nologo -v q >"$work/build.log" 2>&1 || { grep -E "error" "$work/build.log" | sort -u | head; exit 1; }
     done)
  done
fi
driver="dotnet $PWD/bench/AriaBot.Bench/bin/Release/net10.0/AriaBot.Bench.dll"

$driver seed --out "$work/seed.json" --accounts $((users * rounds * 2 + 16)) >/dev/null
Aria__SeedFile="$work/seed.json" ASPNETCORE_ENVIRONMENT=Development ASPNETCORE_URLS="http://127.0.0.1:$sandbox_port" \
Logging__LogLevel__Default=Warning \
  dotnet "$PWD/src/AriaSandbox.Host/bin/Release/net10.0/AriaSandbox.Host.dll" --contentRoot "$PWD/src/AriaSandbox.Host" >"$work/sandbox.log" 2>&1 &
sandbox_pid=$!
for _ in $(seq 1 720); do curl -s -o /dev/null "http://127.0.0.1:$sandbox_port/" && break; sleep 0.25; done

echo "== load before: $(cut -d' ' -f1-3 /proc/loadavg)"
account=0
for round in $(seq 1 "$rounds"); do
  for variant in base this; do
    [ "$variant" = base ] && tree=$base || tree=$PWD
    (
      # As run.sh's bot_env: the bench's users share one address, so its rate limits are raised.
      export ASPNETCORE_ENVIRONMENT=Development ASPNETCORE_URLS="http://127.0.0.1:$port" State__Provider="$store" State__SqlitePath="$work/$variant-$round.db"
      export Aria__UseSandbox=false Aria__BaseUrl="http://127.0.0.1:$sandbox_port/aria-sandbox" Aria__ClientNo=7000100 Aria__AuthKey=sandbox-demo-auth-key-7000100
      export Serilog__MinimumLevel__Default=Warning DirectLine__Secrets__0="$secret" SignIn__PublicBaseUrl="http://127.0.0.1:$port"
      export SignIn__RateLimits__PostsPerIp=100000 SignIn__RateLimits__LinksPerConversation=1000 SignIn__RateLimits__CodeEntriesPerConversation=1000
      export DirectLine__MaxPostsPerWindow=100000 DirectLine__MaxReadsPerWindow=100000 SelfService__AllowPrepayment=true
      export DOTNET_STARTUP_HOOKS="$tree/bench/AriaBot.Bench.Probe/bin/Release/net10.0/AriaBot.Bench.Probe.dll" BENCH_PROBE="$probe"
      exec dotnet "$tree/src/AriaBot/bin/Release/net10.0/AriaBot.dll" --contentRoot "$tree/src/AriaBot"
    ) >"$work/bot.log" 2>&1 &
    bot_pid=$!
    # Start-up takes 10-60 s at load 50-70 on 2 cores.
    for _ in $(seq 1 720); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.25; done
    curl -s --max-time 120 -o /dev/null -X POST "http://127.0.0.1:$port/api/messages" -H 'content-type: application/json' \
      -d '{"type":"message","id":"warm-1","channelId":"test","text":"hi","locale":"en-US","conversation":{"id":"ab-warm-up"},"from":{"id":"warm-up"},"recipient":{"id":"bot"},"deliveryMode":"expectReplies"}'
    echo "-- round $round, $variant, $flow/$ingress, V=$users; load: $(cut -d' ' -f1-3 /proc/loadavg)"
    common=(--url "http://127.0.0.1:$port" --flow "$flow" --ingress "$ingress" --secret "$secret" --users "$users"
            --sandbox "http://127.0.0.1:$sandbox_port/aria-sandbox/")
    $driver aria "${common[@]}" --seconds "$warmup" --warmup 0 --label warm-up --first-account "$account" >/dev/null \
      || echo "   (the warm-up run reported errors)"
    account=$((account + users))
    $driver aria "${common[@]}" --seconds "$seconds" --warmup 0 --label "$variant" --first-account "$account" \
      --results "$results" --pid "$bot_pid" --probe "$probe" >/dev/null || echo "   (FAILED: errors in the measured run)"
    tail -1 "$results" | awk -F'\t' '{ printf "   %s: %.1f turns/s, p95 %.1f ms, %.3f ms CPU and %.1f KB per turn\n", $1, $3, $4, $5, $6 }'
    account=$((account + users))
    kill "$bot_pid" 2>/dev/null || true; wait "$bot_pid" 2>/dev/null || true; bot_pid=
    rm -f "$probe"
  done
done
echo "== load after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== mean per variant over $rounds round(s), $flow/$ingress, $store, V=$users (cpu ms and KB per turn: the bot's)"
awk -F'\t' '
  { k = $1; n[k]++; t[k] += $3; p[k] += $4; c[k] += $5; a[k] += $6; if (!(k in seen)) { seen[k] = 1; order[++m] = k } }
  END {
    printf "| %-8s | %9s | %7s | %7s | %8s |\n", "variant", "turns/s", "p95 ms", "cpu ms", "KB/turn"
    print "|---|---:|---:|---:|---:|"
    for (i = 1; i <= m; i++) { k = order[i]; printf "| %-8s | %9.1f | %7.1f | %7.3f | %8.1f |\n", k, t[k]/n[k], p[k]/n[k], c[k]/n[k], a[k]/n[k] }
  }' "$results"
