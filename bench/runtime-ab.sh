#!/usr/bin/env bash
# Same-run A/B of the runtime's own lines (issue 22) between another checkout (BASE, default: branch main exported with
# git archive) and this one: both built in Release, their serve-waterfall servers run alternately, round by round,
# against the same load generator (this checkout's), so the shared machine's load falls on both alike.
#   bench/runtime-ab.sh                                   # runtime-postgres and runtime-echo-postgres, V=16 and 64
#   LINES="runtime runtime-echo" USERS=16 ROUNDS=3 bench/runtime-ab.sh
#   BASE=/path/to/checkout bench/runtime-ab.sh
# Prints every measurement (turns/s, p95, CPU ms and KB allocated per turn, the server's; on PostgreSQL also the
# database's CPU ms per turn, from /proc over the measured window) with the load average, then the mean per variant.
# Each V: a warm-up run of WARMUP_SECONDS first, then the measured run of SECONDS_PER_RUN with no warm-up of its own
# (so the database's CPU and the turns counted cover the same window). A PostgreSQL database of its own per server run, dropped after it. Ports: BENCH_PEER_PORT.
set -euo pipefail
cd "$(dirname "$0")/.."
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
  rm -rf "$work"
}
trap cleanup EXIT

base=${BASE:-}
if [ -z "$base" ]; then
  base="$work/base"
  mkdir -p "$base"
  git archive main | tar -x -C "$base"
fi
for tree in "$base" "$PWD"; do
  echo "== build (Release) in $tree"
  (cd "$tree" && for project in bench/AriaBot.Bench bench/AriaBot.Bench.Probe; do
     dotnet build "$project" -c Release -nologo -v q >"$work/build.log" 2>&1 || { grep -E "error" "$work/build.log" | sort -u | head; exit 1; }
   done)
done
driver="dotnet $PWD/bench/AriaBot.Bench/bin/Release/net10.0/AriaBot.Bench.dll"

pg_conn=${BENCH_POSTGRES:-}
if [[ " $lines " == *"postgres"* && -z "$pg_conn" ]]; then
  pg_conn=$(scripts/postgres.sh start)
fi
# CPU seconds (user + system) of every process of our PostgreSQL cluster (the postmaster's children: its backends).
pg_cpu() {
  local pm ticks=0 pid
  pm=$(head -1 .pg/data/postmaster.pid 2>/dev/null) || { echo 0; return; }
  for pid in $pm $(ps -o pid= --ppid "$pm"); do
    ticks=$((ticks + $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)))
  done
  awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.3f", t / hz }'
}
if [ -n "$pg_conn" ]; then
  pg_psql=(-h "$(sed -n 's/.*Host=\([^;]*\).*/\1/p' <<<"$pg_conn")" -p "$(sed -n 's/.*Port=\([^;]*\).*/\1/p' <<<"$pg_conn")" -U postgres -d postgres)
fi

echo "== load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq 1 "$rounds"); do
  for line in $lines; do
    for variant in base this; do
      [ "$variant" = base ] && tree=$base || tree=$PWD
      bot=waterfall script=waterfall
      [[ "$line" == runtime-echo* ]] && bot=echo script=echo
      store_args=()
      if [[ "$line" == *-postgres ]]; then
        db="ariabot_ab_$$_$RANDOM"
        # CREATE DATABASE fails while another session uses template1 (other checkouts' tests): try again.
        for _ in 1 2 3 4 5; do psql "${pg_psql[@]}" -qc "create database $db" >/dev/null 2>&1 && break; sleep 1; done
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
        before=$(pg_cpu)
        $driver peer-http --url "http://127.0.0.1:$port" --users "$v" --seconds "$seconds" --warmup 0 --label "$line $variant" \
          --script "$script" --results "$results" --pid "$bot_pid" --probe "$probe" | tail -1 || echo "   (FAILED: errors in the measured run)"
        after=$(pg_cpu)
        if [[ "$line" == *-postgres ]]; then
          rate=$(tail -1 "$results" | cut -f3)
          awk -v l="$line $variant" -v v="$v" -v b="$before" -v a="$after" -v r="$rate" -v s="$seconds" \
            'BEGIN { printf "%s\t%s\t%.3f\n", l, v, (r > 0 ? 1000 * (a - b) / (r * s) : 0) }' >>"$pg_results"
          echo "   database CPU: $(tail -1 "$pg_results" | cut -f3) ms/turn"
        fi
      done
      kill "$bot_pid" 2>/dev/null || true; wait "$bot_pid" 2>/dev/null || true; bot_pid=
      rm -f "$probe"
      if [ -n "$db" ]; then psql "${pg_psql[@]}" -qc "drop database if exists $db" >/dev/null 2>&1 || true; db=; fi
    done
  done
done
echo "== load after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== mean per line, variant and V over $rounds round(s) (cpu ms and KB per turn: the server's)"
awk -F'\t' -v pgf="$pg_results" '
  FILENAME == pgf { k = $1 "\t" $2; pn[k]++; pg[k] += $3; next }
  { k = $1 "\t" $2; n[k]++; t[k] += $3; p[k] += $4; c[k] += $5; a[k] += $6; if (!(k in seen)) { seen[k] = 1; order[++m] = k } }
  END {
    printf "| %-32s | %3s | %9s | %7s | %7s | %8s | %9s |\n", "line variant", "V", "turns/s", "p95 ms", "cpu ms", "KB/turn", "db cpu ms"
    print "|---|---:|---:|---:|---:|---:|---:|"
    for (i = 1; i <= m; i++) { k = order[i]; split(k, f, "\t")
      printf "| %-32s | %3s | %9.1f | %7.1f | %7.3f | %8.1f | %9s |\n", f[1], f[2], t[k]/n[k], p[k]/n[k], c[k]/n[k], a[k]/n[k], (k in pn) ? sprintf("%.3f", pg[k]/pn[k]) : "" }
  }' "$pg_results" "$results"
