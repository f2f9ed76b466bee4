"""企业自查 (self-inspections): submissions an enterprise's own users pushed from the field app.

Push records an officer's submission as an inspection (``core.inspections``); an enterprise user's
submission is a self-inspection and records none (``sync.push.submission_ingest``), so a
self-inspection is exactly an accepted submission that no inspection names. Scope is the
enterprise's, as for the read-back of inspections: whoever sees the enterprise sees its
self-inspections (its own users first of all); for anyone else they do not exist. The hazards each
one raised are read through core's scoped hazard query. Nothing is written, so nothing is audited.
"""

from __future__ import annotations

from datetime import datetime

import msgspec
from sqlalchemy import exists
from sqlmodel import col, select

from checklists.tables import ChecklistVersion
from core.access.permissions import require
from core.access.scope import Principal
from core.access.users import User
from core.context import Context
from core.enterprises.records import Enterprise
from core.hazards.queries import scoped_hazard_query
from core.hazards.records import Hazard
from core.hazards.wire import HazardOut, hazard_out
from core.ids import canonical_uuid
from core.inspections.records import Inspection
from sync.push.submissions import Submission
from sync.readback.reading import _submission
from sync.readback.wire import SubmissionOut


class SelfInspectionSummary(msgspec.Struct, kw_only=True):
    """One self-inspection as a list shows it, with the hazards it raised (those the caller sees)."""

    id: str
    enterprise_id: str
    submitted_by: str
    checklist_id: str
    checklist_version: str
    checklist_title: str | None
    finished_at: datetime
    received_at: datetime
    failed_items: int
    replaces: str | None
    hazards: list[HazardOut]


class SelfInspectionOut(msgspec.Struct, kw_only=True):
    """One self-inspection read back whole."""

    id: str
    enterprise_id: str
    enterprise_name: str
    submitted_by: str
    submission: SubmissionOut
    hazards: list[HazardOut]


def _unrecorded() -> list[object]:
    """Submissions no inspection names: the self-inspections (a lookup in the unique index)."""
    return [~exists().where(col(Inspection.submission_id) == col(Submission.id))]


async def _hazards(ctx: Context, principal: Principal, ids: list[str]) -> dict[str, HazardOut]:
    if not ids:
        return {}
    now = ctx.clock.now()
    async with ctx.db.read() as session:
        rows = (await session.exec(scoped_hazard_query(principal).where(col(Hazard.id).in_(sorted(set(ids)))))).all()
    return {h.id: hazard_out(h, now) for h in rows}


async def _names(session: object, ids: list[str]) -> dict[str, str]:
    if not ids:
        return {}
    rows = (await session.exec(select(User.id, User.display_name, User.username).where(col(User.id).in_(sorted(set(ids)))))).all()  # type: ignore[attr-defined]
    return {user_id: display or username for user_id, display, username in rows}


async def list_self_inspections(ctx: Context, principal: Principal, enterprise_id: str, limit: int = 20) -> list[SelfInspectionSummary]:
    """The enterprise's latest self-inspections (newest first); empty when it is outside the caller's scope."""
    require(principal.role, "enterprise.read")
    query = (
        select(Submission).join(Enterprise, col(Enterprise.id) == col(Submission.enterprise_id))
        .where(*principal.enterprise_conditions(), col(Submission.enterprise_id) == enterprise_id, *_unrecorded())
        .order_by(col(Submission.finished_at).desc(), col(Submission.id)).limit(limit)
    )
    async with ctx.db.read() as session:
        rows = list((await session.exec(query)).all())
        names = await _names(session, [r.inspector_id for r in rows])
        wanted = {(r.checklist_id, r.checklist_version) for r in rows}
        titles: dict[tuple[str, str], str] = {}
        if wanted:
            found = select(ChecklistVersion.checklist_id, ChecklistVersion.version, ChecklistVersion.title).where(
                col(ChecklistVersion.checklist_id).in_(sorted({c for c, _ in wanted}))
            )
            titles = {(c, v): t for c, v, t in (await session.exec(found)).all() if (c, v) in wanted}
    hazards = await _hazards(ctx, principal, [h for r in rows for h in r.hazard_ids])
    return [
        SelfInspectionSummary(
            id=r.id, enterprise_id=r.enterprise_id, submitted_by=names.get(r.inspector_id, ""), checklist_id=r.checklist_id,
            checklist_version=r.checklist_version, checklist_title=titles.get((r.checklist_id, r.checklist_version)), finished_at=r.finished_at,
            received_at=r.received_at, failed_items=len(r.failed_items), replaces=r.replaces_id,
            hazards=[hazards[h] for h in r.hazard_ids if h in hazards],
        )
        for r in rows
    ]


async def read_self_inspection(ctx: Context, principal: Principal, submission_id: str) -> SelfInspectionOut | None:
    """One self-inspection with its answers, photos and signatures; None when it does not exist, is an
    officer's inspection (read those through ``read_inspection``) or its enterprise is out of scope."""
    require(principal.role, "enterprise.read")
    wanted = canonical_uuid(submission_id.strip())
    if wanted is None:
        return None
    async with ctx.db.read() as session:
        row = (await session.exec(select(Submission).where(col(Submission.id) == wanted, *_unrecorded()))).first()
        if row is None:
            return None
        enterprise = await session.get(Enterprise, row.enterprise_id)
        if enterprise is None or not principal.sees_enterprise(enterprise):
            return None
        view = await _submission(session, row)
        names = await _names(session, [row.inspector_id])
    hazards = await _hazards(ctx, principal, list(row.hazard_ids))
    return SelfInspectionOut(
        id=row.id, enterprise_id=row.enterprise_id, enterprise_name=enterprise.name, submitted_by=names.get(row.inspector_id, ""),
        submission=view, hazards=[hazards[h] for h in row.hazard_ids if h in hazards],
    )
