"""The hazards a document lists, as rows of facts: what, where, by when, on what basis, and for a
整改复查意见书 how each recheck went.

Which hazards: those the request names (each must belong to the inspection's enterprise; for a
现场处理措施决定书 each must be major), else by the type's source: all of the inspection's for a
现场检查记录, the open ones for a 责令限期整改指令书, the rechecked ones for a 整改复查意见书, the
open major ones for a 现场处理措施决定书.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.errors import InvalidInput
from core.hazards.records import HAZARD_LEVEL_LABELS, Hazard, HazardTransition
from plugins.documents.checklist_facts import PinnedChecklists, basis_text
from plugins.documents.dates import date_text, parse_instant
from plugins.documents.records import EnforcementDocument

RECHECK_ACTIONS = ("recheck_passed", "recheck_failed")


async def _hazards(session: AsyncSession, ids: list[str]) -> dict[str, Hazard]:
    if not ids:
        return {}
    return {h.id: h for h in (await session.exec(select(Hazard).where(col(Hazard.id).in_(ids)))).all()}


async def latest_rechecks(session: AsyncSession, ids: list[str]) -> dict[str, HazardTransition]:
    """The most recent recheck (passed or failed) of each hazard that had one."""
    if not ids:
        return {}
    rows = (
        await session.exec(
            select(HazardTransition)
            .where(col(HazardTransition.hazard_id).in_(ids), col(HazardTransition.action).in_(RECHECK_ACTIONS))
            .order_by(col(HazardTransition.at), col(HazardTransition.resulting_version))
        )
    ).all()
    return {row.hazard_id: row for row in rows}


async def _requested(session: AsyncSession, source: str, enterprise_id: str, requested: list[str]) -> list[Hazard]:
    ids = [hazard_id.strip().lower() for hazard_id in requested]
    found = await _hazards(session, list(dict.fromkeys(ids)))
    chosen: dict[str, Hazard] = {}
    for index, hazard_id in enumerate(ids):
        hazard = found.get(hazard_id)
        if hazard is None or hazard.enterprise_id != enterprise_id:
            raise InvalidInput(
                f"hazard {hazard_id} of the inspected enterprise was not found", f"未找到被检查单位的隐患 {hazard_id}",
                field=f"hazard_ids[{index}]", code="unknown_hazard",
            )
        if source == "measure" and hazard.level != "major":
            raise InvalidInput(
                f"hazard {hazard_id} is not a major hazard: on-site measures are decided for major hazards only",
                f"隐患 {hazard_id} 不是重大事故隐患，现场处理措施只针对重大事故隐患", field=f"hazard_ids[{index}]", code="not_a_major_hazard",
            )
        chosen.setdefault(hazard_id, hazard)
    return list(chosen.values())


async def choose_hazards(session: AsyncSession, source: str, enterprise_id: str, inspection_hazards: list[str], requested: list[str]) -> list[Hazard]:
    """The hazards a document of ``source`` lists (400 naming ``hazard_ids[i]`` for a bad one)."""
    if requested:
        return await _requested(session, source, enterprise_id, requested)
    found = await _hazards(session, inspection_hazards)
    hazards = [found[h] for h in inspection_hazards if h in found]
    if source == "hazards":
        return [h for h in hazards if h.status != "closed"]
    if source == "measure":
        return [h for h in hazards if h.level == "major" and h.status != "closed"]
    if source == "recheck":
        rechecked = await latest_rechecks(session, [h.id for h in hazards])
        return [h for h in hazards if h.id in rechecked]
    return hazards


async def hazard_rows(hazards: list[Hazard], checklists: PinnedChecklists) -> list[dict[str, Any]]:
    """One row per hazard; ``basis`` is the basis of the checklist item it was raised on ("" if none)."""
    rows = []
    for index, hazard in enumerate(hazards, start=1):
        item = await checklists.item(hazard.checklist_id, hazard.checklist_version, hazard.item_code)
        rows.append({
            "index": str(index), "description": hazard.description, "level": HAZARD_LEVEL_LABELS.get(hazard.level, hazard.level),
            "location": hazard.location, "deadline": date_text(hazard.deadline), "basis": basis_text(item.basis) if item else "",
            "item_code": hazard.item_code or "",
        })
    return rows


async def recheck_rows(session: AsyncSession, hazards: list[Hazard]) -> list[dict[str, Any]]:
    """One row per hazard with its latest recheck: passed, or failed with the reason and new deadline.
    A hazard never rechecked gets a row without date or result (reported missing, not guessed)."""
    rechecks = await latest_rechecks(session, [h.id for h in hazards])
    rows = []
    for index, hazard in enumerate(hazards, start=1):
        recheck = rechecks.get(hazard.id)
        row = {"index": str(index), "description": hazard.description, "deadline": date_text(hazard.deadline),
               "rechecked_on": "", "result": "", "new_deadline": "", "note": ""}
        if recheck is not None and recheck.action == "recheck_passed":
            row.update(rechecked_on=date_text(recheck.at), result="整改合格，予以销号", new_deadline="—", note=recheck.reason)
        elif recheck is not None:
            previous = parse_instant(recheck.data.get("previous_deadline"))
            row.update(
                deadline=date_text(previous) or row["deadline"], rechecked_on=date_text(recheck.at),
                result=f"整改不合格：{recheck.reason}" if recheck.reason else "整改不合格",
                new_deadline=date_text(parse_instant(recheck.data.get("deadline"))), note=recheck.reason,
            )
        rows.append(row)
    return rows


async def order_facts(session: AsyncSession, inspection_id: str) -> dict[str, str] | None:
    """The newest 责令限期整改指令书 in force for the inspection (number, date), or None."""
    order = (
        await session.exec(
            select(EnforcementDocument)
            .where(col(EnforcementDocument.inspection_id) == inspection_id, col(EnforcementDocument.type_code) == "rectification_order",
                   col(EnforcementDocument.status) == "issued")
            .order_by(col(EnforcementDocument.issued_at).desc())
            .limit(1)
        )
    ).first()
    return None if order is None else {"number": order.number, "date": date_text(order.issued_at)}
