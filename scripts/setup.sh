#!/usr/bin/env bash
# Creates .venv with the locked dependencies and the engine installed in editable mode.
# Idempotent: a second run only installs what changed.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3
"$PYTHON" -c 'import sys; assert sys.version_info[:2] in ((3, 11), (3, 12)), sys.version' \
  || { echo "setup: Python 3.11 or 3.12 is required" >&2; exit 1; }

if ! command -v uv >/dev/null 2>&1; then
  "$PYTHON" -m pip install --quiet --disable-pip-version-check "uv>=0.5"
fi

[ -x .venv/bin/python ] || uv venv --quiet --python "$PYTHON" .venv
export VIRTUAL_ENV="$PWD/.venv"
uv pip install --quiet -r requirements.lock
uv pip install --quiet --no-deps -e .
