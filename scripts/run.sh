#!/usr/bin/env bash
# Install remission and start the app on http://127.0.0.1:8501 (see README to serve on a network).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/venv.sh requirements.txt
exec .venv/bin/streamlit run app.py "$@"
