"""Login, token refresh, logout and "who am I"."""

from __future__ import annotations

from litestar import Controller, get, post

from core import auth
from core.context import Context
from core.scope import Principal
from core.user_service import get_user
from core.wire import LoginIn, RefreshIn, UserOut


class AuthController(Controller):
    path = "/api/v1/auth"
    tags = ["auth"]

    @post("/login", operation_id="login", opt={"exclude_from_auth": True}, status_code=200)
    async def login(self, ctx: Context, data: LoginIn) -> auth.TokenPair:
        """Exchange username and password (and a tablet's device id) for tokens."""
        return await auth.login(ctx, data.username, data.password, data.device_id, data.device_name)

    @post("/refresh", operation_id="refresh", opt={"exclude_from_auth": True}, status_code=200)
    async def refresh(self, ctx: Context, data: RefreshIn) -> auth.TokenPair:
        """Use up a refresh token for a new pair; reusing an old one revokes the whole login."""
        return await auth.refresh(ctx, data.refresh_token)

    @post("/logout", operation_id="logout", status_code=204)
    async def logout(self, ctx: Context, principal: Principal) -> None:
        """End this login: its tokens stop working at once."""
        await auth.logout(ctx, principal)

    @get("/me", operation_id="me")
    async def me(self, ctx: Context, principal: Principal) -> UserOut:
        """The caller's own user record, role and scope."""
        return await get_user(ctx, principal.user_id)
