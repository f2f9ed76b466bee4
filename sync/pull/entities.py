"""What a pull can deliver: per entity, who may receive its changes and its current full state.

``relevant`` is a cheap test on the change row alone (the scope the record had, before and after
the change); ``load`` reads the current records of a batch at once and says, per id, the state to
deliver or None for a tombstone (deleted, deactivated, retired or now out of scope).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import msgspec
from sqlalchemy import select as sa_select
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from checklists.bundle import bundle_industries
from checklists.tables import ChecklistVersion
from core.access.scope import Principal
from core.enterprises.records import Enterprise
from core.hazards.records import Hazard
from core.hazards.wire import hazard_out
from core.storage.changes import Change
from sync.pull.assignments import load_assignments
from sync.pull.inspections import load_inspections
from sync.pull.relevance import enterprise_scoped, own_assignment

Loader = Callable[[AsyncSession, Principal, list[str], datetime], Awaitable[dict[str, dict[str, Any] | None]]]


@dataclass(frozen=True)
class EntityKind:
    relevant: Callable[[Principal, Change], bool]
    load: Loader


async def _enterprises(session: AsyncSession, principal: Principal, ids: list[str], now: datetime) -> dict[str, dict[str, Any] | None]:
    # Plain rows, not ORM objects: an initial pull delivers every enterprise in scope, and the
    # table's columns are exactly ``EnterpriseOut``'s fields.
    table = Enterprise.__table__
    result = await (await session.connection()).execute(sa_select(table).where(table.c.id.in_(ids)))
    columns = list(result.keys())  # zipped with each row: ``row._mapping`` cost a fifth of a page
    found = {row.id: row for row in result.all()}
    out: dict[str, dict[str, Any] | None] = {}
    for entity_id in ids:
        row = found.get(entity_id)
        visible = row is not None and row.active and principal.sees_enterprise(row)
        out[entity_id] = msgspec.to_builtins(dict(zip(columns, row, strict=True))) if visible and row is not None else None
    return out


async def _hazards(session: AsyncSession, principal: Principal, ids: list[str], now: datetime) -> dict[str, dict[str, Any] | None]:
    hazards = {h.id: h for h in (await session.exec(select(Hazard).where(col(Hazard.id).in_(ids)))).all()}
    enterprise_ids = sorted({h.enterprise_id for h in hazards.values()})
    enterprises = {e.id: e for e in (await session.exec(select(Enterprise).where(col(Enterprise.id).in_(enterprise_ids)))).all()} if enterprise_ids else {}
    out: dict[str, dict[str, Any] | None] = {}
    for entity_id in ids:
        hazard = hazards.get(entity_id)
        enterprise = enterprises.get(hazard.enterprise_id) if hazard else None
        visible = hazard is not None and enterprise is not None and enterprise.active and principal.sees_enterprise(enterprise)
        out[entity_id] = msgspec.to_builtins(hazard_out(hazard, now)) if visible and hazard else None
    return out


def _checklist_relevant(principal: Principal, row: Change) -> bool:
    # An enterprise's own check list (generated from its risk register) carries its enterprise's
    # scope in the change row (``checklists.versions``): it reaches whoever sees that enterprise.
    if row.enterprise_id is not None:
        return enterprise_scoped(principal, row)
    industries = set(bundle_industries(principal))
    return bool(industries & set(row.industries or []))


async def _checklist_versions(session: AsyncSession, principal: Principal, ids: list[str], now: datetime) -> dict[str, dict[str, Any] | None]:
    wanted = [tuple(i.rsplit("@", 1)) for i in ids if "@" in i]
    industries = set(bundle_industries(principal))
    out: dict[str, dict[str, Any] | None] = dict.fromkeys(ids)
    checklist_ids = sorted({c for c, _ in wanted})
    if not checklist_ids:
        return out
    rows = (await session.exec(select(ChecklistVersion).where(col(ChecklistVersion.checklist_id).in_(checklist_ids)))).all()
    owner_ids = sorted({row.owner_enterprise_id for row in rows if row.owner_enterprise_id})
    owners = {e.id: e for e in (await session.exec(select(Enterprise).where(col(Enterprise.id).in_(owner_ids)))).all()} if owner_ids else {}
    for row in rows:
        key = f"{row.checklist_id}@{row.version}"
        if row.owner_enterprise_id is not None:
            owner = owners.get(row.owner_enterprise_id)
            visible = owner is not None and owner.active and principal.sees_enterprise(owner)
        else:
            visible = row.industry in industries
        if key in out and row.retired_at is None and visible:
            out[key] = {
                "checklist_id": row.checklist_id, "version": row.version, "title": row.title, "industry": row.industry,
                "content_hash": row.content_hash, "published_at": row.published_at.isoformat(), "content": msgspec.json.decode(row.content),
            }
    return out


KINDS: dict[str, EntityKind] = {
    "enterprise": EntityKind(enterprise_scoped, _enterprises),
    "hazard": EntityKind(enterprise_scoped, _hazards),
    "checklist_version": EntityKind(_checklist_relevant, _checklist_versions),
    "assignment": EntityKind(own_assignment, load_assignments),
    "inspection": EntityKind(enterprise_scoped, load_inspections),
}
