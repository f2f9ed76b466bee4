"""The API documentation pages, from anjian's own files: Swagger UI and ReDoc work on an intranet.

Litestar's render plugins load their scripts from public CDNs, which a county's intranet does not
reach: the pages stayed blank. The pinned builds of ``swagger-ui-dist`` and ``redoc`` (npm) are
vendored in ``static/`` with their licences (``scripts/refresh-openapi-assets.sh`` refreshes them;
``static/VERSIONS.txt`` names the versions) and served at ``/schema/assets/``, no token needed.

``/schema`` and ``/schema/swagger``: Swagger UI; ``/schema/redoc``: ReDoc;
``/schema/openapi.json`` and ``/schema/openapi.yaml``: the document.
"""

from __future__ import annotations

from pathlib import Path

from litestar.datastructures import CacheControlHeader
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin, RedocRenderPlugin, SwaggerRenderPlugin, YamlRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme
from litestar.router import Router
from litestar.static_files import create_static_files_router

STATIC_DIR = Path(__file__).resolve().parent / "static"
SCHEMA_PATH = "/schema"
ASSETS = f"{SCHEMA_PATH}/assets"
_NO_FAVICON = "<link rel='icon' href='data:,'>"  # litestar's default icon comes from a CDN too


def openapi_config(*, title: str, version: str, description: str) -> OpenAPIConfig:
    """The document's metadata, the bearer scheme every operation needs unless it says otherwise,
    and the documentation pages on the vendored assets."""
    return OpenAPIConfig(
        title=title,
        version=version,
        description=description,
        path=SCHEMA_PATH,
        use_handler_docstrings=True,
        components=Components(security_schemes={"bearer": SecurityScheme(type="http", scheme="bearer", bearer_format="JWT")}),
        security=[{"bearer": []}],
        render_plugins=[
            SwaggerRenderPlugin(
                path=["/", "/swagger"], favicon=_NO_FAVICON,
                js_url=f"{ASSETS}/swagger-ui/swagger-ui-bundle.js",
                css_url=f"{ASSETS}/swagger-ui/swagger-ui.css",
                standalone_preset_js_url=f"{ASSETS}/swagger-ui/swagger-ui-standalone-preset.js",
            ),
            RedocRenderPlugin(path="/redoc", js_url=f"{ASSETS}/redoc/redoc.standalone.js", google_fonts=False, favicon=_NO_FAVICON),
            JsonRenderPlugin(),
            YamlRenderPlugin(),
        ],
    )


def assets_router(static_dir: Path = STATIC_DIR) -> Router:
    """The vendored files at ``/schema/assets/``; revalidated by ETag, so a refreshed copy is seen."""
    return create_static_files_router(
        path=ASSETS, directories=[static_dir], name="api_docs_assets", opt={"exclude_from_auth": True},
        include_in_schema=False, cache_control=CacheControlHeader(no_cache=True),
    )


ROUTES = [assets_router()]
