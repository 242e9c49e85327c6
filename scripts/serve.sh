#!/usr/bin/env bash
# `make serve`: the production server. Checks the configuration, migrates (unless MIGRATE=0),
# collects static files, then runs gunicorn on HOST:PORT with WORKERS processes
# (default: 2 per CPU core + 1). Settings come from the environment: docs/deploy.md.
set -euo pipefail
cd "$(dirname "$0")/.."
host=${1:-127.0.0.1}
port=${2:-8000}
missing=()
for name in DATABASE_URL DJANGO_SECRET_KEY DJANGO_ALLOWED_HOSTS; do
  [ -n "${!name:-}" ] || missing+=("$name")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "make serve: set ${missing[*]} in the environment (see docs/deploy.md)." >&2
  exit 2
fi
case "$(printf '%s' "${DJANGO_DEBUG:-0}" | tr '[:upper:]' '[:lower:]')" in
  0 | false | no | off) ;;
  *) echo "make serve: DJANGO_DEBUG must be off in production." >&2; exit 2 ;;
esac
export DJANGO_DEBUG=0
.venv/bin/python manage.py check --deploy
if [ "${MIGRATE:-1}" = 1 ]; then
  .venv/bin/python manage.py migrate --no-input
fi
.venv/bin/python manage.py collectstatic --no-input --verbosity 0
workers=${WORKERS:-$(($(nproc) * 2 + 1))}
export CLAIMS_LOAD_MODELS_AT_START=${CLAIMS_LOAD_MODELS_AT_START:-1}
# --preload: the app loads once, with spaCy and the projects' active models (annotator/wsgi.py
# loads them when CLAIMS_LOAD_MODELS_AT_START is 1), before the workers fork; a configuration
# error stops the start with one clear message. No control socket (systemd or the shell runs
# the server; a second server of the same user would take over the first one's socket).
exec .venv/bin/gunicorn annotator.wsgi \
  --bind "$host:$port" --workers "$workers" --preload \
  --timeout "${GUNICORN_TIMEOUT:-120}" --graceful-timeout 30 \
  --max-requests 2000 --max-requests-jitter 200 \
  --forwarded-allow-ips "${FORWARDED_ALLOW_IPS:-127.0.0.1,::1}" --no-control-socket \
  --access-logfile - --error-logfile -
