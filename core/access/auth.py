"""Login, rotating refresh, logout, and turning an access token into a ``Principal``.

Every request re-checks the session, the user and the device in the database, so a revoked device
or a logged-out session is cut off at once, not when its token expires.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import msgspec
from sqlalchemy import bindparam
from sqlalchemy import select as sa_select
from sqlmodel import col, select, update

from core.access import lockout
from core.access.devices import Device
from core.access.scope import Principal
from core.access.sessions import AuthSession, RefreshToken
from core.access.tokens import TokenInvalid, decode_access_token, expiry, issue_access_token, new_refresh_token, token_hash
from core.access.users import User
from core.context import Context
from core.errors import AppError, Forbidden, InvalidInput, Unauthorized
from core.ids import canonical_uuid
from core.storage.audit_log import SYSTEM, Actor, append_audit

_DEVICE_SEEN_INTERVAL = timedelta(seconds=60)


def _principal_row() -> Any:
    """Session, user and device of an access token in one statement (it runs on every request).
    Built once with bound parameters and run on a plain connection: building the statement and
    an ORM session per request cost more CPU than storing a submission."""
    sessions, users, devices = AuthSession.__table__, User.__table__, Device.__table__  # type: ignore[attr-defined]
    return (
        sa_select(
            sessions.c.revoked_at, users.c.id, users.c.username, users.c.role, users.c.region_code, users.c.grid_code, users.c.industries,
            users.c.enterprise_id, users.c.active, devices.c.id, devices.c.revoked_at, devices.c.last_seen_at,
        )
        .join(users, users.c.id == sessions.c.user_id)
        .outerjoin(devices, devices.c.id == bindparam("dev"))
        .where(sessions.c.id == bindparam("sid"))
    )


_PRINCIPAL_ROW = _principal_row()


class TokenPair(msgspec.Struct):
    """What a login or refresh returns."""

    access_token: str
    refresh_token: str
    expires_in: int
    token_type: str = "bearer"
    user_id: str = ""
    role: str = ""
    device_id: str | None = None


def _bad_credentials() -> Unauthorized:
    return Unauthorized("wrong username or password", "用户名或密码错误", code="bad_credentials")


def _session_ended() -> Unauthorized:
    return Unauthorized("session has ended; log in again", "登录已失效，请重新登录", code="session_ended")


def _device_revoked() -> Unauthorized:
    return Unauthorized("this device has been revoked", "该设备已被停用（吊销），请联系管理员", code="device_revoked")


async def login(
    ctx: Context, username: str, password: str, device_id: str | None = None, device_name: str = "", client: str = ""
) -> TokenPair:
    """Check the password and open a session. ``client`` is the caller's address: repeated failures
    lock ``username`` for that address only (core/access/lockout.py), and an unknown name takes the
    same path — one real argon2 check, the same counting, delays and answers — as a known one."""
    now = ctx.clock.now()
    if device_id is not None:
        canonical = canonical_uuid(device_id)
        if canonical is None:
            raise InvalidInput("device_id must be a UUID", "设备编号必须是UUID", field="device_id")
        device_id = canonical
    await lockout.refuse_if_locked(ctx, username, client, now)
    with ctx.passwords.turn() as turn:  # 429 busy before anything is counted
        async with ctx.db.read() as session:
            user = (await session.exec(select(User).where(User.username == username))).first()
        await lockout.reserve(ctx, username, client, now)
        ok = await turn.check(password, user.password_hash if user else None)
    if user is None or not ok or not user.active:
        failures = await lockout.record_failure(ctx, username, client, now, user.id if user else None)
        await lockout.slow_down(ctx, failures)
        raise _bad_credentials()
    actor = Actor(id=user.id, name=user.username)
    try:
        async with ctx.db.write() as session:
            cleared = await lockout.clear(session, username, client)
            if device_id is not None:
                await _check_or_enroll_device(session, ctx, user, device_id, device_name, actor)
            auth_session = AuthSession(user_id=user.id, device_id=device_id, created_at=now)
            session.add(auth_session)
            await session.flush()
            refresh = _new_refresh(session, ctx, auth_session.id)
            await append_audit(
                session, actor=actor, action="login", entity="user", entity_id=user.id, at=now,
                after={"device_id": device_id, "session_id": auth_session.id, "client": client, "failures_cleared": cleared},
            )
    except AppError:
        # The password was right but the login refused (a revoked device): still end the check.
        async with ctx.db.write() as session:
            cleared = await lockout.clear(session, username, client)
            await append_audit(
                session, actor=actor, action="login_refused", entity="user", entity_id=user.id, at=now,
                after={"device_id": device_id, "client": client, "failures_cleared": cleared},
            )
        raise
    return _pair(ctx, user, auth_session, refresh)


async def _check_or_enroll_device(session, ctx: Context, user: User, device_id: str, device_name: str, actor: Actor) -> None:  # type: ignore[no-untyped-def]
    now = ctx.clock.now()
    device = await session.get(Device, device_id)
    if device is None:
        device = Device(id=device_id, user_id=user.id, name=device_name[:100], enrolled_at=now, last_seen_at=now)
        session.add(device)
        await session.flush()
        await append_audit(session, actor=actor, action="device_enrolled", entity="device", entity_id=device_id, at=now, after={"user_id": user.id, "name": device.name})
        return
    if device.revoked_at is not None:
        raise Forbidden("this device has been revoked", "该设备已被停用（吊销），请联系管理员", code="device_revoked")
    if device.user_id != user.id:
        raise Forbidden("this device is enrolled to another user", "该设备已登记给其他用户", code="device_not_yours", field="device_id")
    device.last_seen_at = now
    session.add(device)


def _new_refresh(session, ctx: Context, session_id: str) -> str:  # type: ignore[no-untyped-def]
    now = ctx.clock.now()
    token = new_refresh_token()
    session.add(RefreshToken(session_id=session_id, token_hash=token_hash(token), issued_at=now, expires_at=expiry(now, ctx.settings.refresh_token_ttl)))
    return token


def _pair(ctx: Context, user: User, auth_session: AuthSession, refresh: str) -> TokenPair:
    access = issue_access_token(
        ctx.secret, user_id=user.id, session_id=auth_session.id, device_id=auth_session.device_id, now=ctx.clock.now(), ttl=ctx.settings.access_token_ttl
    )
    return TokenPair(access, refresh, ctx.settings.access_token_ttl, user_id=user.id, role=user.role, device_id=auth_session.device_id)


async def refresh(ctx: Context, refresh_token: str) -> TokenPair:
    """Use up a refresh token and issue the next pair; a reused token revokes its whole family."""
    now = ctx.clock.now()
    reused = False
    async with ctx.db.write() as session:
        stored = (await session.exec(select(RefreshToken).where(RefreshToken.token_hash == token_hash(refresh_token)))).first()
        if stored is None:
            raise _session_ended()
        auth_session = await session.get(AuthSession, stored.session_id)
        if auth_session is not None and auth_session.revoke_reason == "device_revoked":
            raise Forbidden("this device has been revoked", "该设备已被停用（吊销），请联系管理员", code="device_revoked")
        if auth_session is None or auth_session.revoked_at is not None:
            raise _session_ended()
        if stored.used_at is not None:
            reused = True
            auth_session.revoked_at = now
            auth_session.revoke_reason = "refresh_token_reuse"
            session.add(auth_session)
            await append_audit(session, actor=SYSTEM, action="session_revoked", entity="auth_session", entity_id=auth_session.id, at=now, after={"reason": "refresh_token_reuse", "user_id": auth_session.user_id})
        else:
            if stored.expires_at <= now:
                raise _session_ended()
            user = await session.get(User, auth_session.user_id)
            if user is None or not user.active:
                raise _session_ended()
            if auth_session.device_id:
                device = await session.get(Device, auth_session.device_id)
                if device is None or device.revoked_at is not None:
                    raise Forbidden("this device has been revoked", "该设备已被停用（吊销），请联系管理员", code="device_revoked")
            stored.used_at = now
            session.add(stored)
            new_token = _new_refresh(session, ctx, auth_session.id)
    if reused:
        raise Unauthorized(
            "refresh token was already used; every session of this login is revoked",
            "刷新令牌被重复使用，本次登录的全部令牌已作废，请重新登录",
            code="refresh_token_reused",
        )
    return _pair(ctx, user, auth_session, new_token)


async def logout(ctx: Context, principal: Principal) -> None:
    """End the caller's session: its access and refresh tokens stop working at once."""
    now = ctx.clock.now()
    async with ctx.db.write() as session:
        auth_session = await session.get(AuthSession, principal.session_id)
        if auth_session is not None and auth_session.revoked_at is None:
            auth_session.revoked_at = now
            auth_session.revoke_reason = "logout"
            session.add(auth_session)
        await append_audit(session, actor=principal.actor, action="logout", entity="auth_session", entity_id=principal.session_id or "", at=now)


