# Shared by bench/run.sh, bench/aria-ab.sh, bench/runtime-ab.sh and bench/memory-ab.sh (sourced, not run): starting AriaBot and the
# sandbox the way every measurement does, the base checkout and builds of the A/B scripts, PostgreSQL helpers and the
# A/B summary. One copy, so a setting changed for one script's bot is changed for all of them.
# Expects the sourcing script's variables: work, port, sandbox_port, probe, bench (the load generator's command), and
# secret (Direct Line) where the bot is started; sets bot_pid and sandbox_pid.

# The bot as a deployment beside the sandbox: Development (no app id), logs at Warning so the console is not what is
# measured, our Direct Line with a known secret, and the per-address and per-conversation limits raised: the bench's
# users all come from 127.0.0.1 and post faster than a person (the limits themselves are tested, not benchmarked).
bench_bot_env() {
  export ASPNETCORE_ENVIRONMENT=Development ASPNETCORE_URLS="http://127.0.0.1:$port"
  export Aria__UseSandbox=false Aria__BaseUrl="http://127.0.0.1:$sandbox_port/aria-sandbox" Aria__ClientNo=7000100 Aria__AuthKey=sandbox-demo-auth-key-7000100
  export Serilog__MinimumLevel__Default=Warning DirectLine__Secrets__0="$secret" SignIn__PublicBaseUrl="http://127.0.0.1:$port"
  export SignIn__RateLimits__PostsPerIp=100000 SignIn__RateLimits__LinksPerConversation=1000 SignIn__RateLimits__CodeEntriesPerConversation=1000
  export DirectLine__MaxPostsPerWindow=100000 DirectLine__MaxReadsPerWindow=100000
  export SelfService__AllowPrepayment=true
}

