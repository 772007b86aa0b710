# Shared by scripts/run.sh and scripts/test.sh (sourced, not run): checks the system, makes
# .venv, builds the browser client and installs vidjil-local into .venv (core compiled by mypyc
# when a C compiler works, interpreted otherwise).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3}"

need_apt=()
"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null \
  || { echo "vidjil-local needs Python 3.11 or newer ($PYTHON)"; exit 1; }
"$PYTHON" -c 'import ensurepip, venv' 2>/dev/null || need_apt+=(python3-venv)
command -v npm >/dev/null || need_apt+=(nodejs npm)
command -v cc >/dev/null || need_apt+=(build-essential)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}"
  elif command -v sudo >/dev/null && command -v apt-get >/dev/null; then
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}"
  else
    echo "Please install: ${need_apt[*]}"; exit 1
  fi
fi

[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip

echo "== building the browser client (frontend/ -> src/vidjil_local/static/app)"
(cd frontend && npm ci --no-audit --no-fund --loglevel=error && npm run build --silent)

install_package() {  # $1: extras, e.g. "[test]" or ""
  echo "== installing vidjil-local$1 into .venv"
  # setuptools copies the sources into build/lib.* without removing what is gone from src/: a
  # module moved away would still be installed (and frozen) from an earlier build
  rm -rf build/lib.* build/bdist.*
  .venv/bin/python -m pip install -q ".$1"
}
