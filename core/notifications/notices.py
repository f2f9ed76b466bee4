"""通知 (notifications): reminders and alerts users and tablets read in the app (no e-mail).

A notification goes to one user (``user_id``) or to everyone of one enterprise (``enterprise_id``
with no user). ``dedup_key`` is unique: a job that runs twice cannot notify twice. Who hears about
a hazard is decided in ``core.hazards.notices`` (one notification per user, so nobody hears twice).
"""

from __future__ import annotations

from datetime import datetime

import msgspec
from sqlalchemy import Column, String, or_
from sqlmodel import Field, SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.access.permissions import require
from core.access.scope import Principal
from core.context import Context
from core.errors import not_found
from core.ids import new_id
from core.storage.db_types import UTCDateTime
from core.storage.write_set import WriteSet


class Notification(SQLModel, table=True):
    """One message about one record (``entity``/``entity_id``)."""

    __tablename__ = "notification"

    id: str = Field(default_factory=new_id, sa_column=Column(String(36), primary_key=True))
    dedup_key: str = Field(sa_column=Column(String(200), nullable=False, unique=True))
    user_id: str | None = Field(default=None, max_length=36, index=True)
    enterprise_id: str | None = Field(default=None, max_length=36, index=True)
    kind: str = Field(max_length=32)
    title: str = Field(max_length=200)
    body: str = Field(default="", max_length=2000)
    entity: str | None = Field(default=None, max_length=32)
    entity_id: str | None = Field(default=None, max_length=36)
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False, index=True))
    read_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


class NotificationOut(msgspec.Struct, kw_only=True):
    id: str
    kind: str
    title: str
    body: str
    entity: str | None
    entity_id: str | None
    user_id: str | None
    enterprise_id: str | None
    created_at: datetime
    read_at: datetime | None


async def notify(
    session: AsyncSession,
    ctx: Context,
    *,
    dedup_key: str,
    kind: str,
    title: str,
    body: str = "",
    user_id: str | None = None,
    enterprise_id: str | None = None,
    entity: str | None = None,
    entity_id: str | None = None,
) -> bool:
    """Add a notification unless one with ``dedup_key`` exists; True when added. Tablets get it by pull."""
    if await taken_keys(session, [dedup_key]):
        return False
    writes = WriteSet()
    stage_notification(
        writes, dedup_key=dedup_key, kind=kind, title=title, body=body, user_id=user_id, enterprise_id=enterprise_id,
        entity=entity, entity_id=entity_id, at=ctx.clock.now(),
    )
    await writes.flush(session)
    return True


def stage_notification(
    writes: WriteSet,
    *,
    dedup_key: str,
    kind: str,
    title: str,
    body: str = "",
    user_id: str | None = None,
    enterprise_id: str | None = None,
    entity: str | None = None,
    entity_id: str | None = None,
    at: datetime,
) -> str:
    """Stage what ``notify`` adds, for a caller writing through a ``WriteSet`` (a push registering a
    major hazard); the caller has made sure ``dedup_key`` is not taken. The new notification's id."""
    row = {
        "id": new_id(), "dedup_key": dedup_key, "user_id": user_id, "enterprise_id": enterprise_id, "kind": kind, "title": title,
        "body": body, "entity": entity, "entity_id": entity_id, "created_at": at, "read_at": None,
    }
    writes.insert(Notification, row)
    writes.change(entity="notification", entity_id=row["id"], at=at, enterprise_id=enterprise_id, user_id=user_id)
    return row["id"]


async def taken_keys(session: AsyncSession, keys: list[str]) -> set[str]:
    """Which of ``keys`` already name a notification."""
    if not keys:
        return set()
    return set((await session.exec(select(Notification.dedup_key).where(col(Notification.dedup_key).in_(keys)))).all())


def _mine(principal: Principal) -> object:
    conditions = [col(Notification.user_id) == principal.user_id]
    if principal.enterprise_id:
        conditions.append((col(Notification.enterprise_id) == principal.enterprise_id) & col(Notification.user_id).is_(None))
    return or_(*conditions)


async def list_notifications(ctx: Context, principal: Principal, unread_only: bool = False, limit: int = 100) -> list[NotificationOut]:
    """The caller's notifications (and their enterprise's), newest first."""
    require(principal.role, "notification.read")
    query = select(Notification).where(_mine(principal))
    if unread_only:
        query = query.where(col(Notification.read_at).is_(None))
    async with ctx.db.read() as session:
        rows = (await session.exec(query.order_by(col(Notification.created_at).desc(), col(Notification.id)).limit(limit))).all()
    return [msgspec.convert(r.model_dump(), NotificationOut) for r in rows]


async def mark_read(ctx: Context, principal: Principal, notification_id: str) -> NotificationOut:
    """Mark one of the caller's notifications read (idempotent)."""
    require(principal.role, "notification.read")
    async with ctx.db.write() as session:
        item = (await session.exec(select(Notification).where(col(Notification.id) == notification_id, _mine(principal)))).first()
        if item is None:
            raise not_found("notification", "通知")
        if item.read_at is None:
            item.read_at = ctx.clock.now()
            session.add(item)
    return msgspec.convert(item.model_dump(), NotificationOut)
