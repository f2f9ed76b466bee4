"""The inspection facts enforcement documents are made from (``plugins.documents.sources``).

Plugins may not import sync, which stores submissions; ``server.py`` hands :func:`inspection_facts`
to ``plugins.documents.sources.provide_inspections``. It is the read-back of
``GET /api/v1/inspections/{id}`` (``sync.readback.reading``) in the plugin's terms: one reading,
two faces, so a document says exactly what the API shows.
"""

from __future__ import annotations

from core.access.scope import Principal
from core.context import Context
from plugins.documents.sources import AnswerFact, InspectionFacts, InspectorFact, SignatureFact
from sync.readback.reading import read_inspection
from sync.readback.wire import InspectionReadOut


async def inspection_facts(ctx: Context, principal: Principal, inspection_id: str) -> InspectionFacts | None:
    """The inspection in the caller's scope with its submission, or None (absent or out of scope)."""
    found = await read_inspection(ctx, principal, inspection_id)
    return None if found is None else facts_of(found)


def facts_of(found: InspectionReadOut) -> InspectionFacts:
    """The plugin's view of a read-back inspection: inspectors lead first, answers in item order."""
    submission = found.submission
    return InspectionFacts(
        inspection_id=found.id,
        submission_id=submission.id if submission else None,
        enterprise_id=found.enterprise_id,
        inspected_at=found.inspected_at,
        started_at=submission.started_at if submission else None,
        finished_at=submission.finished_at if submission else None,
        inspectors=[InspectorFact(user_id=p.user_id, display_name=p.display_name, enforcement_card_no=p.enforcement_card_no or "") for p in found.inspectors],
        checklist_id=submission.checklist.id if submission else None,
        checklist_version=submission.checklist.version if submission else None,
        checklist_hash=submission.checklist.hash if submission else None,
        answers=[
            AnswerFact(item_code=a.item_code, result=a.result, value=a.value, note=a.note, photos=list(a.photos))
            for a in (submission.answers if submission else [])
        ],
        notes=submission.notes if submission else "",
        latitude=submission.gps.latitude if submission and submission.gps else None,
        longitude=submission.gps.longitude if submission and submission.gps else None,
        photos=[p.sha256 for p in submission.photos if p.item_code is None] if submission else [],
        signatures=[SignatureFact(role=s.role, name=s.name, sha256=s.sha256) for s in (submission.signatures if submission else [])],
        hazard_ids=list(found.hazard_ids),
    )
