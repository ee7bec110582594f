# Sourced by run.sh and check.sh: make .venv and install a requirements file into it.
# Usage: source scripts/venv.sh requirements.txt
requirements="$1"
if [ ! -x .venv/bin/python ]; then
  if ! python3 -m venv .venv 2>/dev/null; then
    # Debian ships venv support separately.
    rm -rf .venv
    apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
    python3 -m venv .venv
  fi
fi
# uv installs this stack in seconds; fall back to pip if it cannot be had.
if .venv/bin/python -m pip install -q --disable-pip-version-check uv 2>/dev/null; then
  .venv/bin/python -m uv pip install -q -p .venv/bin/python -r "$requirements" -e .
else
  .venv/bin/python -m pip install -q --disable-pip-version-check -r "$requirements" -e .
fi
# Compile the installed packages once (about 8 s the first time, 2 s after): where
# PYTHONDONTWRITEBYTECODE is set, Python would otherwise recompile Streamlit and pandas
# in every new process, and starting the app or the command line takes 3 s, not 1 s.
.venv/bin/python -m compileall -q -j 0 remission app_pages \
  "$(.venv/bin/python -c 'import sysconfig; print(sysconfig.get_path("purelib"))')" >/dev/null \
  || echo "note: some installed files could not be compiled; Python compiles them when used"
