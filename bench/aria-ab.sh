#!/usr/bin/env bash
# Same-run A/B of AriaBot's own turns (issue 22) between another checkout (BASE; default: branch main exported with
# `git archive`) and this one: both bots built in Release, run alternately, round by round, on a fresh state
# store each, beside one sandbox and driven by one load generator (this checkout's), so the shared machine's load falls
# on both alike.
#   bench/aria-ab.sh                                      # main vs this: unsigned /api/messages, V=16, memory, 3 rounds
#   BASE=/path/to/main-checkout STORE=sqlite bench/aria-ab.sh
#   BASE=… STORE=postgres FLOWS="unsigned/messages unsigned/directline" USERS=16 ROUNDS=3 bench/aria-ab.sh
# Prints every measurement (turns/s, p95, the bot's CPU ms and KB per turn; on PostgreSQL also the database's CPU ms
# per turn, from /proc over the measured window) with the load average, then the mean per variant.
# Ports: BENCH_PORT (bot), BENCH_SANDBOX_PORT (sandbox).
set -euo pipefail
cd "$(dirname "$0")/.."
base=${BASE:-}
store=$(tr '[:upper:]' '[:lower:]' <<<"${STORE:-memory}")
flows=${FLOWS:-"unsigned/messages"}
users=${USERS:-16}
rounds=${ROUNDS:-3}
seconds=${SECONDS_PER_RUN:-5}
warmup=${WARMUP_SECONDS:-5}
port=${BENCH_PORT:-5180}
sandbox_port=${BENCH_SANDBOX_PORT:-5188}
secret="bench-direct-line-secret-$RANDOM$RANDOM"
work=$(mktemp -d)
results="$work/results.tsv"
pg_results="$work/pg.tsv"
: >"$pg_results"
probe="$work/probe.sock"
bot_pid= sandbox_pid= db=
pg_psql=()
cleanup() {
  for pid in $bot_pid $sandbox_pid; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  [ -z "$db" ] || psql "${pg_psql[@]}" -qc "drop database if exists $db" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
if [ -z "$base" ]; then
  base="$work/base"; mkdir -p "$base"
  git archive main | tar -x -C "$base"
fi

for tree in "$base" "$PWD"; do
  echo "== build (Release) in $tree"
  (cd "$tree" && for project in src/AriaBot src/AriaSandbox.Host bench/AriaBot.Bench bench/AriaBot.Bench.Probe; do
     dotnet build "$project" -c Release -nologo -v q >"$work/build.log" 2>&1 || { grep -E "error" "$work/build.log" | sort -u | head; exit 1; }
   done)
done
bench="dotnet $PWD/bench/AriaBot.Bench/bin/Release/net10.0/AriaBot.Bench.dll"

case "$store" in
  memory) provider=Memory ;; sqlite) provider=Sqlite ;; postgres) provider=Postgres ;;
  *) echo "unknown store $store" >&2; exit 2 ;;
esac
pg_conn=
if [ "$store" = postgres ]; then
  pg_conn=${BENCH_POSTGRES:-$(scripts/postgres.sh start)}
  pg_psql=(-h "$(sed -n 's/.*Host=\([^;]*\).*/\1/p' <<<"$pg_conn")" -p "$(sed -n 's/.*Port=\([^;]*\).*/\1/p' <<<"$pg_conn")" -U postgres -d postgres)
fi
# CPU seconds (user + system) of every process of this checkout's PostgreSQL cluster (the postmaster and its backends).
pg_cpu() {
  local pm ticks=0 pid
  pm=$(head -1 .pg/data/postmaster.pid 2>/dev/null) || { echo 0; return; }
  for pid in $pm $(ps -o pid= --ppid "$pm"); do
    ticks=$((ticks + $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)))
  done
  awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.3f", t / hz }'
}

# One sandbox for both variants (this checkout's), seeded with one account per bench user and round.
$bench seed --out "$work/seed.json" --accounts 600
Aria__SeedFile="$work/seed.json" ASPNETCORE_ENVIRONMENT=Development ASPNETCORE_URLS="http://127.0.0.1:$sandbox_port" Logging__LogLevel__Default=Warning \
  dotnet "$PWD/src/AriaSandbox.Host/bin/Release/net10.0/AriaSandbox.Host.dll" --contentRoot "$PWD/src/AriaSandbox.Host" >"$work/sandbox.log" 2>&1 &
sandbox_pid=$!
for _ in $(seq 1 480); do curl -s -o /dev/null "http://127.0.0.1:$sandbox_port/" && break; sleep 0.25; done

