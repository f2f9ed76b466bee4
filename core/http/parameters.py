"""NUL characters in query and path parameters, refused before any handler runs.

A middleware sees every routed request with its path parameters already parsed
(``scope["path_params"]``) and the raw query string, so one check covers every route. The usual
request holds no ``%00`` and no NUL in its path: two substring tests, then nothing.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send

from core.http.nul import NUL, escape_nul, nul_refused


def nul_parameter(scope: Scope) -> str | None:
    """The name of the first query or path parameter holding U+0000, or None."""
    query = scope.get("query_string", b"")
    if b"%00" in query or b"\x00" in query:
        for name, value in parse_qsl(query.decode("latin-1"), keep_blank_values=True, encoding="utf-8", errors="replace"):
            if NUL in name or NUL in value:
                return escape_nul(name)
    if NUL in scope.get("path", ""):
        for name, value in (scope.get("path_params") or {}).items():
            if isinstance(value, str) and NUL in value:
                return name
        return "path"
    return None


class NulParameterGuard(ASGIMiddleware):
    """400 ``nul_character`` naming the parameter (PostgreSQL cannot compare or store U+0000)."""

    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        name = nul_parameter(scope)
        if name is not None:
            raise nul_refused(name)
        await next_app(scope, receive, send)


NUL_PARAMETER_GUARD = NulParameterGuard()
