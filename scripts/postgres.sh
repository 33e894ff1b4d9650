#!/usr/bin/env bash
# A throw-away PostgreSQL for the tests, entirely under .pg/ in the repository (no system service).
#   scripts/postgres.sh start   -> prints the connection string on stdout
#   scripts/postgres.sh stop
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD/.pg
# Each checkout gets its own port (derived from its path) so that two checkouts can test side by side.
port=${ARIABOT_PG_PORT:-$((55432 + $(printf '%s' "$PWD" | cksum | cut -d' ' -f1) % 500))}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$bin" ] || { echo "PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }

as_owner() {
  # initdb and pg_ctl refuse to run as root; run them as the postgres user when we are root.
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi
}

case "${1:-}" in
  start)
    mkdir -p "$root"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$root"
    if [ ! -f "$root/data/PG_VERSION" ]; then
      as_owner "$bin/initdb -D '$root/data' -U postgres --auth=trust -E UTF8 --locale=C.UTF-8" >"$root/initdb.log" 2>&1
    fi
    if ! as_owner "$bin/pg_ctl -D '$root/data' status" >/dev/null 2>&1; then
      as_owner "$bin/pg_ctl -D '$root/data' -l '$root/pg.log' -w -o \"-c listen_addresses=127.0.0.1 -p $port -k '$root' -c fsync=off -c synchronous_commit=off -c full_page_writes=off\" start" >/dev/null
    fi
    psql -h 127.0.0.1 -p "$port" -U postgres -tAc "select 1 from pg_database where datname='ariabot_test'" | grep -q 1 \
      || psql -h 127.0.0.1 -p "$port" -U postgres -qc "create database ariabot_test" >/dev/null
    echo "Host=127.0.0.1;Port=$port;Username=postgres;Database=ariabot_test;Pooling=true"
    ;;
  stop)
    [ -f "$root/data/PG_VERSION" ] && as_owner "$bin/pg_ctl -D '$root/data' -m fast stop" >/dev/null 2>&1 || true
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
