#!/usr/bin/env bash
# `make test`: the suite on SQLite and on a throwaway PostgreSQL at the same time (one core
# each: the suite is one process, and each run has its own database and ports). Each run's
# output is kept apart and shown when both are done; either failing fails the whole. A test
# that never touches the database does the same work on both, so each run takes half of those;
# each browser test also runs on one of the two (the pages' database work is the API's, whose
# tests run on both).
set -u
cd "$(dirname "$0")/.."
export DJANGO_ALLOW_ASYNC_UNSAFE=true  # the browser tests call the ORM from Playwright's loop
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
DATABASE_URL=sqlite:///:memory: scripts/pytest.sh --database-independent-share 1/2 >"$logs/sqlite" 2>&1 &
sqlite=$!
scripts/with-postgres.sh scripts/pytest.sh --database-independent-share 2/2 >"$logs/postgres" 2>&1 &
postgres=$!
wait "$sqlite"
sqlite_status=$?
wait "$postgres"
postgres_status=$?
cat "$logs/sqlite" "$logs/postgres"
echo "sqlite: exit $sqlite_status, postgres: exit $postgres_status"
[ "$sqlite_status" -eq 0 ] && [ "$postgres_status" -eq 0 ]
