"""Login, token refresh, logout and "who am I"; user administration (admin); enrolled tablets."""

from __future__ import annotations

from litestar import Controller, Request, get, patch, post

from core.access import auth
from core.access.permissions import require
from core.access.scope import Principal
from core.access.user_service import create_user, get_user, list_devices, list_users, revoke_device, update_user
from core.access.wire import DeviceOut, LoginIn, RefreshIn, RevokeIn, UserIn, UserOut, UserPatch
from core.context import Context


class AuthController(Controller):
    path = "/api/v1/auth"
    tags = ["auth"]

    @post("/login", operation_id="login", opt={"exclude_from_auth": True}, status_code=200)
    async def login(self, ctx: Context, request: Request, data: LoginIn) -> auth.TokenPair:
        """Exchange username and password (and a tablet's device id) for tokens.

        Repeated failures lock the name for the caller's address (429 ``account_locked``); when too
        many passwords wait to be checked the answer is 429 ``busy``: retry after ``Retry-After``."""
        client = request.client.host if request.client else ""
        return await auth.login(ctx, data.username, data.password, data.device_id, data.device_name, client=client)

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


class UserController(Controller):
    path = "/api/v1/users"
    tags = ["users"]

    @get("/", operation_id="listUsers")
    async def list(self, ctx: Context, principal: Principal) -> list[UserOut]:
        """Every user."""
        return await list_users(ctx, principal)

    @post("/", operation_id="createUser")
    async def create(self, ctx: Context, principal: Principal, data: UserIn) -> UserOut:
        """Create a user with a role and a scope."""
        require(principal.role, "user.manage")
        return await create_user(ctx, principal.actor, data)

    @get("/{user_id:str}", operation_id="getUser")
    async def get(self, ctx: Context, principal: Principal, user_id: str) -> UserOut:
        """One user."""
        require(principal.role, "user.manage")
        return await get_user(ctx, user_id)

    @patch("/{user_id:str}", operation_id="updateUser")
    async def update(self, ctx: Context, principal: Principal, user_id: str, data: UserPatch) -> UserOut:
        """Change role, scope, activity or password; deactivating ends the user's sessions at once."""
        return await update_user(ctx, principal, user_id, data)



class DeviceController(Controller):
    path = "/api/v1/devices"
    tags = ["devices"]

    @get("/", operation_id="listDevices")
    async def list(self, ctx: Context, principal: Principal) -> list[DeviceOut]:
        """All devices (admin) or the caller's own."""
        return await list_devices(ctx, principal)

    @post("/{device_id:str}/revoke", operation_id="revokeDevice", status_code=200)
    async def revoke(self, ctx: Context, principal: Principal, device_id: str, data: RevokeIn) -> DeviceOut:
        """Revoke a device: its tokens stop working on the next request."""
        return await revoke_device(ctx, principal, device_id, data.reason)


ROUTES = [AuthController, UserController, DeviceController]
