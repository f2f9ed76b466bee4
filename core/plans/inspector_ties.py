"""回避关系 (inspector ties): an inspector must not inspect an enterprise they are tied to
(relatives, former employer, …). Random draws and plan generation both exclude these pairs."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec
from sqlalchemy import Column, ForeignKey, String, UniqueConstraint
from sqlmodel import Field, SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.access.permissions import require
from core.access.scope import Principal
from core.access.users import User
from core.context import Context
from core.enterprises.records import Enterprise
from core.errors import InvalidInput, not_found
from core.ids import new_id
from core.storage.audit_log import append_audit, snapshot
from core.storage.db_types import UTCDateTime


class InspectorTie(SQLModel, table=True):
    """One declared tie between an inspector and an enterprise, with the reason."""

    __tablename__ = "inspector_tie"
    __table_args__ = (UniqueConstraint("inspector_id", "enterprise_id", name="uq_inspector_tie_pair"),)

    id: str = Field(default_factory=new_id, sa_column=Column(String(36), primary_key=True))
    inspector_id: str = Field(sa_column=Column(String(36), ForeignKey("app_user.id"), nullable=False, index=True))
    enterprise_id: str = Field(sa_column=Column(String(36), ForeignKey("enterprise.id"), nullable=False, index=True))
    reason: str = Field(max_length=300)
    created_by: str | None = Field(default=None, max_length=36)
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


async def tied_pairs(session: AsyncSession, enterprise_ids: list[str] | None = None) -> set[tuple[str, str]]:
    """Every (inspector_id, enterprise_id) tie, optionally only for some enterprises."""
    query = select(InspectorTie.inspector_id, InspectorTie.enterprise_id)
    if enterprise_ids is not None:
        query = query.where(col(InspectorTie.enterprise_id).in_(enterprise_ids))
    return {(i, e) for i, e in (await session.exec(query)).all()}


class TieIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    inspector_id: str
    enterprise_id: str
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=300)]


class TieOut(msgspec.Struct, kw_only=True):
    id: str
    inspector_id: str
    enterprise_id: str
    reason: str
    created_by: str | None
    created_at: datetime


async def declare_tie(ctx: Context, principal: Principal, data: TieIn) -> TieOut:
    """Declare that an inspector must not inspect an enterprise (idempotent per pair)."""
    require(principal.role, "inspector_tie.write")
    now = ctx.clock.now()
    async with ctx.db.write() as session:
        enterprise = await session.get(Enterprise, data.enterprise_id)
        if enterprise is None or not principal.sees_enterprise(enterprise):
            raise not_found("enterprise", "企业")
        inspector = await session.get(User, data.inspector_id)
        if inspector is None or inspector.role != "inspector":
            raise InvalidInput("inspector_id is not an inspector", "inspector_id 不是检查人员", field="inspector_id")
        tie = (await session.exec(select(InspectorTie).where(col(InspectorTie.inspector_id) == data.inspector_id, col(InspectorTie.enterprise_id) == data.enterprise_id))).first()
        if tie is None:
            tie = InspectorTie(inspector_id=data.inspector_id, enterprise_id=data.enterprise_id, reason=data.reason.strip(), created_by=principal.user_id, created_at=now)
            session.add(tie)
            await session.flush()
            await append_audit(session, actor=principal.actor, action="inspector_tie_declared", entity="inspector_tie", entity_id=tie.id, at=now, after=snapshot(tie))
    return msgspec.convert(tie.model_dump(), TieOut)


async def list_ties(ctx: Context, principal: Principal, enterprise_id: str | None = None) -> list[TieOut]:
    """Ties for enterprises in the caller's scope."""
    require(principal.role, "plan.read")
    query = select(InspectorTie).join(Enterprise, col(Enterprise.id) == col(InspectorTie.enterprise_id)).where(*principal.enterprise_conditions())
    if enterprise_id:
        query = query.where(col(InspectorTie.enterprise_id) == enterprise_id)
    async with ctx.db.read() as session:
        rows = (await session.exec(query.order_by(col(InspectorTie.created_at)))).all()
    return [msgspec.convert(r.model_dump(), TieOut) for r in rows]


async def remove_tie(ctx: Context, principal: Principal, tie_id: str) -> None:
    """Remove a declared tie."""
    require(principal.role, "inspector_tie.write")
    async with ctx.db.write() as session:
        tie = await session.get(InspectorTie, tie_id)
        enterprise = await session.get(Enterprise, tie.enterprise_id) if tie else None
        if tie is None or enterprise is None or not principal.sees_enterprise(enterprise):
            raise not_found("inspector tie", "回避关系")
        before = snapshot(tie)
        await session.delete(tie)
        await append_audit(session, actor=principal.actor, action="inspector_tie_removed", entity="inspector_tie", entity_id=tie_id, at=ctx.clock.now(), before=before)
