# The desktop app and its Linux packages, sourced by scripts/build-app.sh and scripts/test.sh
# after setup-env.sh (which built the client and installed the package with the build tools).
# Output in dist/: vidjil-local/ (the one-folder app), the .deb and the portable .tar.gz.

build_app() {
  echo "== building the desktop app (PyInstaller, build.spec -> dist/vidjil-local)"
  local started=$SECONDS
  rm -rf dist/vidjil-local
  .venv/bin/pyinstaller --noconfirm --log-level WARN build.spec
  echo "built in $((SECONDS - started)) s: $(du -sh dist/vidjil-local | cut -f1) ($(dist/vidjil-local/vidjil-local --version))"
}

app_version() {
  .venv/bin/python -c 'import vidjil_local; print(vidjil_local.__version__)'
}

build_linux_packages() {
  echo "== packaging for Linux (.deb, portable .tar.gz)"
  local version started=$SECONDS package
  version="$(app_version)"
  rm -f dist/vidjil-local_*.deb dist/vidjil-local-*-linux-*.tar.gz
  for package in \
    "$(bash installer/linux/build-deb.sh dist/vidjil-local build/icons "$version" dist)" \
    "$(bash installer/linux/build-tarball.sh dist/vidjil-local build/icons "$version" dist)"; do
    echo "$package: $(du -h "$package" | cut -f1)"
  done
  echo "packaged in $((SECONDS - started)) s"
}
