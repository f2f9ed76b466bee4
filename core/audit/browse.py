"""Browsing the audit log (admin): filters by who, what, which record and when, newest first, paged
backwards by ``seq`` (keyset: a page costs the same at the millionth entry as at the first).

``GET /api/v1/audit`` filters by entity and record; the console's 审计日志 page adds the actor, the
action and a time window. Both read with ``audit.read``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, select

from core.access.permissions import require
from core.access.scope import Principal
from core.audit.wire import AuditOut
from core.context import Context
from core.storage.audit_log import AuditEntry
from core.wire import to_out

MAX_PAGE = 500


@dataclass(frozen=True)
class AuditFilter:
    """What to keep: ``actor`` is a user name (exact) or user id; times are ``since`` ≤ at < ``until``."""

    actor: str | None = None
    action: str | None = None
    entity: str | None = None
    entity_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None


@dataclass(frozen=True)
class AuditPage:
    """One page, newest first; ``next_before`` continues it (None: nothing older matches)."""

    items: list[AuditOut]
    next_before: int | None


async def browse_audit(ctx: Context, principal: Principal, filters: AuditFilter, *, before_seq: int | None = None, limit: int = 50) -> AuditPage:
    """Entries matching ``filters`` older than ``before_seq``, newest first, at most ``limit``."""
    require(principal.role, "audit.read")
    limit = max(1, min(limit, MAX_PAGE))
    conditions = []
    if filters.actor:
        conditions.append((col(AuditEntry.actor_name) == filters.actor) | (col(AuditEntry.actor_id) == filters.actor))
    if filters.action:
        conditions.append(col(AuditEntry.action) == filters.action)
    if filters.entity:
        conditions.append(col(AuditEntry.entity) == filters.entity)
    if filters.entity_id:
        conditions.append(col(AuditEntry.entity_id) == filters.entity_id)
    if filters.since:
        conditions.append(col(AuditEntry.at) >= filters.since)
    if filters.until:
        conditions.append(col(AuditEntry.at) < filters.until)
    if before_seq:
        conditions.append(col(AuditEntry.seq) < before_seq)
    query = select(AuditEntry).where(*conditions).order_by(col(AuditEntry.seq).desc()).limit(limit + 1)
    async with ctx.db.read() as session:
        rows = list((await session.exec(query)).all())
    more = len(rows) > limit
    rows = rows[:limit]
    return AuditPage(items=[to_out(r, AuditOut) for r in rows], next_before=rows[-1].seq if more and rows else None)

