"""检查 (inspections): one visit of one inspector to one enterprise — what coverage and reports count.

The tablet protocol (sync/) records one when it accepts a submission; core never imports sync, so
the record keeps only what plans and reports need. Recording is idempotent per submission.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, ForeignKey, String
from sqlmodel import Field, SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.access.scope import Principal
from core.context import Context
from core.enterprises.records import Enterprise
from core.errors import Forbidden, InvalidInput, not_found
from core.ids import new_id
from core.plans.assignments import Assignment
from core.storage.audit_log import snapshot
from core.storage.db_types import UTCDateTime
from core.storage.write_set import WriteSet

INSPECTING_ROLES = frozenset({"admin", "department_admin", "inspector"})


class Inspection(SQLModel, table=True):
    """One completed inspection (执法检查); ``region_code``/``industries`` copied for scoped counts."""

    __tablename__ = "inspection"

    id: str = Field(default_factory=new_id, sa_column=Column(String(36), primary_key=True))
    enterprise_id: str = Field(sa_column=Column(String(36), ForeignKey("enterprise.id"), nullable=False, index=True))
    inspector_id: str = Field(sa_column=Column(String(36), nullable=False, index=True))
    assignment_id: str | None = Field(default=None, sa_column=Column(String(36), nullable=True, index=True))
    submission_id: str | None = Field(default=None, sa_column=Column(String(36), nullable=True, unique=True))
    inspected_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False, index=True))
    region_code: str = Field(sa_column=Column(String(9), nullable=False, index=True))
    industries: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


async def _assignment_visible(session: AsyncSession, principal: Principal, assignment: Assignment) -> bool:
    """Whether the assignment's enterprise is in the caller's scope (else it answers 404, like absent)."""
    enterprise = await session.get(Enterprise, assignment.enterprise_id)
    return enterprise is not None and principal.sees_enterprise(enterprise)


def stage_assignment_done(writes: WriteSet, assignment: Assignment, inspection_id: str, now: datetime) -> None:
    """Stage marking an assignment done by ``inspection_id`` (no-op when already done) and tell its tablet."""
    if assignment.status == "done":
        return
    writes.update(Assignment, assignment.id, {"status": "done", "inspection_id": inspection_id, "completed_at": now, "version": assignment.version + 1, "updated_at": now})
    writes.change(
        entity="assignment", entity_id=assignment.id, at=now, region_code=assignment.region_code,
        industries=assignment.industries, enterprise_id=assignment.enterprise_id, user_id=assignment.inspector_id,
    )


def _require_inspecting(principal: Principal) -> None:
    """Enterprise self-inspections (自查) are not enforcement inspections: 403 for other roles."""
    if principal.role not in INSPECTING_ROLES:
        raise Forbidden(f"role {principal.role!r} may not record inspections", "只有检查人员可以登记执法检查")


async def record_inspection_in_session(
    session: AsyncSession,
    ctx: Context,
    principal: Principal,
    *,
    enterprise_id: str,
    inspected_at: datetime,
    submission_id: str | None = None,
    assignment_id: str | None = None,
    inspector_id: str | None = None,
) -> Inspection:
    """Record an inspection in the caller's write transaction; completes ``assignment_id`` if given.

    The same ``submission_id`` twice returns the first record unchanged. The inspector defaults to
    the caller. Enterprise self-inspections (自查) are not enforcement inspections: refused (403).
    """
    _require_inspecting(principal)
    if submission_id is not None:
        existing = (await session.exec(select(Inspection).where(col(Inspection.submission_id) == submission_id))).first()
        if existing is not None:
            return existing
    writes = WriteSet()
    inspection_id = await stage_inspection(
        session, writes, ctx, principal, enterprise_id=enterprise_id, inspected_at=inspected_at, submission_id=submission_id,
        assignment_id=assignment_id, inspector_id=inspector_id,
    )
    await writes.flush(session)
    inspection = await session.get(Inspection, inspection_id)
    assert inspection is not None
    return inspection


async def stage_inspection(
    session: AsyncSession,
    writes: WriteSet,
    ctx: Context,
    principal: Principal,
    *,
    enterprise_id: str,
    inspected_at: datetime,
    submission_id: str | None = None,
    assignment_id: str | None = None,
    inspector_id: str | None = None,
    enterprise: Enterprise | None = None,
) -> str:
    """Validate an inspection and stage it (with its assignment's completion) in ``writes``; its id.

    For a new ``submission_id`` (the caller knows none was recorded for it). A caller that holds
    the enterprise, read in this transaction, passes it to save the read."""
    _require_inspecting(principal)
    if enterprise is None:
        enterprise = await session.get(Enterprise, enterprise_id)
    if enterprise is None or enterprise.id != enterprise_id or not principal.sees_enterprise(enterprise):
        raise not_found("enterprise", "企业")
    assignment = None
    if assignment_id is not None:
        # Fresh from the database: an earlier staged completion in this transaction is not in the
        # session's identity map.
        assignment = await session.get(Assignment, assignment_id, populate_existing=True)
        if assignment is None or not await _assignment_visible(session, principal, assignment):
            raise not_found("assignment", "检查任务")
        if assignment.enterprise_id != enterprise_id:
            raise InvalidInput("the assignment is for another enterprise", "该检查任务属于其他企业", field="assignment_id")
        if assignment.status == "cancelled":
            raise InvalidInput("the assignment was cancelled", "该检查任务已取消", field="assignment_id")
    if inspected_at.tzinfo is None:
        raise InvalidInput("inspected_at needs a time zone", "检查时间必须带时区", field="inspected_at")
    now = ctx.clock.now()
    row = {
        "id": new_id(), "enterprise_id": enterprise.id, "inspector_id": inspector_id or principal.user_id, "assignment_id": assignment_id,
        "submission_id": submission_id, "inspected_at": inspected_at, "region_code": enterprise.region_code,
        "industries": list(enterprise.industries), "created_at": now,
    }
    writes.insert(Inspection, row)
    # Tablets of the enterprise's scope pull it for the 一企一档 card's past inspections.
    writes.change(entity="inspection", entity_id=row["id"], at=now, region_code=enterprise.region_code, industries=list(enterprise.industries), enterprise_id=enterprise.id)
    if assignment is not None:
        stage_assignment_done(writes, assignment, row["id"], now)
    writes.audit(actor=principal.actor, action="inspection_recorded", entity="inspection", entity_id=row["id"], at=now, after=snapshot(row))
    return row["id"]
