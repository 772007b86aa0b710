#!/usr/bin/env bash
# On a Mac (macOS 11+, Xcode command line tools for the C compiler, Python 3.11+, Node.js 20+), from
# the repository root:
#     bash installer/macos/build-dmg.sh
#         -> dist/vidjil-local.app and dist/vidjil-local-VERSION-macos-ARCH.dmg
# Build on each architecture you ship (arm64, x86_64): the compiled core is native code.
# With APPLE_SIGN_IDENTITY ("Developer ID Application: ...") the app is signed for distribution,
# and with APPLE_NOTARY_PROFILE (a `xcrun notarytool store-credentials` profile) notarized;
# without them it is signed ad hoc, which runs on the Mac that built it (others: right-click, Open).
# The lab's data is in ~/Library/Application Support/vidjil-local, outside the app: replacing
# the app in /Applications upgrades it in place and keeps the data.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/setup-env.sh            # .venv, the client built into the package
install_package "[build]"              # the package with its compiled core, and PyInstaller
.venv/bin/pyinstaller --noconfirm build.spec
app=dist/vidjil-local.app
version="$(.venv/bin/python -c 'import vidjil_local; print(vidjil_local.__version__)')"
codesign --force --deep --options runtime --sign "${APPLE_SIGN_IDENTITY:--}" "$app"
codesign --verify --deep --strict "$app"
.venv/bin/python installer/smoke_test.py "$app/Contents/MacOS/vidjil-local" tests/data/lab/diagnosis.fastq.gz
dmg="dist/vidjil-local-$version-macos-$(uname -m).dmg"
staging="$(mktemp -d)"
cp -R "$app" "$staging/"
ln -s /Applications "$staging/Applications"   # drag the app onto it to install
hdiutil create -volname "vidjil-local $version" -srcfolder "$staging" -ov -format UDZO "$dmg"
rm -rf "$staging"
if [ -n "${APPLE_NOTARY_PROFILE:-}" ]; then
  xcrun notarytool submit "$dmg" --keychain-profile "$APPLE_NOTARY_PROFILE" --wait
  xcrun stapler staple "$dmg"
fi
echo "$dmg"
