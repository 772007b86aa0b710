#!/usr/bin/env bash
# Build the desktop app from this checkout into dist/: the one-folder app (PyInstaller, build.spec)
# and, on Linux, its .deb and portable .tar.gz. Windows and macOS: see installer/README.md.
source "$(dirname "$0")/setup-env.sh"
install_package "[build]"
source scripts/packaging.sh
build_app
[ "$(uname -s)" = Linux ] && command -v dpkg-deb >/dev/null && build_linux_packages
ls -1d dist/*