# bench_start_aria TREE LOG TRIES [NAME=VALUE...]: AriaBot's Release build of TREE (with TREE's bench probe) under
# bench_bot_env plus the given settings (the state store), its output in LOG; bot_pid is its pid; then bench_wait_bot.
bench_start_aria() {
  local tree=$1 log=$2 tries=$3
  shift 3
  (
    bench_bot_env
    [ $# -eq 0 ] || export "$@"
    export DOTNET_STARTUP_HOOKS="$tree/bench/AriaBot.Bench.Probe/bin/Release/net10.0/AriaBot.Bench.Probe.dll" BENCH_PROBE="$probe"
    exec dotnet "$tree/src/AriaBot/bin/Release/net10.0/AriaBot.dll" --contentRoot "$tree/src/AriaBot"
  ) >"$log" 2>&1 &
  bot_pid=$!
  bench_wait_bot "$log" "$tries"
}

# bench_wait_bot LOG TRIES: waits up to TRIES quarter-seconds for the bot (bot_pid, output in LOG) to answer on /, then
# sends one answered "hi" before anything is timed: the bot's first turn (the understander's models, the first storage
# and Aria connections) takes seconds, which is start-up (measured apart), not the turn rate. Exits the script when the
# bot dies or does not answer.
bench_wait_bot() {
  local log=$1 tries=$2
  for _ in $(seq 1 "$tries"); do
    if curl -s -o /dev/null "http://127.0.0.1:$port/"; then
      curl -s --max-time 120 -o /dev/null -X POST "http://127.0.0.1:$port/api/messages" -H 'content-type: application/json' \
        -d '{"type":"message","id":"warm-1","channelId":"test","text":"hi","locale":"en-US","conversation":{"id":"bench-warm-up"},"from":{"id":"warm-up"},"recipient":{"id":"bot"},"deliveryMode":"expectReplies"}'
      return 0
    fi
    kill -0 "$bot_pid" 2>/dev/null || { echo "the bot did not start:"; tail -20 "$log"; exit 1; }
    sleep 0.25
  done
  echo "the bot did not answer in $((tries / 4)) s"; exit 1
}

# A Release build has no in-process sandbox: the simulator (this checkout's) runs on its own, as it would beside a real
# deployment, with the demo seed plus one account per bench user (so no two users change the same account).
# sandbox_pid is its pid; exits the script when it does not answer within TRIES quarter-seconds.
bench_start_sandbox() {
  local tries=$1
  $bench seed --out "$work/seed.json" --accounts 600
  Aria__SeedFile="$work/seed.json" ASPNETCORE_ENVIRONMENT=Development ASPNETCORE_URLS="http://127.0.0.1:$sandbox_port" \
  Logging__LogLevel__Default=Warning \
    dotnet "$PWD/src/AriaSandbox.Host/bin/Release/net10.0/AriaSandbox.Host.dll" --contentRoot "$PWD/src/AriaSandbox.Host" >"$work/sandbox.log" 2>&1 &
  sandbox_pid=$!
  for _ in $(seq 1 "$tries"); do curl -s -o /dev/null "http://127.0.0.1:$sandbox_port/" && return 0; sleep 0.25; done
  echo "the sandbox did not start:"; tail -20 "$work/sandbox.log"; exit 1
}

# The A/B scripts' other checkout: BASE, or branch main exported with git archive into the work folder.
# Removes an A/B script's work directory, first copying its results (*.tsv: one row per measured run) to
# $KEEP_RESULTS when that is set, so that rounds can be read again or compared after the script ends.
bench_remove_work() {
  local work=$1
  if [ -n "${KEEP_RESULTS:-}" ] && compgen -G "$work/*.tsv" >/dev/null; then
    mkdir -p "$KEEP_RESULTS" && cp "$work"/*.tsv "$KEEP_RESULTS"/ && echo "== results kept in $KEEP_RESULTS" >&2
  fi
  rm -rf "$work"
}

bench_base_tree() {
  if [ -n "${BASE:-}" ]; then
    echo "$BASE"
  else
    mkdir -p "$work/base"
    git archive main | tar -x -C "$work/base"
    # The export has no Web Chat bundle: link this checkout's npm install into it (a fresh stamp file of its own, so the
    # build's up-to-date check is the export's), or its Release build of src/AriaBot would run npm ci.
    local app=src/AriaBot/ClientApp
    if [ -d "$app/node_modules" ] && [ -f "$app/package-lock.json" ] && cmp -s "$app/package-lock.json" "$work/base/$app/package-lock.json" && cmp -s "$app/package.json" "$work/base/$app/package.json"; then
      cp -al "$app/node_modules" "$work/base/$app/node_modules"
      rm -f "$work/base/$app/node_modules/.ariabot-npm-ci.stamp"
      touch "$work/base/$app/node_modules/.ariabot-npm-ci.stamp"
      [ -d src/AriaBot/wwwroot/lib ] && mkdir -p "$work/base/src/AriaBot/wwwroot" && cp -a src/AriaBot/wwwroot/lib "$work/base/src/AriaBot/wwwroot/"
    fi
    echo "$work/base"
  fi
}

# bench_build_trees "TREE..." PROJECT...: each project in Release in each tree; the errors and exit on a failure.
bench_build_trees() {
  local trees=$1 tree project
  shift
  for tree in $trees; do
    echo "== build (Release) in $tree"
    (cd "$tree" && for project in "$@"; do
       dotnet build "$project" -c Release -nologo -v q >"$work/build.log" 2>&1 || { grep -E "error" "$work/build.log" | sort -u | head; exit 1; }
     done)
  done
}

# bench_pg_psql CONNECTION_STRING: sets pg_psql, psql's arguments for the server's postgres database.
bench_pg_psql() {
  pg_psql=(-h "$(sed -n 's/.*Host=\([^;]*\).*/\1/p' <<<"$1")" -p "$(sed -n 's/.*Port=\([^;]*\).*/\1/p' <<<"$1")" -U postgres -d postgres)
}

# bench_pg_create DB: CREATE DATABASE fails while another session uses template1 (other checkouts' tests): try again.
bench_pg_create() {
  for _ in 1 2 3 4 5; do psql "${pg_psql[@]}" -qc "create database $1" >/dev/null 2>&1 && return 0; sleep 1; done
}

# CPU seconds (user + system) of every process of this checkout's PostgreSQL cluster (the postmaster and its backends).
bench_pg_cpu() {
  local pm ticks=0 pid
  pm=$(head -1 .pg/data/postmaster.pid 2>/dev/null) || { echo 0; return; }
  for pid in $pm $(ps -o pid= --ppid "$pm"); do
    ticks=$((ticks + $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)))
  done
  awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.3f", t / hz }'
}

