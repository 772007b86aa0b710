#!/usr/bin/env bash
# Install vidjil-local with its test tools into .venv and run the whole test suite: linters,
# type checks, the import contracts, then pytest on the compiled core and again on the
# interpreted core (the same core tests), then build the desktop app and its Linux packages and
# test them as installed (tests/frozen).
source "$(dirname "$0")/setup-env.sh"
install_package "[test,build]"

python_trees=(src tests scripts installer)
[ -d benchmarks ] && python_trees+=(benchmarks)
echo "== ruff"
.venv/bin/ruff check "${python_trees[@]}"
.venv/bin/ruff format --check "${python_trees[@]}"
echo "== mypy --strict"
.venv/bin/mypy --strict src/vidjil_local tests scripts benchmarks installer
echo "== client unit tests (vitest)"
(cd frontend && npm test --silent)
echo "== import contracts"
PYTHONPATH=src .venv/bin/lint-imports

# pytest caches its assertion rewrites (test modules, and the pytest plugins of hypothesis,
# schemathesis, Faker, anyio) as .pyc files when Python may write bytecode: each later pytest
# process (three steps, and each test worker) then reads them instead of parsing and compiling
# some 330 modules again (2-3 s of CPU each time, 8 s on a busy machine)
pytest=(env -u PYTHONDONTWRITEBYTECODE .venv/bin/python -m pytest -p no:cacheprovider)
# The tests run in two worker processes (pytest-xdist), each taking a whole test file at a time
# (module fixtures are built once): many tests wait on child processes, servers or Chromium
# rather than use a core, and one pytest process uses at most one core for the rest.
parallel=(-n 2 --dist loadfile)
expected=interpreted
.venv/bin/python -c 'import vidjil_local.core as c, sys; sys.exit(not c.is_compiled())' && expected=compiled
echo "== pytest, installed package (core: $expected)"
VIDJIL_EXPECT_CORE=$expected "${pytest[@]}" "${parallel[@]}" tests --ignore=tests/frozen
echo "== pytest, interpreted core from src/ (core, pipeline and golden tests)"
core_tests=()
for folder in tests/unit tests/golden; do [ -d "$folder" ] && core_tests+=("$folder"); done
PYTHONPATH=src VIDJIL_EXPECT_CORE=interpreted "${pytest[@]}" "${parallel[@]}" "${core_tests[@]}"
if [ "$(uname -s)" = Linux ]; then
  source scripts/packaging.sh
  build_app
  build_linux_packages
  echo "== pytest, the desktop app as built and installed (tests/frozen)"
  # The package is installed system-wide (dpkg -i): two checkouts testing on one machine take
  # turns, or one would remove the package under the other's tests.
  exec 9>/tmp/vidjil-local-frozen-tests.lock
  command -v flock >/dev/null && flock 9
  "${pytest[@]}" tests/frozen
fi
