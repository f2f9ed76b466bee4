"""The office console's routes: its pages at ``/``, its static files at ``/static/``, and the shared
design system at ``/design/`` (``web/design/anjian.css``, for the field app too).

The pages opt out of the API's bearer tokens (``exclude_from_auth``) and name their user through
the session cookie instead: the ``principal`` dependency is replaced, for these routes only, by
``web.console.session.principal_of`` — so a page handler reads exactly like an API handler and calls
the same services with the same ``Principal``. Cookies are never accepted on ``/api/`` routes.
Every page route is marked ``console`` (``CONSOLE_OPT``): the authorization matrix of the console
(tests/web/console/test_console_matrix.py) covers exactly these, the API's matrix the rest.
"""

from __future__ import annotations

from pathlib import Path

from litestar import Request
from litestar.datastructures import CacheControlHeader
from litestar.di import Provide
from litestar.router import Router
from litestar.static_files import create_static_files_router

from core.access.scope import Principal
from core.context import Context
from web.console.errors import EXCEPTION_HANDLERS
from web.console.pages import (
    auth,
    checklists,
    documents,
    dual_prevention,
    dual_prevention_checks,
    dual_prevention_reports,
    enterprises,
    evaluations,
    files,
    hazards,
    inspections,
    plans,
    reports,
    risk_register,
    risk_register_points,
    system,
    workbench,
)
from web.console.protection import add_security_headers, refuse_without_csrf
from web.console.session import principal_of

CONSOLE_OPT = "console"
STATIC_DIR = Path(__file__).resolve().parent / "static"
DESIGN_DIR = Path(__file__).resolve().parents[1] / "design"
_OPT = {"exclude_from_auth": True, CONSOLE_OPT: True}


async def provide_console_principal(request: Request, ctx: Context) -> Principal:
    """The signed-in user of a console request (``LoginRequired`` sends the browser to the login page)."""
    return await principal_of(ctx, request)


def console_router() -> Router:
    """The console's pages."""
    return Router(
        path="/",
        route_handlers=[
            *auth.ROUTES, *workbench.ROUTES, *enterprises.ROUTES, *hazards.ROUTES, *inspections.ROUTES, *files.ROUTES,
            *plans.ROUTES, *documents.ROUTES, *checklists.ROUTES, *evaluations.ROUTES, *reports.ROUTES, *system.ROUTES,
            *risk_register.ROUTES, *risk_register_points.ROUTES,
            *dual_prevention.ROUTES, *dual_prevention_checks.ROUTES, *dual_prevention_reports.ROUTES,
        ],
        dependencies={"principal": Provide(provide_console_principal)},
        exception_handlers=EXCEPTION_HANDLERS,
        before_request=refuse_without_csrf,
        after_request=add_security_headers,
        opt=_OPT,
        include_in_schema=False,
    )


def _static(path: str, directory: Path, name: str) -> Router:
    # Revalidated on every use (ETag): a new release's CSS and scripts are seen at once.
    return create_static_files_router(
        path=path, directories=[directory], name=name, cache_control=CacheControlHeader(no_cache=True), opt=dict(_OPT), include_in_schema=False,
    )


ROUTES = [console_router(), _static("/static", STATIC_DIR, "console_static"), _static("/design", DESIGN_DIR, "design")]