async def authenticate(ctx: Context, token: str) -> Principal:
    """The principal behind an access token; 401 if the token, session, user or device is not valid."""
    now = ctx.clock.now()
    try:
        claims = decode_access_token(ctx.secret, token, now=now)
    except TokenInvalid as exc:
        raise Unauthorized("invalid or expired access token", "访问令牌无效或已过期", code="invalid_token") from exc
    row = await ctx.db.fetch_one(_PRINCIPAL_ROW, {"sid": claims.sid, "dev": claims.dev})
    if row is None:
        raise _session_ended()
    (session_revoked_at, user_id, username, role, region_code, grid_code, industries, enterprise_id, active,
     device_id, device_revoked_at, device_last_seen_at) = row
    if claims.dev and device_revoked_at is not None and user_id == claims.sub:
        # Before the session check: revoking a device ends its sessions too, and the tablet must
        # hear why (it keeps its unsent records and says so) rather than ask for a doomed login.
        raise _device_revoked()
    if session_revoked_at is not None or user_id != claims.sub or not active:
        raise _session_ended()
    if claims.dev:
        if device_id is None or device_revoked_at is not None:
            raise _device_revoked()
        if device_last_seen_at is None or now - device_last_seen_at > _DEVICE_SEEN_INTERVAL:
            async with ctx.db.write() as session:
                await session.exec(update(Device).where(col(Device.id) == device_id).values(last_seen_at=now))  # type: ignore[call-overload]
    return Principal(
        user_id=user_id,
        username=username,
        role=role,
        region_code=region_code,
        grid_code=grid_code,
        industries=tuple(industries),
        enterprise_id=enterprise_id,
        session_id=claims.sid,
        device_id=claims.dev,
    )
