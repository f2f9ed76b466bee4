"""What pull delivers for an inspection: a summary for the 一企一档 card's 过往检查 (past
inspections), not the submission — who inspected, when, on which checklist, and what was found.

Delivered to whoever sees the enterprise, like its hazards: an inspection of an enterprise that is
deactivated or no longer in the user's scope is a tombstone. An inspection typed in by the office
(``POST /api/v1/inspections``, a paper visit) has no submission, so no checklist and no counts.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from checklists.tables import ChecklistVersion
from core.access.scope import Principal
from core.access.users import User
from core.enterprises.records import Enterprise
from core.inspections.records import Inspection
from sync.push.submissions import Submission


async def _checklist_titles(session: AsyncSession, submissions: list[Submission]) -> dict[tuple[str, str], str]:
    wanted = {(s.checklist_id, s.checklist_version) for s in submissions}
    if not wanted:
        return {}
    query = select(ChecklistVersion.checklist_id, ChecklistVersion.version, ChecklistVersion.title).where(
        col(ChecklistVersion.checklist_id).in_(sorted({c for c, _ in wanted}))
    )
    return {(c, v): title for c, v, title in (await session.exec(query)).all() if (c, v) in wanted}


async def load_inspections(session: AsyncSession, principal: Principal, ids: list[str], now: datetime) -> dict[str, dict[str, Any] | None]:
    """Summaries of the inspections of enterprises the caller sees; None (a tombstone) otherwise."""
    inspections = {i.id: i for i in (await session.exec(select(Inspection).where(col(Inspection.id).in_(ids)))).all()}
    enterprise_ids = sorted({i.enterprise_id for i in inspections.values()})
    enterprises = {e.id: e for e in (await session.exec(select(Enterprise).where(col(Enterprise.id).in_(enterprise_ids)))).all()} if enterprise_ids else {}
    visible = {
        i.id: i for i in inspections.values()
        if (e := enterprises.get(i.enterprise_id)) is not None and e.active and principal.sees_enterprise(e)
    }
    submission_ids = sorted({i.submission_id for i in visible.values() if i.submission_id})
    submissions = {s.id: s for s in (await session.exec(select(Submission).where(col(Submission.id).in_(submission_ids)))).all()} if submission_ids else {}
    inspector_ids = sorted({i.inspector_id for i in visible.values()})
    names: dict[str, str] = {}
    if inspector_ids:
        for user_id, display, username in (await session.exec(select(User.id, User.display_name, User.username).where(col(User.id).in_(inspector_ids)))).all():
            names[user_id] = display or username
    titles = await _checklist_titles(session, list(submissions.values()))
    out: dict[str, dict[str, Any] | None] = {}
    for entity_id in ids:
        inspection = visible.get(entity_id)
        if inspection is None:
            out[entity_id] = None
            continue
        submission = submissions.get(inspection.submission_id or "")
        out[entity_id] = {
            "id": inspection.id, "enterprise_id": inspection.enterprise_id, "inspected_at": inspection.inspected_at.isoformat(),
            "inspector_id": inspection.inspector_id, "inspector_name": names.get(inspection.inspector_id, ""),
            "assignment_id": inspection.assignment_id, "submission_id": inspection.submission_id,
            "checklist_id": submission.checklist_id if submission else None,
            "checklist_version": submission.checklist_version if submission else None,
            "checklist_title": titles.get((submission.checklist_id, submission.checklist_version)) if submission else None,
            "failed_items": len(submission.failed_items) if submission else None,
            "hazards": len(submission.hazard_ids) if submission else None,
        }
    return out
