"""Hazards move with their enterprise.

A hazard copies its enterprise's region and industries (scope filters and reports need no join).
When the enterprise moves to another region or its industries change, its hazards' copies are
rewritten and each hazard gets a change row naming the scope it left, so the new jurisdiction's
supervisors and tablets see its open hazards and the old one's tablets drop them. Without this,
an enterprise moved into a county kept its hazards listed, overdue and escalated in the county it
left.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.hazards.records import Hazard
from core.storage.audit_log import Actor, lock_sequences
from core.storage.write_set import WriteSet


async def move_hazards_with_enterprise(
    session: AsyncSession, *, enterprise_id: str, region_code: str, industries: list[str],
    prev_region_code: str, prev_industries: list[str], actor: Actor, at: datetime,
) -> int:
    """Rewrite the scope copies of every hazard of the enterprise; how many moved."""
    ids = list((await session.exec(select(Hazard.id).where(col(Hazard.enterprise_id) == enterprise_id).order_by(col(Hazard.id)))).all())
    if not ids:
        return 0
    await lock_sequences(session)  # before the hazards' row locks, as every writer takes them (PostgreSQL)
    await session.exec(update(Hazard).where(col(Hazard.enterprise_id) == enterprise_id).values(region_code=region_code, industries=industries))  # type: ignore[call-overload]
    writes = WriteSet()
    for hazard_id in ids:
        writes.change(
            entity="hazard", entity_id=hazard_id, at=at, region_code=region_code, industries=industries, enterprise_id=enterprise_id,
            prev_region_code=prev_region_code, prev_industries=prev_industries,
        )
    writes.audit(
        actor=actor, action="hazards_moved_with_enterprise", entity="enterprise", entity_id=enterprise_id, at=at,
        before={"region_code": prev_region_code, "industries": prev_industries},
        after={"region_code": region_code, "industries": industries, "hazard_ids": ids},
    )
    await writes.flush(session)
    return len(ids)
