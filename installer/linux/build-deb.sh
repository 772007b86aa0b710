#!/usr/bin/env bash
# The Debian package of the one-folder app: the program under /opt/vidjil-local, the
# `vidjil-local` command, a desktop entry and its icon. No maintainer scripts: the lab's data lives
# in each user's data folder (~/.local/share/vidjil-local), which installing, upgrading, removing
# or purging the package never touches; the desktop and icon caches are refreshed by the dpkg
# triggers of desktop-file-utils and the icon theme.
#
#   installer/linux/build-deb.sh APP_DIR ICON_DIR VERSION OUTPUT_DIR   -> OUTPUT_DIR/vidjil-local_VERSION_ARCH.deb
set -euo pipefail
app_dir="$(cd "$1" && pwd)"; icon_dir="$2"; version="$3"; output_dir="$4"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
arch="$(dpkg --print-architecture)"
root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT

install -d "$root/opt" "$root/usr/bin" "$root/usr/share/applications" "$root/DEBIAN" \
  "$root/usr/share/doc/vidjil-local" "$root/usr/share/icons/hicolor/scalable/apps"
cp -a "$app_dir" "$root/opt/vidjil-local"
ln -s /opt/vidjil-local/vidjil-local "$root/usr/bin/vidjil-local"
sed 's|@EXEC@|/opt/vidjil-local/vidjil-local|' "$here/vidjil-local.desktop" \
  > "$root/usr/share/applications/vidjil-local.desktop"
install -m 0644 "$icon_dir/vidjil-local.svg" "$root/usr/share/icons/hicolor/scalable/apps/"
for size in 16 32 48 64 128 256 512; do
  install -D -m 0644 "$icon_dir/vidjil-local-$size.png" \
    "$root/usr/share/icons/hicolor/${size}x${size}/apps/vidjil-local.png"
done
install -m 0644 "$here/copyright" "$root/usr/share/doc/vidjil-local/copyright"

# The newest C library symbol any bundled binary needs: the only system library the build relies on.
glibc="$(find "$root/opt/vidjil-local" -type f \( -name '*.so*' -o -name vidjil-local \) \
  -exec objdump -T {} + 2>/dev/null | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -V | tail -1)"
size_kb="$(du -sk --exclude=DEBIAN "$root" | cut -f1)"
sed -e "s|@VERSION@|$version|" -e "s|@ARCH@|$arch|" -e "s|@GLIBC@|$glibc|" -e "s|@SIZE@|$size_kb|" \
  "$here/control" > "$root/DEBIAN/control"

chmod -R u=rwX,go=rX "$root"
mkdir -p "$output_dir"
deb="$output_dir/vidjil-local_${version}_${arch}.deb"
# xz -6 is Debian's default; -1 is 3x faster to make, 10% bigger, as fast to install
dpkg-deb --root-owner-group -Zxz -z1 --build "$root" "$deb" >/dev/null
echo "$deb"
