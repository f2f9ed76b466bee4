"""Reviewing kept hazard-update conflicts: list, and resolve (re-apply onto the current version, or close)."""

from __future__ import annotations

import msgspec
from sqlmodel import col, func, select

from core.access.permissions import require
from core.access.scope import Principal
from core.context import Context
from core.errors import Conflict, not_found
from core.hazards.service import transition_in_session
from core.storage.audit_log import append_audit, snapshot
from sync.push.hazard_updates import transition_of
from sync.review.conflict_table import SyncConflict
from sync.wire import ConflictOut, HazardUpdateRecord, ResolveConflictIn


def conflict_out(row: SyncConflict) -> ConflictOut:
    return msgspec.convert(row.model_dump(), ConflictOut)


async def list_conflicts(ctx: Context, principal: Principal, *, status: str | None, limit: int, offset: int) -> tuple[list[ConflictOut], int]:
    """Admins see every conflict; anyone else the conflicts of their own updates."""
    require(principal.role, "sync.pull")
    conditions = [] if principal.is_admin else [col(SyncConflict.user_id) == principal.user_id]
    if status:
        conditions.append(col(SyncConflict.status) == status)
    async with ctx.db.read() as session:
        total = (await session.exec(select(func.count()).select_from(SyncConflict).where(*conditions))).one()
        rows = (await session.exec(select(SyncConflict).where(*conditions).order_by(col(SyncConflict.created_at).desc(), col(SyncConflict.id)).offset(offset).limit(limit))).all()
    return [conflict_out(r) for r in rows], total


async def resolve_conflict(ctx: Context, principal: Principal, conflict_id: str, data: ResolveConflictIn) -> ConflictOut:
    """Close a conflict (admin). ``reapply`` takes the tablet's step on the hazard as it is now,
    by the reviewing admin, in the same transaction; the lifecycle rules still apply."""
    require(principal.role, "sync.review")
    now = ctx.clock.now()
    async with ctx.db.write() as session:
        row = await session.get(SyncConflict, conflict_id)
        if row is None:
            raise not_found("sync conflict", "同步冲突")
        if row.status != "open":
            raise Conflict("conflict is already resolved", "该冲突已处理", code="already_resolved")
        before = snapshot(row)
        if data.reapply:
            update = msgspec.convert(row.update, HazardUpdateRecord)
            await transition_in_session(session, ctx, principal, row.hazard_id, transition_of(update), base_version=None)
        row.status = "resolved"
        row.resolved_at = now
        row.resolved_by = principal.user_id
        row.resolution_note = ("[reapplied] " if data.reapply else "") + data.note
        session.add(row)
        await append_audit(session, actor=principal.actor, action="sync_conflict_resolved", entity="sync_conflict", entity_id=row.id, at=now, before=before, after=snapshot(row))
    return conflict_out(row)
