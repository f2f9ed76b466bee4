"""Managing users (admin only) and devices: create, change scope or role, deactivate, revoke."""

from __future__ import annotations

import msgspec
from sqlmodel import col, select, update

from core.access.devices import Device
from core.access.password_policy import check_password
from core.access.permissions import require
from core.access.scope import Principal
from core.access.sessions import AuthSession
from core.access.users import User
from core.access.wire import DeviceOut, UserIn, UserOut, UserPatch
from core.context import Context
from core.enterprises.records import Enterprise
from core.errors import Conflict, InvalidInput, not_found
from core.regions.records import Grid, Region
from core.storage.audit_log import Actor, append_audit, snapshot
from core.wire import to_out


async def _check_scope_fields(session, role: str, region_code: str | None, grid_code: str | None, enterprise_id: str | None) -> None:  # type: ignore[no-untyped-def]
    if region_code is not None and await session.get(Region, region_code) is None:
        raise InvalidInput(f"unknown region code {region_code}", f"未知的行政区划代码 {region_code}", field="region_code")
    if grid_code is not None:
        grid = await session.get(Grid, grid_code)
        if grid is None:
            raise InvalidInput(f"unknown grid {grid_code}", f"未知的网格 {grid_code}", field="grid_code")
    if role == "enterprise_user":
        if enterprise_id is None:
            raise InvalidInput("an enterprise user must be tied to an enterprise", "企业用户必须关联一个企业", field="enterprise_id")
        if await session.get(Enterprise, enterprise_id) is None:
            raise InvalidInput(f"unknown enterprise {enterprise_id}", f"企业 {enterprise_id} 不存在", field="enterprise_id")
    elif enterprise_id is not None:
        raise InvalidInput("only enterprise users are tied to an enterprise", "只有企业用户才能关联企业", field="enterprise_id")


async def create_user(ctx: Context, actor: Actor, data: UserIn) -> UserOut:
    """Create a user; the actor is audited (the CLI passes the system actor). The password must
    meet the policy (core/access/password_policy.py)."""
    check_password(data.password)
    password_hash = await ctx.passwords.hash_async(data.password)
    now = ctx.clock.now()
    async with ctx.db.write() as session:
        if (await session.exec(select(User.id).where(User.username == data.username))).first():
            raise Conflict(f"username {data.username} is taken", f"用户名 {data.username} 已存在", field="username")
        await _check_scope_fields(session, data.role, data.region_code, data.grid_code, data.enterprise_id)
        fields = msgspec.structs.asdict(data)
        fields.pop("password")
        fields["industries"] = sorted(set(data.industries))
        user = User(**fields, password_hash=password_hash, created_at=now, updated_at=now)
        session.add(user)
        await session.flush()
        await append_audit(session, actor=actor, action="user_created", entity="user", entity_id=user.id, at=now, after=snapshot(user))
    return to_out(user, UserOut)


async def update_user(ctx: Context, principal: Principal, user_id: str, patch: UserPatch) -> UserOut:
    """Change a user's role, scope, activity or password; deactivation ends their sessions."""
    require(principal.role, "user.manage")
    changes = {k: v for k, v in msgspec.structs.asdict(patch).items() if v is not msgspec.UNSET}
    if "password" in changes:
        check_password(changes["password"])
        changes["password_hash"] = await ctx.passwords.hash_async(changes.pop("password"))
    now = ctx.clock.now()
    async with ctx.db.write() as session:
        user = await session.get(User, user_id)
        if user is None:
            raise not_found("user", "用户")
        before = snapshot(user)
        # Check the new scope before touching the row: a query after setattr would autoflush an
        # unknown region or enterprise into a foreign-key error (a 500) instead of a 400.
        scope = {key: changes.get(key, getattr(user, key)) for key in ("role", "region_code", "grid_code", "enterprise_id")}
        await _check_scope_fields(session, scope["role"], scope["region_code"], scope["grid_code"], scope["enterprise_id"])
        for key, value in changes.items():
            setattr(user, key, sorted(set(value)) if key == "industries" else value)
        user.updated_at = now
        session.add(user)
        if changes.get("active") is False or "password_hash" in changes:
            await session.exec(
                update(AuthSession).where(col(AuthSession.user_id) == user.id, col(AuthSession.revoked_at).is_(None)).values(revoked_at=now, revoke_reason="user_changed")  # type: ignore[call-overload]
            )
        after = snapshot(user)
        if "password_hash" in changes:
            after["password_changed"] = True
        await append_audit(session, actor=principal.actor, action="user_updated", entity="user", entity_id=user.id, at=now, before=before, after=after)
    return to_out(user, UserOut)


async def list_users(ctx: Context, principal: Principal) -> list[UserOut]:
    """Every user (admin only)."""
    require(principal.role, "user.manage")
    async with ctx.db.read() as session:
        rows = (await session.exec(select(User).order_by(col(User.username)))).all()
    return [to_out(u, UserOut) for u in rows]


async def get_user(ctx: Context, user_id: str) -> UserOut:
    """One user by id (the caller checks permission)."""
    async with ctx.db.read() as session:
        user = await session.get(User, user_id)
    if user is None:
        raise not_found("user", "用户")
    return to_out(user, UserOut)


async def list_devices(ctx: Context, principal: Principal) -> list[DeviceOut]:
    """All devices for an admin; one's own devices otherwise."""
    async with ctx.db.read() as session:
        query = select(Device).order_by(col(Device.enrolled_at))
        if not principal.is_admin:
            query = query.where(Device.user_id == principal.user_id)
        rows = (await session.exec(query)).all()
    return [to_out(d, DeviceOut) for d in rows]


async def revoke_device(ctx: Context, principal: Principal, device_id: str, reason: str) -> DeviceOut:
    """Revoke a tablet (admin, or its own user reporting it lost): every token it holds dies at once."""
    now = ctx.clock.now()
    async with ctx.db.write() as session:
        device = await session.get(Device, device_id)
        if device is None or not (principal.is_admin or device.user_id == principal.user_id):
            raise not_found("device", "设备")
        if device.revoked_at is None:
            before = snapshot(device)
            device.revoked_at = now
            device.revoked_by = principal.user_id
            device.revoke_reason = reason
            session.add(device)
            await session.exec(
                update(AuthSession).where(col(AuthSession.device_id) == device.id, col(AuthSession.revoked_at).is_(None)).values(revoked_at=now, revoke_reason="device_revoked")  # type: ignore[call-overload]
            )
            await append_audit(session, actor=principal.actor, action="device_revoked", entity="device", entity_id=device.id, at=now, before=before, after=snapshot(device))
    return to_out(device, DeviceOut)
