#!/usr/bin/env bash
# Run the test suite; "no tests collected" (exit 5) is a failure of the set-up, not a pass.
set -u
cd "$(dirname "$0")/.."
echo "== pytest on ${DATABASE_URL%%:*}"
.venv/bin/pytest "$@"
status=$?
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests: treating as a failure" >&2
  exit 1
fi
exit "$status"
