#!/bin/sh
# Put vidjil-local in this user's applications menu, for the portable folder (no root needed): a
# desktop entry that starts the program in this folder, and its icon. `--remove` takes both away
# again. Neither touches the data folder (${XDG_DATA_HOME:-~/.local/share}/vidjil-local).
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
share="${XDG_DATA_HOME:-$HOME/.local/share}"
entry="$share/applications/vidjil-local.desktop"
icon="$share/icons/hicolor/256x256/apps/vidjil-local.png"

if [ "${1:-}" = "--remove" ]; then
  rm -f "$entry" "$icon"
  echo "removed $entry"
  exit 0
fi
case "$here" in
  *[\"\`\$\\]*) echo "move this folder to a path without \" \` \$ or \\ first" >&2; exit 1 ;;
esac
mkdir -p "$(dirname "$entry")" "$(dirname "$icon")"
cp "$here/desktop/vidjil-local-256.png" "$icon"
sed "s|@EXEC@|\"$here/vidjil-local\"|" "$here/desktop/vidjil-local.desktop" > "$entry"
command -v update-desktop-database >/dev/null && update-desktop-database -q "$share/applications" || true
echo "added $entry"
