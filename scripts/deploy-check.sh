#!/usr/bin/env bash
# Replay docs/deploy.md and docs/operations.md on this Debian 12 machine, as root: a PostgreSQL
# 15 cluster, two app servers and a worker as the user `claims`, Debian's nginx with TLS, then a
# login through the proxy, forged headers, backups and restores, a key rotation under a
# signed-in user. Everything runs on loopback in a scratch directory (/tmp/claims-deploy-check.*)
# and is removed at the end: its processes, files, and the user `claims` if it made it (a user
# that exists is reused). Missing Debian packages are installed first (their services are not
# started). Takes 7 to 14 minutes. Options: --keep (keep the scratch directory).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" != 0 ]; then
  echo "deploy-check: run it as root (the documents' commands are root's)." >&2
  exit 2
fi
# The packages step 1 of docs/deploy.md names, and openssl for the test certificate.
read -r -a need <<<"$(PYTHONPATH=scripts /usr/bin/python3 -m deploy_check --missing-packages)"
command -v openssl >/dev/null || need+=(openssl)
if [ ${#need[@]} -gt 0 ]; then
  echo "deploy-check: installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # A package's service is not started (the check runs its own, on its own ports).
  made_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d
    made_policy=1
  fi
  trap '[ "$made_policy" = 1 ] && rm -f /usr/sbin/policy-rc.d' EXIT
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
PYTHONPATH=scripts exec /usr/bin/python3 -m deploy_check "$@"
