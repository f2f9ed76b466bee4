#!/usr/bin/env bash
# Refresh the browser libraries the office console vendors (web/console/static/vendor/): intranet
# browsers cannot reach a CDN and the console has no build step, so the files ship with the server.
#
#   scripts/refresh_vendor.sh            # the pinned version below
#   scripts/refresh_vendor.sh 2.0.12     # another version (then update the pin here and in docs/console.md)
#
# htmx stays on its 2.x line: 4.x changed attribute inheritance and the request model the console's
# templates rely on. Needs npm (it only downloads the package's tarball: `npm pack`, nothing is
# installed). The API docs' Swagger UI and ReDoc have their own script: scripts/refresh-openapi-assets.sh.
set -euo pipefail

HTMX_VERSION="${1:-2.0.11}"
# The field app's QR decoder (安全码 scanning, web/app/js/logic/safety-code.js): jsQR, Apache-2.0.
JSQR_VERSION="${JSQR_VERSION:-1.4.0}"

here="$(cd "$(dirname "$0")/.." && pwd)"
vendor="$here/web/console/static/vendor"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$work"
npm pack --silent "htmx.org@$HTMX_VERSION" >/dev/null
mkdir htmx
tar -xzf "htmx.org-$HTMX_VERSION.tgz" -C htmx

mkdir -p "$vendor"
rm -f "$vendor/htmx.min.js" "$vendor/htmx.LICENSE"
cp htmx/package/dist/htmx.min.js "$vendor/htmx.min.js"
cp htmx/package/LICENSE "$vendor/htmx.LICENSE"
# No source maps are shipped: drop a reference so browsers' developer tools do not ask for one.
sed -i '/^\/\/# sourceMappingURL=/d' "$vendor/htmx.min.js"

printf 'htmx.org %s\n' "$HTMX_VERSION" > "$vendor/VERSIONS.txt"
echo "vendored htmx.org $HTMX_VERSION into $vendor"

app_vendor="$here/web/app/vendor"
npm pack --silent "jsqr@$JSQR_VERSION" >/dev/null
mkdir jsqr
tar -xzf "jsqr-$JSQR_VERSION.tgz" -C jsqr
mkdir -p "$app_vendor"
cp jsqr/package/dist/jsQR.js "$app_vendor/jsQR.js"
cp jsqr/package/LICENSE "$app_vendor/jsQR.LICENSE"
sed -i '/^\/\/# sourceMappingURL=/d' "$app_vendor/jsQR.js"
printf 'jsqr %s\n' "$JSQR_VERSION" > "$app_vendor/VERSIONS.txt"
echo "vendored jsqr $JSQR_VERSION into $app_vendor"
