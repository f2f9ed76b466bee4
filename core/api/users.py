"""User administration (admin only)."""

from __future__ import annotations

from litestar import Controller, get, patch, post

from core.context import Context
from core.permissions import require
from core.scope import Principal
from core.user_service import create_user, get_user, list_users, update_user
from core.wire import UserIn, UserOut, UserPatch


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
