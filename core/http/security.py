"""Bearer-token authentication for every route but the few marked ``exclude_from_auth``."""

from __future__ import annotations

from litestar.connection import ASGIConnection
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult, DefineMiddleware

from core.access.auth import authenticate
from core.errors import Unauthorized


class TokenAuthMiddleware(AbstractAuthenticationMiddleware):
    """Turns ``Authorization: Bearer …`` into a ``Principal`` on ``request.user``."""

    async def authenticate_request(self, connection: ASGIConnection) -> AuthenticationResult:
        header = connection.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthorized("missing bearer token", "缺少访问令牌，请先登录", code="missing_token")
        principal = await authenticate(connection.app.state.ctx, token.strip())
        return AuthenticationResult(user=principal, auth=token)


AUTH_MIDDLEWARE = DefineMiddleware(TokenAuthMiddleware, exclude=["^/schema"], exclude_from_auth_key="exclude_from_auth")
