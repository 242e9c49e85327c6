"""Replay docs/deploy.md and docs/operations.md on this Debian machine (scripts/deploy-check.sh)."""
