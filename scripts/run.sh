#!/usr/bin/env bash
# `make run`: Django's development server on HOST:PORT, and a job worker beside it.
# DEBUG is on only on a loopback address: its error pages show settings and requests to
# whoever sees them. On another address DEBUG is off (then DJANGO_SECRET_KEY and
# DJANGO_ALLOWED_HOSTS are required), and DJANGO_DEBUG=1 there is refused.
set -euo pipefail
cd "$(dirname "$0")/.."
host=${1:-127.0.0.1}
port=${2:-8000}
# An address, not a prefix: "127.evil.com" is a name that may point anywhere.
if [[ $host =~ ^127\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}$ || $host =~ ^(localhost|::1|\[::1\])$ ]]; then
  loopback=1
else
  loopback=0
fi
case "$(printf '%s' "${DJANGO_DEBUG:-$loopback}" | tr '[:upper:]' '[:lower:]')" in
  1 | true | yes | on) debug=1 ;;
  *) debug=0 ;;
esac
if [ "$debug" = 1 ] && [ "$loopback" = 0 ]; then
  echo "make run: DJANGO_DEBUG=1 is refused on $host: debug pages show settings and requests" \
    "to anyone who can reach it. Serve on 127.0.0.1, or set DJANGO_DEBUG=0 (with" \
    "DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS); for production see docs/deploy.md." >&2
  exit 2
fi
export DJANGO_DEBUG=$debug
if [ "$debug" = 0 ]; then
  missing=()
  for name in DJANGO_SECRET_KEY DJANGO_ALLOWED_HOSTS; do
    [ -n "${!name:-}" ] || missing+=("$name")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "make run: serving on $host with DEBUG off needs ${missing[*]} in the environment" \
      "(see README, Configuration)." >&2
    exit 2
  fi
  .venv/bin/python manage.py collectstatic --no-input --verbosity 0
fi
# Lower priority: the server, which imports the same modules meanwhile, answers first.
nice -n 10 .venv/bin/python manage.py jobs_worker --no-startup-delay --verbosity 0 &
worker=$!
trap 'kill "$worker" 2>/dev/null || true' EXIT
.venv/bin/python manage.py runserver "$host:$port"
