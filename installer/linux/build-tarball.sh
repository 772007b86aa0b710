#!/usr/bin/env bash
# The portable Linux archive, for a computer where you are not root: the same one-folder app as the
# .deb, plus `install-desktop-entry.sh` to add it to your own applications menu.
#
#   installer/linux/build-tarball.sh APP_DIR ICON_DIR VERSION OUTPUT_DIR
#     -> OUTPUT_DIR/vidjil-local-VERSION-linux-MACHINE.tar.gz holding vidjil-local-VERSION/
set -euo pipefail
app_dir="$(cd "$1" && pwd)"; icon_dir="$2"; version="$3"; output_dir="$4"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
name="vidjil-local-$version"
staging="$(mktemp -d)"
trap 'rm -rf "$staging"' EXIT

cp -a "$app_dir" "$staging/$name"
install -d "$staging/$name/desktop"
install -m 0644 "$here/vidjil-local.desktop" "$icon_dir/vidjil-local-256.png" \
  "$icon_dir/vidjil-local.svg" "$staging/$name/desktop/"
install -m 0755 "$here/install-desktop-entry.sh" "$staging/$name/"
chmod -R u=rwX,go=rX "$staging/$name"
mkdir -p "$output_dir"
archive="$(cd "$output_dir" && pwd)/$name-linux-$(uname -m).tar.gz"
tar -C "$staging" --owner=0 --group=0 -cf - "$name" | gzip -6 > "$archive"
echo "$archive"
