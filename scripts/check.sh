#!/usr/bin/env bash
# Install everything the checks need, then run them all: format, lint, types, tests
# (doctests, properties, app tests and the real-browser test). Stops at the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x /usr/bin/chromium ]; then
  echo "Installing Debian's chromium for the browser test..."
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
source scripts/venv.sh requirements-dev.txt
echo "== ruff format"; .venv/bin/ruff format --check .
echo "== ruff check";  .venv/bin/ruff check .
echo "== mypy";        .venv/bin/mypy
echo "== pytest";      .venv/bin/python -m pytest "$@"
