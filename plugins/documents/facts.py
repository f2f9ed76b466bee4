"""Everything a document may say, gathered from the system's own records before anything is numbered.

The inspection comes through the reader sync provides (``plugins.documents.sources``: answers,
inspectors with their 执法证号, signatures, photos), the enterprise and the hazards from core, each
legal basis from the checklist version the inspection or hazard pinned, rechecks from the hazards'
history, the issuing authority from the enterprise's region. The result is plain data (``values``,
the facts type files name); ``plugins.documents.requirements`` then says what is missing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from core.access.scope import Principal
from core.context import Context
from core.enterprises.records import Enterprise
from core.errors import Conflict, not_found
from core.hazards.records import Hazard
from plugins.documents.authorities import DocumentAuthority, authority_for
from plugins.documents.checklist_facts import PinnedChecklists, answer_failed, basis_text
from plugins.documents.dates import date_text, period_text, time_text
from plugins.documents.hazard_facts import choose_hazards, hazard_rows, order_facts, recheck_rows
from plugins.documents.measure_facts import measure_facts
from plugins.documents.penalties.lookup import penalty_facts
from plugins.documents.sources import InspectionFacts, inspection_reader
from plugins.documents.type_schema import DocumentType
from plugins.documents.wire import DocumentIn


@dataclass
class Gathered:
    """The facts of one document to be, and the records they came from."""

    values: dict[str, Any]
    enterprise: Enterprise
    authority: DocumentAuthority | None
    inspection: InspectionFacts
    hazards: list[Hazard]
    photos: list[tuple[str, str]] = field(default_factory=list)  # (sha256, caption)


def _inspection_missing(inspection_id: str) -> Exception:
    error = not_found("inspection", "检查记录")
    error.field = "inspection_id"
    return error


async def read_inspection(ctx: Context, principal: Principal, inspection_id: str) -> InspectionFacts:
    """The inspection with its submission, in the caller's scope (404 otherwise).

    409 when no reader is wired (a tool running without the server's wiring): never guessed at."""
    reader = inspection_reader()
    if reader is None:
        raise Conflict(
            "inspections cannot be read here: documents are issued by the server", "此处无法读取检查记录，请通过服务器出具文书",
            field="inspection_id", code="inspection_reader_missing",
        )
    facts = await reader(ctx, principal, inspection_id.strip().lower())
    if facts is None:
        raise _inspection_missing(inspection_id)
    return facts


def _authority(row: DocumentAuthority | None) -> dict[str, str] | None:
    if row is None:
        return None
    return {"name": row.name, "short_name": row.short_name, "review_body": row.review_body, "court": row.court, "address": row.address, "phone": row.phone}


def _enterprise(row: Enterprise) -> dict[str, str]:
    return {
        "name": row.name, "uscc": row.uscc, "address": row.address, "legal_representative": row.legal_representative,
        "safety_manager": row.safety_manager, "phone": row.safety_manager_phone,
    }


async def _findings(facts: InspectionFacts, checklists: PinnedChecklists) -> tuple[list[dict[str, Any]], int, list[tuple[str, str]]]:
    """Failed items in checklist order with their basis; how many items were answered; their photos."""
    rows: list[dict[str, Any]] = []
    photos: list[tuple[str, str]] = []
    answered = 0
    for answer in facts.answers:
        if answer.result == "na" or (answer.result is None and answer.value is None):
            continue
        answered += 1
        item = await checklists.item(facts.checklist_id, facts.checklist_version, answer.item_code)
        if item is None or not answer_failed(item, answer.result, answer.value):
            continue
        found = answer.note.strip() or (str(answer.value) if answer.value not in (None, "") else "") or "不符合要求"
        rows.append({"index": str(len(rows) + 1), "item_code": answer.item_code, "text": item.text, "note": found, "basis": basis_text(item.basis)})
        photos += [(sha, f"检查项 {answer.item_code}：{item.text}") for sha in answer.photos]
    return rows, answered, photos


def _inspectors(facts: InspectionFacts) -> list[dict[str, str]]:
    return [
        {"index": str(index), "name": person.display_name, "enforcement_card_no": person.enforcement_card_no.strip()}
        for index, person in enumerate(facts.inspectors, start=1)
    ]


async def _inspection_values(facts: InspectionFacts, enterprise: Enterprise, checklists: PinnedChecklists) -> tuple[dict[str, Any], list[dict[str, Any]], list[tuple[str, str]]]:
    findings, answered, finding_photos = await _findings(facts, checklists)
    checklist = await checklists.checklist(facts.checklist_id, facts.checklist_version)
    inspectors = _inspectors(facts)
    started = facts.started_at or facts.inspected_at
    representative = next((s.name for s in facts.signatures if s.role == "enterprise" and s.name.strip()), "")
    values = {
        "place": enterprise.address, "date": date_text(facts.inspected_at), "started": time_text(started),
        "finished": time_text(facts.finished_at), "period": period_text(started, facts.finished_at),
        "checklist": checklist.title if checklist else "", "items_checked": str(answered), "items_failed": str(len(findings)),
        "notes": facts.notes.strip(), "on_site_representative": representative,
        "inspector_names": "、".join(p["name"] for p in inspectors if p["name"]),
        "card_nos": "、".join(p["enforcement_card_no"] for p in inspectors if p["enforcement_card_no"]),
    }
    photos = [(sha, "现场照片") for sha in facts.photos] + finding_photos
    return values, findings, list(dict((sha, (sha, caption)) for sha, caption in photos).values())


async def gather(ctx: Context, principal: Principal, definition: DocumentType, data: DocumentIn, now: datetime, corrects: str | None) -> Gathered:
    """Every fact the document's type may name. 404 for an inspection (or its enterprise) out of
    scope; 400 naming ``hazard_ids[i]`` or ``period_end`` for a bad request; missing facts are
    left absent for :func:`plugins.documents.requirements.missing_facts` to report all at once."""
    facts = await read_inspection(ctx, principal, data.inspection_id)
    source = definition.source
    async with ctx.db.read() as session:
        enterprise = await session.get(Enterprise, facts.enterprise_id)
        if enterprise is None or not principal.sees_enterprise(enterprise):
            raise _inspection_missing(data.inspection_id)
        authority = await authority_for(session, enterprise.region_code)
        hazards = await choose_hazards(session, source, enterprise.id, facts.hazard_ids, data.hazard_ids) if source != "penalty" else []
        rechecks = await recheck_rows(session, hazards) if source == "recheck" else []
        order = await order_facts(session, facts.inspection_id) if source == "recheck" else None
        penalty = await penalty_facts(session, principal, data.penalty_id, enterprise.id, facts.inspection_id) if source == "penalty" else None
    checklists = PinnedChecklists(ctx)
    inspection, findings, photos = await _inspection_values(facts, enterprise, checklists)
    values: dict[str, Any] = {
        "authority": _authority(authority),
        "enterprise": _enterprise(enterprise),
        "inspection": inspection,
        "inspectors": _inspectors(facts),
        "document": {"date": date_text(now), "corrects": corrects or ""},
        "findings": findings,
        "hazards": await hazard_rows(hazards, checklists),
        "rechecks": rechecks,
        "order": order,
        "measure": measure_facts(data) if source == "measure" else None,
        "penalty": penalty,  # a decided 行政处罚 case; None (missing ``penalty``) before its decision
    }
    return Gathered(values=values, enterprise=enterprise, authority=authority, inspection=facts, hazards=hazards,
                    photos=photos if definition.photos else [])
