#!/usr/bin/env bash
# Install vidjil-local into .venv and start it on its embedded defaults (SQLite in the user data
# dir, in-app workers). Extra arguments go to `vidjil-local` (e.g. `serve --port 8080`).
source "$(dirname "$0")/setup-env.sh"
install_package ""
exec .venv/bin/vidjil-local "$@"
