#!/usr/bin/env bash
# Same-run A/B of AriaBot's own turns (issue 22) between another checkout (BASE; default: branch main exported with
# `git archive`) and this one: both bots built in Release, run alternately, round by round, on a fresh state
# store each, beside one sandbox and driven by one load generator (this checkout's), so the shared machine's load falls
# on both alike.
#   bench/aria-ab.sh                                      # main vs this: unsigned /api/messages, V=16, memory, 3 rounds
#   BASE=/path/to/main-checkout STORE=sqlite bench/aria-ab.sh
#   BASE=… STORE=postgres FLOWS="unsigned/messages unsigned/directline" USERS=16 ROUNDS=3 bench/aria-ab.sh
# Prints every measurement (the run's line, then its Aria calls: turns/s, p95, the bot's CPU ms and KB per turn; on
# PostgreSQL also the database's CPU ms per turn, from /proc over the measured window, and how many of
# the cluster's processes started and ended inside it) with the load average, then the mean per variant.
# Ports: BENCH_PORT (bot), BENCH_SANDBOX_PORT (sandbox).
# KEEP_RESULTS=<dir>: the per-run results (*.tsv) are copied there when the script ends; otherwise they go with its work folder.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
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
  bench_remove_work "$work"
}
trap cleanup EXIT
base=$(bench_base_tree)
bench_build_trees "$base $PWD" src/AriaBot src/AriaSandbox.Host bench/AriaBot.Bench bench/AriaBot.Bench.Probe
bench="dotnet $PWD/bench/AriaBot.Bench/bin/Release/net10.0/AriaBot.Bench.dll"

case "$store" in
  memory) provider=Memory ;; sqlite) provider=Sqlite ;; postgres) provider=Postgres ;;
  *) echo "unknown store $store" >&2; exit 2 ;;
esac
pg_conn=
if [ "$store" = postgres ]; then
  pg_conn=${BENCH_POSTGRES:-$(scripts/postgres.sh start)}
  bench_pg_psql "$pg_conn"
fi
# One sandbox for both variants (this checkout's), seeded with one account per bench user and round.
bench_start_sandbox 480

# The bot of one tree, as bench/run.sh starts it (bench/lib.sh), on a fresh state store.
start_bot() {
  bench_start_aria "$1" "$work/bot.log" 720 State__Provider="$provider" State__SqlitePath="$work/ab-$RANDOM.db" State__PostgresConnectionString="$2"
}

account=0
echo "== load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq 1 "$rounds"); do
  # Which variant goes first alternates by round: the second slot of a round ran slower in the 01:17 A/Bs of
  # 2026-12-08 whichever variant it held (bench/README, "Not done yet").
  order="base this"; [ $((round % 2)) -eq 1 ] || order="this base"
  for variant in $order; do
    [ "$variant" = base ] && tree=$base || tree=$PWD
    state_conn=
    if [ "$store" = postgres ]; then
      db="ariabot_aria_ab_$$_$RANDOM"
      bench_pg_create "$db"
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
        before=$(bench_pg_cpu) processes_before=$(bench_pg_processes)
        $bench aria --url "http://127.0.0.1:$port" --flow "${flow%/*}" --ingress "${flow#*/}" --secret "$secret" --users "$v" --seconds "$seconds" \
          --warmup 0 --label "$flow $variant" --results "$results" --pid "$bot_pid" --probe "$probe" \
          --sandbox "http://127.0.0.1:$sandbox_port/aria-sandbox/" --first-account "$account" | tail -2 || echo "   (FAILED: errors in the measured run)"
        after=$(bench_pg_cpu) processes_after=$(bench_pg_processes)
        account=$((account + v))
        [ "$store" != postgres ] || bench_pg_note "$flow $variant" "$v" "$before" "$after" "$results" "$pg_results"
        [ "$store" != postgres ] || bench_pg_churn "$processes_before" "$processes_after"
      done
    done
    kill "$bot_pid" 2>/dev/null || true; wait "$bot_pid" 2>/dev/null || true; bot_pid=
    rm -f "$probe"
    if [ -n "$db" ]; then psql "${pg_psql[@]}" -qc "drop database if exists $db" >/dev/null 2>&1 || true; db=; fi
  done
done
echo "== load after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== mean per flow, variant and V over $rounds round(s) (cpu ms and KB per turn: the bot's)"
bench_ab_summary flow "$results" "$pg_results"
