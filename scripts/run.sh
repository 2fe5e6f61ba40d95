#!/usr/bin/env bash
# The one run command: sets up .venv, writes .env from .env.example on first run (embedded defaults:
# SQLite, disk cache, in-process jobs; dev API key "dev-key-change-me"), migrates and serves on :8001.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
[ -f .env ] || cp .env.example .env
exec .venv/bin/englivo serve "$@"
