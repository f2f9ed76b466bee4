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