start_bot() {
  local tree=$1 state_conn=$2
  (
    # As bench/run.sh's bot_env: Development, logs at Warning, our Direct Line with a known secret, limits raised.
    export ASPNETCORE_ENVIRONMENT=Development ASPNETCORE_URLS="http://127.0.0.1:$port"
    export Aria__UseSandbox=false Aria__BaseUrl="http://127.0.0.1:$sandbox_port/aria-sandbox" Aria__ClientNo=7000100 Aria__AuthKey=sandbox-demo-auth-key-7000100
    export Serilog__MinimumLevel__Default=Warning DirectLine__Secrets__0="$secret" SignIn__PublicBaseUrl="http://127.0.0.1:$port"
    export SignIn__RateLimits__PostsPerIp=100000 SignIn__RateLimits__LinksPerConversation=1000 SignIn__RateLimits__CodeEntriesPerConversation=1000
    export DirectLine__MaxPostsPerWindow=100000 DirectLine__MaxReadsPerWindow=100000 SelfService__AllowPrepayment=true
    export State__Provider=$provider State__SqlitePath="$work/ab-$RANDOM.db" State__PostgresConnectionString="$state_conn"
    export DOTNET_STARTUP_HOOKS="$tree/bench/AriaBot.Bench.Probe/bin/Release/net10.0/AriaBot.Bench.Probe.dll" BENCH_PROBE="$probe"
    exec dotnet "$tree/src/AriaBot/bin/Release/net10.0/AriaBot.dll" --contentRoot "$tree/src/AriaBot"
  ) >"$work/bot.log" 2>&1 &
  bot_pid=$!
  for _ in $(seq 1 720); do
    if curl -s -o /dev/null "http://127.0.0.1:$port/"; then
      curl -s --max-time 120 -o /dev/null -X POST "http://127.0.0.1:$port/api/messages" -H 'content-type: application/json' \
        -d '{"type":"message","id":"warm-1","channelId":"test","text":"hi","locale":"en-US","conversation":{"id":"bench-warm-up"},"from":{"id":"warm-up"},"recipient":{"id":"bot"},"deliveryMode":"expectReplies"}'
      return 0
    fi
    kill -0 "$bot_pid" 2>/dev/null || { echo "the bot did not start:"; tail -20 "$work/bot.log"; exit 1; }
    sleep 0.25
  done
  echo "the bot did not answer"; exit 1
}

account=0
echo "== load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq 1 "$rounds"); do
  for variant in base this; do
    [ "$variant" = base ] && tree=$base || tree=$PWD
    state_conn=
    if [ "$store" = postgres ]; then
      db="ariabot_aria_ab_$$_$RANDOM"
      for _ in 1 2 3 4 5; do psql "${pg_psql[@]}" -qc "create database $db" >/dev/null 2>&1 && break; sleep 1; done
      state_conn=$(sed "s/Database=[^;]*/Database=$db/" <<<"$pg_conn")
    fi
    start_bot "$tree" "$state_conn"
    for flow in $flows; do
      for v in $users; do
        echo "-- round $round, $flow, $variant, V=$v; load: $(cut -d' ' -f1-3 /proc/loadavg)"
        $bench aria --url "http://127.0.0.1:$port" --flow "${flow%/*}" --ingress "${flow#*/}" --secret "$secret" --users "$v" --seconds "$warmup" \
          --warmup 0 --label warm-up --sandbox "http://127.0.0.1:$sandbox_port/aria-sandbox/" --first-account "$account" >/dev/null \
          || echo "   (the warm-up run reported errors)"
        account=$((account + v))
        before=$(pg_cpu)
        $bench aria --url "http://127.0.0.1:$port" --flow "${flow%/*}" --ingress "${flow#*/}" --secret "$secret" --users "$v" --seconds "$seconds" \
          --warmup 0 --label "$flow $variant" --results "$results" --pid "$bot_pid" --probe "$probe" \
          --sandbox "http://127.0.0.1:$sandbox_port/aria-sandbox/" --first-account "$account" | tail -1 || echo "   (FAILED: errors in the measured run)"
        after=$(pg_cpu)
        account=$((account + v))
        if [ "$store" = postgres ]; then
          rate=$(tail -1 "$results" | cut -f3)
          awk -v l="$flow $variant" -v v="$v" -v b="$before" -v a="$after" -v r="$rate" -v s="$seconds" \
            'BEGIN { printf "%s\t%s\t%.3f\n", l, v, (r > 0 ? 1000 * (a - b) / (r * s) : 0) }' >>"$pg_results"
          echo "   database CPU: $(tail -1 "$pg_results" | cut -f3) ms/turn"
        fi
      done
    done
    kill "$bot_pid" 2>/dev/null || true; wait "$bot_pid" 2>/dev/null || true; bot_pid=
    rm -f "$probe"
    if [ -n "$db" ]; then psql "${pg_psql[@]}" -qc "drop database if exists $db" >/dev/null 2>&1 || true; db=; fi
  done
done
echo "== load after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== mean per flow, variant and V over $rounds round(s) (cpu ms and KB per turn: the bot's)"
awk -F'\t' -v pgf="$pg_results" '
  FILENAME == pgf { k = $1 "\t" $2; pn[k]++; pg[k] += $3; next }
  { k = $1 "\t" $2; n[k]++; t[k] += $3; p[k] += $4; c[k] += $5; a[k] += $6; if (!(k in seen)) { seen[k] = 1; order[++m] = k } }
  END {
    printf "| %-32s | %3s | %9s | %7s | %7s | %8s | %9s |\n", "flow variant", "V", "turns/s", "p95 ms", "cpu ms", "KB/turn", "db cpu ms"
    print "|---|---:|---:|---:|---:|---:|---:|"
    for (i = 1; i <= m; i++) { k = order[i]; split(k, f, "\t")
      printf "| %-32s | %3s | %9.1f | %7.1f | %7.3f | %8.1f | %9s |\n", f[1], f[2], t[k]/n[k], p[k]/n[k], c[k]/n[k], a[k]/n[k], (k in pn) ? sprintf("%.3f", pg[k]/pn[k]) : "" }
  }' "$pg_results" "$results"
