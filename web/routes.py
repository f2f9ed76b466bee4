"""Serving the field app: ``web/app/`` at ``/app/`` with litestar's static files, no token needed;
and the office console (``web.console``: its pages at ``/``, its files at ``/static/``, the shared
design system at ``/design/``).

Every file is sent with ``Cache-Control: no-cache`` (the browser revalidates by ETag each time):
the service worker keeps the offline copy, so the HTTP cache must never hold an old service worker
script or an old module next to a new one. ``/app`` (no slash) redirects to ``/app/``: relative
module URLs and the service worker's scope (``/app/``) only work under the slash.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

from litestar import Request, Response
from litestar.datastructures import CacheControlHeader
from litestar.response import Redirect
from litestar.router import Router
from litestar.static_files import create_static_files_router

from web.console.router import ROUTES as CONSOLE_ROUTES

APP_DIR = Path(__file__).resolve().parent / "app"
MOUNT = "/app"

# Module scripts need a JavaScript type and the manifest its own; the platform's table may lack them.
mimetypes.add_type("text/javascript", ".js")
mimetypes.add_type("application/manifest+json", ".webmanifest")


async def _slash(request: Request) -> Response | None:
    """``/app`` → ``/app/`` (litestar routes both to the index; only the second is in scope)."""
    if (request.scope.get("raw_path") or request.scope["path"].encode()).split(b"?", 1)[0] == MOUNT.encode():
        query = request.scope.get("query_string", b"").decode("latin-1")
        return Redirect(f"{MOUNT}/" + (f"?{query}" if query else ""), status_code=308)
    return None


def field_app_router(app_dir: Path = APP_DIR) -> Router:
    """The static files of the field app from ``app_dir`` (tests serve a copy they can change)."""
    return create_static_files_router(
        path=MOUNT, directories=[app_dir], html_mode=True, name="field_app", before_request=_slash,
        cache_control=CacheControlHeader(no_cache=True), opt={"exclude_from_auth": True}, include_in_schema=False,
    )


ROUTES = [field_app_router(), *CONSOLE_ROUTES]
