#!/usr/bin/env bash
# The one test command: sets up the environment, starts Redis and PostgreSQL where they are not
# running, installs headless Chromium where missing, then runs the linters, the type checker, the
# layer contracts and every test.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
# The grammar tagger's training test needs PyTorch and safetensors (the `train` extra, without the pretrained
# encoder package: the test builds a tiny encoder). pip takes torch 2.13.0's CPU build from this machine's disk.
if ! .venv/bin/python -c "import torch, safetensors" >/dev/null 2>&1; then
  uv pip install --python .venv/bin/python --quiet pip
  .venv/bin/python -m pip install --quiet --disable-pip-version-check torch==2.13.0 "safetensors>=0.4"
fi
bash scripts/services.sh
bash scripts/browser.sh
# Compose's own validator for docker-compose.yml (tests/unit/test_compose_file.py): Debian's docker-compose.
command -v docker-compose >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq --no-install-recommends docker-compose >/dev/null; }
if [ -f tests/node/package.json ]; then
  command -v node >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null; }
  (cd tests/node && npm ci --no-audit --no-fund --loglevel=error)
fi

PATH="$PWD/.venv/bin:$PATH"
echo "== ruff";          ruff check .
echo "== mypy";          mypy
echo "== import-linter"; lint-imports --no-cache
echo "== pytest";        pytest -q -p no:cacheprovider "$@"
