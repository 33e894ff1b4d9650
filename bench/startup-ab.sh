#!/usr/bin/env bash
# Same-run A/B of start-up settings for the published bot (issue 22): process start to the first answered "hi"
# (wall ms) and the bot's CPU time until then (utime+stime from /proc, which load distorts less than wall time).
# Variants are run interleaved, round by round, against one Aria sandbox beside them.
#   bench/startup-ab.sh DIR_A DIR_B ...   each DIR a `dotnet publish` output of src/AriaBot; a DIR may be followed by
#                                         environment settings after a colon: /tmp/pub:DOTNET_TieredPGO=0
# ROUNDS (default 3). Needs a Debug build of src/AriaSandbox.Host (the sandbox).
# TURNS (default 0): after the first answer, WARM_TURNS (default 200) more "hi" turns, then TURNS timed ones, one at a
# time, each in a new conversation; prints the bot's CPU per timed turn, so a start-up setting that costs steady-state
# throughput shows. LOAD_SECONDS (default 0): then closed-loop load (`AriaBot.Bench http`, unsigned turns over
# /api/messages, LOAD_USERS users, default 16) for LOAD_WARMUP (default 10) s untimed and LOAD_SECONDS s measured; prints
# the bot's turns/s and CPU ms per turn after warm-up (needs a Release build of bench/AriaBot.Bench).
# THEN (default none): right after the first answer, one more line in a new conversation (e.g. "pay 20.50 next friday",
# which needs the date, amount and number models that the first "hi" does not), timed from post to answer: what the
# background warm-up (Shell:WarmUp) is there for, so a change to when it runs shows its cost here.
# PORT / SANDBOX_PORT: loopback ports (defaults 5393 / 5394).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${ROUNDS:-3}
port=${PORT:-5393}
sandbox_port=${SANDBOX_PORT:-5394}
work=$(mktemp -d)
ASPNETCORE_ENVIRONMENT=Development ASPNETCORE_URLS="http://127.0.0.1:$sandbox_port" Logging__LogLevel__Default=Warning \
  dotnet "$PWD/src/AriaSandbox.Host/bin/Debug/net10.0/AriaSandbox.Host.dll" --contentRoot "$PWD/src/AriaSandbox.Host" >"$work/sandbox.log" 2>&1 &
sandbox_pid=$!
trap 'kill $sandbox_pid 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 480); do curl -s -o /dev/null "http://127.0.0.1:$sandbox_port/" && break; sleep 0.25; done
hi='{"type":"message","id":"s1","channelId":"webchat","conversation":{"id":"startup"},"from":{"id":"u1"},"recipient":{"id":"bot"},"text":"hi","locale":"en-US","deliveryMode":"expectReplies","serviceUrl":"http://localhost"}'
ticks=$(getconf CLK_TCK)
cpu_ms() { awk -v t="$ticks" '{printf "%.0f", ($14+$15)*1000/t}' /proc/$1/stat 2>/dev/null || echo "?"; }
# N "hi" turns, one at a time, each in a conversation of its own; prints how many did not answer with a message.
turns() {
  local tag=$1 n=$2 bad=0 i
  for i in $(seq 1 "$n"); do
    curl -s --max-time 30 -o "$work/turn.json" -X POST "http://127.0.0.1:$port/api/messages" -H 'content-type: application/json' \
      --data "${hi//\"startup\"/\"turn-$tag-$i\"}" && grep -q '"type":"message"' "$work/turn.json" || bad=$((bad + 1))
  done
  [ "$bad" -eq 0 ] || echo "$bad"
}
for round in $(seq 1 "$rounds"); do
  for variant in "$@"; do
    dir=${variant%%:*}; settings=""; [[ "$variant" == *:* ]] && settings=${variant#*:}
    start=$(date +%s%N)
    env ASPNETCORE_ENVIRONMENT=Development ASPNETCORE_URLS="http://127.0.0.1:$port" State__Provider=Memory \
      Aria__UseSandbox=false Aria__BaseUrl="http://127.0.0.1:$sandbox_port/aria-sandbox" Aria__ClientNo=7000100 Aria__AuthKey=sandbox-demo-auth-key-7000100 \
      Serilog__MinimumLevel__Default=Warning DirectLine__Secrets__0=startup-ab-secret-0123456789 SignIn__PublicBaseUrl="http://127.0.0.1:$port" \
      $settings dotnet "$dir/AriaBot.dll" --contentRoot "$PWD/src/AriaBot" >"$work/bot.log" 2>&1 &
    bot=$!
    answered=""
    for _ in $(seq 1 3000); do
      if curl -s --max-time 60 -o "$work/reply.json" -w '%{http_code}' -X POST "http://127.0.0.1:$port/api/messages" \
           -H 'content-type: application/json' --data "$hi" 2>/dev/null | grep -q 200 && grep -q '"type":"message"' "$work/reply.json"; then
        answered=yes; break
      fi
      kill -0 $bot 2>/dev/null || break
      sleep 0.02
    done
    end=$(date +%s%N)
    cpu=$(cpu_ms $bot)
    steady=""
    if [ -n "$answered" ] && [ -n "${THEN:-}" ]; then
      then_start=$(date +%s%N)
      then_turn=${hi//\"startup\"/\"then-$round\"}
      if curl -s --max-time 60 -o "$work/then.json" -X POST "http://127.0.0.1:$port/api/messages" -H 'content-type: application/json' \
           --data "${then_turn//\"text\":\"hi\"/\"text\":\"$THEN\"}" && grep -q '"type":"message"' "$work/then.json"; then
        steady="  then $(( ($(date +%s%N) - then_start) / 1000000 )) ms"
      else
        steady="  then FAILED"
      fi
    fi
    if [ -n "$answered" ] && [ "${TURNS:-0}" -gt 0 ]; then
      turns "$round-w" "${WARM_TURNS:-200}"
      before=$(cpu_ms $bot)
      failed=$(turns "$round-t" "$TURNS")
      steady="$steady  steady $(awk -v a="$before" -v b="$(cpu_ms $bot)" -v n="$TURNS" 'BEGIN { printf "%.2f", (b - a) / n }') ms cpu/turn${failed:+ ($failed turns FAILED)}"
    fi
    if [ -n "$answered" ] && [ "${LOAD_SECONDS:-0}" -gt 0 ]; then
      # The driver prints "label V=N  R turns/s  p50 … cpu C ms/turn …"; keep the rate and the CPU per turn.
      load=$(dotnet "$PWD/bench/AriaBot.Bench/bin/Release/net10.0/AriaBot.Bench.dll" http --url "http://127.0.0.1:$port" --users "${LOAD_USERS:-16}" \
        --seconds "$LOAD_SECONDS" --warmup "${LOAD_WARMUP:-10}" --label load --pid "$bot" | tail -1) || load="$load (errors)"
      steady="$steady  load: $(sed -E 's/.* ([0-9.]+) turns\/s.*cpu +([0-9.]+) ms\/turn.*errors ([0-9]+).*/\1 turns\/s, \2 ms cpu\/turn, \3 errors/' <<<"$load")"
    fi
    kill $bot 2>/dev/null || true; wait $bot 2>/dev/null || true
    echo "round $round  $([ -n "$answered" ] && echo answered || echo FAILED)  wall $(( (end - start) / 1000000 )) ms  cpu $cpu ms$steady  load $(cut -d' ' -f1 /proc/loadavg)  $variant"
  done
done
