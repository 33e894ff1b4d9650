#!/usr/bin/env bash
# Same-run A/B of the runtime's own lines (issue 22) between another checkout (BASE, default: branch main exported with
# git archive) and this one: both built in Release, their serve-waterfall servers run alternately, round by round,
# against the same load generator (this checkout's), so the shared machine's load falls on both alike.
#   bench/runtime-ab.sh                                   # runtime-postgres and runtime-echo-postgres, V=16 and 64
#   LINES="runtime runtime-echo" USERS=16 ROUNDS=3 bench/runtime-ab.sh
#   BASE=/path/to/checkout bench/runtime-ab.sh
# Prints every measurement (turns/s, p95, CPU ms and KB allocated per turn, the server's; on PostgreSQL also the
# database's CPU ms per turn, from /proc over the measured window, and how many of
# the cluster's processes started and ended inside it) with the load average, then the mean per variant.
# Each V: a warm-up run of WARMUP_SECONDS first, then the measured run of SECONDS_PER_RUN with no warm-up of its own
# (so the database's CPU and the turns counted cover the same window). A PostgreSQL database of its own per server run, dropped after it. Ports: BENCH_PEER_PORT.
# KEEP_RESULTS=<dir>: the per-run results (*.tsv) are copied there when the script ends; otherwise they go with its work folder.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
lines=${LINES:-"runtime-postgres runtime-echo-postgres"}
users=${USERS:-"16 64"}
rounds=${ROUNDS:-2}
seconds=${SECONDS_PER_RUN:-5}
warmup=${WARMUP_SECONDS:-5}
port=${BENCH_PEER_PORT:-5191}
work=$(mktemp -d)
results="$work/results.tsv"
pg_results="$work/pg.tsv"
: >"$pg_results"
probe="$work/probe.sock"
bot_pid=
db=
pg_psql=()
cleanup() {
  [ -z "$bot_pid" ] || { kill "$bot_pid" 2>/dev/null || true; wait "$bot_pid" 2>/dev/null || true; }
  [ -z "$db" ] || psql "${pg_psql[@]}" -qc "drop database if exists $db" >/dev/null 2>&1 || true
  bench_remove_work "$work"
}
trap cleanup EXIT

base=$(bench_base_tree)
bench_build_trees "$base $PWD" bench/AriaBot.Bench bench/AriaBot.Bench.Probe
driver="dotnet $PWD/bench/AriaBot.Bench/bin/Release/net10.0/AriaBot.Bench.dll"

pg_conn=${BENCH_POSTGRES:-}
if [[ " $lines " == *"postgres"* && -z "$pg_conn" ]]; then
  pg_conn=$(scripts/postgres.sh start)
fi
[ -z "$pg_conn" ] || bench_pg_psql "$pg_conn"

echo "== load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq 1 "$rounds"); do
  for line in $lines; do
    # Which variant goes first alternates by round: the second slot of a round ran slower in the 01:17 A/Bs of
    # 2026-12-08 whichever variant it held (bench/README, "Not done yet").
    order="base this"; [ $((round % 2)) -eq 1 ] || order="this base"
    for variant in $order; do
      [ "$variant" = base ] && tree=$base || tree=$PWD
      bot=waterfall script=waterfall
      [[ "$line" == runtime-echo* ]] && bot=echo script=echo
      store_args=()
      if [[ "$line" == *-postgres ]]; then
        db="ariabot_ab_$$_$RANDOM"
        bench_pg_create "$db"
        store_args=(--store postgres --postgres "$(sed "s/Database=[^;]*/Database=$db/" <<<"$pg_conn")")
      fi
      env DOTNET_STARTUP_HOOKS="$tree/bench/AriaBot.Bench.Probe/bin/Release/net10.0/AriaBot.Bench.Probe.dll" BENCH_PROBE="$probe" \
        dotnet "$tree/bench/AriaBot.Bench/bin/Release/net10.0/AriaBot.Bench.dll" serve-waterfall --bot "$bot" --port "$port" "${store_args[@]}" >"$work/server.log" 2>&1 &
      bot_pid=$!
      # Start-up takes 10-60 s at load 50-70 on 2 cores.
      for _ in $(seq 1 720); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.25; done
      for v in $users; do
        echo "-- round $round, $line, $variant, V=$v; load: $(cut -d' ' -f1-3 /proc/loadavg)"
        $driver peer-http --url "http://127.0.0.1:$port" --users "$v" --seconds "$warmup" --warmup 0 --label "warm-up" --script "$script" >/dev/null \
          || echo "   (the warm-up run reported errors)"
        before=$(bench_pg_cpu) processes_before=$(bench_pg_processes)
        $driver peer-http --url "http://127.0.0.1:$port" --users "$v" --seconds "$seconds" --warmup 0 --label "$line $variant" \
          --script "$script" --results "$results" --pid "$bot_pid" --probe "$probe" | tail -1 || echo "   (FAILED: errors in the measured run)"
        after=$(bench_pg_cpu) processes_after=$(bench_pg_processes)
        [[ "$line" != *-postgres ]] || bench_pg_note "$line $variant" "$v" "$before" "$after" "$results" "$pg_results"
        [[ "$line" != *-postgres ]] || bench_pg_churn "$processes_before" "$processes_after"
      done
      kill "$bot_pid" 2>/dev/null || true; wait "$bot_pid" 2>/dev/null || true; bot_pid=
      rm -f "$probe"
      if [ -n "$db" ]; then psql "${pg_psql[@]}" -qc "drop database if exists $db" >/dev/null 2>&1 || true; db=; fi
    done
  done
done
echo "== load after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== mean per line, variant and V over $rounds round(s) (cpu ms and KB per turn: the server's)"
bench_ab_summary line "$results" "$pg_results"