# The PIDs of this checkout's PostgreSQL cluster's processes but the postmaster (backends, autovacuum, writers), one line.
bench_pg_processes() {
  local pm
  pm=$(head -1 .pg/data/postmaster.pid 2>/dev/null) || return 0
  echo $(ps -o pid= --ppid "$pm")
}

# bench_pg_churn BEFORE AFTER (two bench_pg_processes lines): how many of those processes started and ended inside the
# measured window (2026-12-07, x/pgfn). One started there brings its whole start-up (fork, catalogue caches, compiling
# the PL/pgSQL functions, their first plans) into the window's database CPU per turn; one that ended takes its CPU out.
bench_pg_churn() {
  local started ended
  started=$(comm -13 <(tr ' ' '\n' <<<"$1" | sort) <(tr ' ' '\n' <<<"$2" | sort) | awk 'NF' | wc -l)
  ended=$(comm -23 <(tr ' ' '\n' <<<"$1" | sort) <(tr ' ' '\n' <<<"$2" | sort) | awk 'NF' | wc -l)
  echo "   database processes: $(wc -w <<<"$2") at the end; $started started and $ended ended in the window"
}

# bench_pg_note LABEL V BEFORE AFTER RESULTS PG_RESULTS: the database's CPU ms per turn over the measured window just
# run (its turns/s is RESULTS' last row), appended to PG_RESULTS and printed.
bench_pg_note() {
  local rate
  rate=$(tail -1 "$5" | cut -f3)
  awk -v l="$1" -v v="$2" -v b="$3" -v a="$4" -v r="$rate" -v s="$seconds" \
    'BEGIN { printf "%s\t%s\t%.3f\n", l, v, (r > 0 ? 1000 * (a - b) / (r * s) : 0) }' >>"$6"
  echo "   database CPU: $(tail -1 "$6" | cut -f3) ms/turn"
}

# bench_ab_summary WHAT RESULTS PG_RESULTS: the mean of every measurement per label ("WHAT variant") and V, with the
# database's CPU per turn where there is one.
bench_ab_summary() {
  awk -F'\t' -v pgf="$3" -v what="$1 variant" '
    FILENAME == pgf { k = $1 "\t" $2; pn[k]++; pg[k] += $3; next }
    # A reading the probe could not take ("n/a": e.g. the GC changed its heap count mid-window) is left out of its
    # mean rather than counted as 0; the mean says how many rounds it has when some were left out.
    function num(v) { return v ~ /^-?[0-9]+(\.[0-9]+)?$/ }
    function mean(sum, count, total, format) {
      return count == 0 ? "n/a" : sprintf(format, sum / count) (count < total ? sprintf(" (%d of %d)", count, total) : "")
    }
    { k = $1 "\t" $2; n[k]++; t[k] += $3; p[k] += $4
      if (num($5)) { c[k] += $5; cn[k]++ }
      if (num($6)) { a[k] += $6; an[k]++ }
      if (!(k in seen)) { seen[k] = 1; order[++m] = k } }
    END {
      printf "| %-32s | %3s | %9s | %7s | %7s | %8s | %9s |\n", what, "V", "turns/s", "p95 ms", "cpu ms", "KB/turn", "db cpu ms"
      print "|---|---:|---:|---:|---:|---:|---:|"
      for (i = 1; i <= m; i++) { k = order[i]; split(k, f, "\t")
        printf "| %-32s | %3s | %9.1f | %7.1f | %7s | %8s | %9s |\n", f[1], f[2], t[k]/n[k], p[k]/n[k], mean(c[k], cn[k], n[k], "%.3f"), mean(a[k], an[k], n[k], "%.1f"), (k in pn) ? sprintf("%.3f", pg[k]/pn[k]) : "" }
    }' "$3" "$2"
}
