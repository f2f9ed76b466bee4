"""Reading an inspection back with its accepted submission, in the caller's scope.

One reader for two faces: ``GET /api/v1/inspections/{id}`` (``sync.readback.api``) and the facts
enforcement documents are made from (``sync.document_source``). Scope is the enterprise's: whoever
sees the enterprise sees its inspections (its own users too: they were served the documents); for
anyone else the inspection does not exist. Nothing is written, so nothing is audited.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.access.scope import Principal
from core.access.users import User
from core.context import Context
from core.enterprises.records import Enterprise
from core.ids import canonical_uuid
from core.inspections.records import Inspection
from sync.push.pinned import PinnedVersion, find_pinned
from sync.push.submissions import Submission
from sync.readback.wire import (
    AnswerOut,
    ChecklistRef,
    GpsOut,
    InspectionReadOut,
    InspectorOut,
    PhotoOut,
    SignatureOut,
    SubmissionOut,
)


async def read_inspection(ctx: Context, principal: Principal, inspection_id: str) -> InspectionReadOut | None:
    """The inspection ``inspection_id`` with its submission, or None when it does not exist or its
    enterprise is outside the caller's scope (the caller answers 404 for both)."""
    wanted = canonical_uuid(inspection_id.strip())
    if wanted is None:
        return None  # not an id any inspection has
    async with ctx.db.read() as session:
        inspection = await session.get(Inspection, wanted)
        if inspection is None:
            return None
        enterprise = await session.get(Enterprise, inspection.enterprise_id)
        if enterprise is None or not principal.sees_enterprise(enterprise):
            return None
        submission = await session.get(Submission, inspection.submission_id) if inspection.submission_id else None
        officers = [inspection.inspector_id, *(submission.co_inspectors if submission else [])]
        people = await _people(session, officers)
        view = await _submission(session, submission) if submission is not None else None
    return InspectionReadOut(
        id=inspection.id, enterprise_id=inspection.enterprise_id, enterprise_name=enterprise.name, inspector_id=inspection.inspector_id,
        assignment_id=inspection.assignment_id, inspected_at=inspection.inspected_at, recorded_at=inspection.created_at,
        region_code=inspection.region_code, industries=list(inspection.industries),
        inspectors=[_inspector(people.get(user_id), user_id, "lead" if index == 0 else "co") for index, user_id in enumerate(officers)],
        hazard_ids=list(submission.hazard_ids) if submission else [], submission=view,
    )


async def _people(session: AsyncSession, ids: list[str]) -> dict[str, User]:
    rows = (await session.exec(select(User).where(col(User.id).in_(sorted(set(ids)))))).all()
    return {u.id: u for u in rows}


def _inspector(user: User | None, user_id: str, part: str) -> InspectorOut:
    if user is None:
        return InspectorOut(user_id=user_id, display_name="", enforcement_card_no=None, part=part)  # type: ignore[arg-type]
    return InspectorOut(user_id=user_id, display_name=user.display_name or user.username, enforcement_card_no=user.enforcement_card_no, part=part)  # type: ignore[arg-type]


def _ordered(answers: dict[str, Any], pinned: PinnedVersion | None) -> list[str]:
    """The answered codes in the checklist's item order (any the version does not know, last)."""
    order = pinned.order if pinned is not None else {}
    return sorted(answers, key=lambda code: (order.get(code, len(order)), code))


async def _submission(session: AsyncSession, row: Submission) -> SubmissionOut:
    pinned = await find_pinned(session, row.checklist_id, row.checklist_version)
    failed = set(row.failed_items)
    answers: list[AnswerOut] = []
    photos = [PhotoOut(sha256=sha, item_code=None, caption=None) for sha in row.photos]
    for code in _ordered(row.answers, pinned):
        answer: dict[str, Any] = row.answers[code]
        item = pinned.items.get(code) if pinned is not None else None
        answer_photos = list(answer.get("photos") or [])
        answers.append(AnswerOut(
            item_code=code, item_text=item.text if item is not None else None, result=answer.get("result"), value=answer.get("value"),
            note=answer.get("note") or "", photos=answer_photos, failed=code in failed,
        ))
        photos += [PhotoOut(sha256=sha, item_code=code, caption=None) for sha in answer_photos]
    replaced_by = (await session.exec(select(Submission.id).where(col(Submission.replaces_id) == row.id).order_by(col(Submission.received_at)))).all()
    gps = GpsOut(latitude=row.latitude, longitude=row.longitude, accuracy_m=row.gps_accuracy_m) if row.latitude is not None and row.longitude is not None else None
    return SubmissionOut(
        id=row.id,
        checklist=ChecklistRef(id=row.checklist_id, version=row.checklist_version, hash=row.checklist_hash, title=pinned.checklist.title if pinned else None),
        started_at=row.started_at, finished_at=row.finished_at, received_at=row.received_at, gps=gps, answers=answers, notes=row.notes,
        photos=photos, signatures=[SignatureOut(role=s.get("role", ""), name=s.get("name", ""), sha256=s["sha256"]) for s in row.signatures],
        failed_items=list(row.failed_items), co_inspectors=list(row.co_inspectors), replaces=row.replaces_id, replaced_by=list(replaced_by),
    )
