#!/usr/bin/env bash
# Start a throwaway PostgreSQL server on 127.0.0.1 in a temp directory, run the given command
# with DATABASE_URL pointing at it, and always stop the server and delete its files.
# Without PostgreSQL binaries it says so and exits 0 (SQLite-only), except under CI=true.
set -eu
PG_BIN=${PG_BIN:-}
for candidate in "$PG_BIN" /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
  if [ -n "$candidate" ] && [ -x "$candidate/initdb" ]; then PG_BIN=$candidate; break; fi
done
if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
  if [ "${CI:-}" = "true" ]; then
    echo "PostgreSQL binaries (initdb, pg_ctl) not found; CI requires them" >&2
    exit 1
  fi
  echo "PostgreSQL binaries not found: skipping the PostgreSQL run (SQLite only)." >&2
  exit 0
fi

as_owner=()
if [ "$(id -u)" = 0 ]; then
  as_owner=(runuser -u postgres --)  # initdb refuses to run as root
fi
workdir=$(mktemp -d "${TMPDIR:-/tmp}/claims-pg.XXXXXX")
[ "$(id -u)" = 0 ] && chown postgres "$workdir"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

stop() {
  "${as_owner[@]}" "$PG_BIN/pg_ctl" -D "$workdir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$workdir"
}
trap stop EXIT INT TERM

"${as_owner[@]}" "$PG_BIN/initdb" -D "$workdir/data" -U claims --auth=trust -E UTF8 \
  --locale=C.UTF-8 >"$workdir/initdb.log" 2>&1 || { cat "$workdir/initdb.log" >&2; exit 1; }
"${as_owner[@]}" "$PG_BIN/pg_ctl" -D "$workdir/data" -l "$workdir/server.log" -w -o \
  "-h 127.0.0.1 -p $port -k $workdir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null || { cat "$workdir/server.log" >&2; exit 1; }

DATABASE_URL="postgres://claims@127.0.0.1:$port/postgres" "$@"
