#!/usr/bin/env bash
# Refresh the vendored Swagger UI and ReDoc files that anjian serves under /schema/assets/
# (core/http/static/): intranet browsers cannot reach a CDN, so the API docs ship with the server.
#
#   scripts/refresh-openapi-assets.sh                 # the pinned versions below
#   scripts/refresh-openapi-assets.sh 5.36.0 2.5.4    # other versions (then update the pins here)
#
# Needs npm (it only downloads the packages' tarballs: `npm pack`, nothing is installed).
set -euo pipefail

SWAGGER_UI_VERSION="${1:-5.35.0}"
REDOC_VERSION="${2:-2.5.2}"

here="$(cd "$(dirname "$0")/.." && pwd)"
static="$here/core/http/static"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$work"
npm pack --silent "swagger-ui-dist@$SWAGGER_UI_VERSION" "redoc@$REDOC_VERSION" >/dev/null
mkdir swagger redoc
tar -xzf "swagger-ui-dist-$SWAGGER_UI_VERSION.tgz" -C swagger
tar -xzf "redoc-$REDOC_VERSION.tgz" -C redoc

rm -rf "$static/swagger-ui" "$static/redoc"
mkdir -p "$static/swagger-ui" "$static/redoc"
for file in swagger-ui-bundle.js swagger-ui-bundle.js.LICENSE.txt swagger-ui-standalone-preset.js \
            swagger-ui-standalone-preset.js.LICENSE.txt swagger-ui.css LICENSE NOTICE; do
  cp "swagger/package/$file" "$static/swagger-ui/"
done
for file in bundles/redoc.standalone.js bundles/redoc.standalone.js.LICENSE.txt LICENSE; do
  cp "redoc/package/$file" "$static/redoc/"
done
# Source maps are not shipped: drop the references so browsers' developer tools do not ask for them.
sed -i '/^\/\/# sourceMappingURL=/d' "$static"/swagger-ui/*.js "$static"/redoc/*.js
sed -i 's#/\*\# sourceMappingURL=.*\*/##' "$static"/swagger-ui/swagger-ui.css

printf 'swagger-ui-dist %s\nredoc %s\n' "$SWAGGER_UI_VERSION" "$REDOC_VERSION" > "$static/VERSIONS.txt"
echo "vendored swagger-ui-dist $SWAGGER_UI_VERSION and redoc $REDOC_VERSION into $static"
