#!/bin/sh
# The release archive from a built, smoke-tested bundle (Linux):
#   packaging/release.sh  ->  dist/TherapyDesktop-<version>-linux-x86_64.tar.gz, dist/INSTALL.txt,
#                              dist/SHA256SUMS
# The archive holds TherapyDesktop/ with INSTALL.txt, COPYING-NOTE.txt and THIRD-PARTY-NOTICES.txt at
# its top. Build first (scripts/bundle-smoke --force, or pyinstaller build.spec + packaging/smoke.sh).
set -eu
cd "$(dirname "$0")/.."
BUNDLE=dist/TherapyDesktop
[ -x "$BUNDLE/TherapyDesktop" ] || { echo "release: build the bundle first (pyinstaller build.spec)" >&2; exit 1; }
version=$(python3 -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
case "$(uname -m)" in x86_64|amd64) arch=x86_64 ;; aarch64|arm64) arch=aarch64 ;; *) arch=$(uname -m) ;; esac
name="TherapyDesktop-$version-linux-$arch"
sed "s/@VERSION@/$version/g" packaging/INSTALL.txt >"$BUNDLE/INSTALL.txt"
cp "$BUNDLE/INSTALL.txt" dist/INSTALL.txt
for notice in COPYING-NOTE.txt THIRD-PARTY-NOTICES.txt; do cp "$BUNDLE/_internal/$notice" "$BUNDLE/$notice"; done
# Same bytes for the same bundle: sorted names, no owner, the commit's time (or now, outside git).
stamp=$(git log -1 --format=%ct 2>/dev/null || date +%s)
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$stamp" -C dist -cf - TherapyDesktop \
    | gzip -n -6 >"dist/$name.tar.gz"
(cd dist && sha256sum "$name.tar.gz" >SHA256SUMS && sha256sum -c SHA256SUMS >/dev/null)
echo "release: dist/$name.tar.gz ($(du -h "dist/$name.tar.gz" | cut -f1)), dist/SHA256SUMS, dist/INSTALL.txt"
cat dist/SHA256SUMS
