"""The period report's cells counted in SQL (``core.reports.cells``) equal the rule written in Python
(``core.hazards.deadlines.overdue_by`` and the metric definitions), hazard by hazard, on hazards
placed at every boundary of the period: registered, closed, fixed, listed and due exactly at its
start and end, just before and after, never — on both databases, for everything and for a scope."""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

from sqlalchemy import insert

from core.access.scope import Principal
from core.bootstrap import prepare_database
from core.enterprises.records import Enterprise, EnterpriseIndustry
from core.hazards.deadlines import is_overdue
from core.hazards.records import Hazard
from core.inspections.records import Inspection
from core.reports.cells import CELL_METRICS, compute_cells
from core.storage.database import Database

START = datetime(2026, 10, 31, 16, 0, tzinfo=UTC)  # 2026-11 in Asia/Shanghai
END = datetime(2026, 11, 30, 16, 0, tzinfo=UTC)
ENTERPRISES = [("510681", ["hazchem"]), ("510681", ["fire", "hazchem"]), ("510603", ["construction"])]
DEPARTMENT = Principal(user_id="d", username="d", role="department_admin", region_code="510681", industries=("hazchem",))


def _moment(rng: random.Random) -> datetime | None:
    """None, a boundary, a microsecond either side of one, or somewhere around the period."""
    choice = rng.random()
    if choice < 0.2:
        return None
    if choice < 0.6:
        return rng.choice([START, END]) + rng.choice([timedelta(0), timedelta(microseconds=1), -timedelta(microseconds=1)])
    return START + timedelta(days=rng.uniform(-40, 70))


def _hazard(rng: random.Random, enterprise: tuple[str, str, list[str]], now: datetime) -> dict[str, Any]:
    ident, region, industries = enterprise
    received = _moment(rng) or START - timedelta(days=3)
    closed_at = _moment(rng)
    if closed_at is not None and closed_at < received:
        closed_at = received  # closed no earlier than registered (and then exactly at it)
    status = "closed" if closed_at is not None or rng.random() < 0.1 else rng.choice(["reported", "rectifying", "awaiting_recheck"])
    listed_at = _moment(rng)
    return {
        "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "enterprise_id": ident, "region_code": region, "industries": rng.sample(industries, len(industries)),
        "level": rng.choice(["general", "major"]), "status": status, "description": "边界", "location": "", "found_at": received, "received_at": received,
        "deadline": _moment(rng), "responsible_person": "", "rectification_plan": "", "listed_supervision": listed_at is not None, "listed_at": listed_at,
        "listed_reason": "测试" if listed_at else None, "evidence": [], "rectification_evidence": [], "rectified_at": _moment(rng), "overdue_marked_at": None,
        "closed_at": closed_at, "version": 1, "created_at": now, "updated_at": now,
    }


def _reference(hazards: list[Hazard], inspections: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rule as the report always defined it, one hazard at a time."""
    cells: dict[tuple[str, tuple[str, ...], str | None], dict[str, int]] = defaultdict(lambda: dict.fromkeys(CELL_METRICS, 0))
    for h in hazards:
        if h.received_at >= END:
            continue
        cell = cells[(h.region_code, tuple(sorted(h.industries)), h.level)]
        if h.received_at >= START:
            cell["found"] += 1
            cell["found_major"] += h.level == "major"
        if h.closed_at is not None and START <= h.closed_at < END:
            cell["closed"] += 1
        if h.closed_at is None or h.closed_at >= END:
            cell["open_at_end"] += 1
            cell["overdue_at_end"] += is_overdue(h, END)
            cell["listed_at_end"] += h.listed_at is not None and h.listed_at < END
    for i in inspections:
        if START <= i["inspected_at"] < END:
            cells[(i["region_code"], tuple(sorted(i["industries"])), None)]["inspections"] += 1
    return [
        {"region_code": region, "industries": list(industries), "level": level, **counts}
        for (region, industries, level), counts in sorted(cells.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2] or ""))
        if any(counts.values())
    ]


async def test_cells_counted_in_sql_equal_the_rule_at_every_boundary(any_db_url: str) -> None:
    rng = random.Random(20261205)
    now = datetime(2026, 12, 5, tzinfo=UTC)
    db = Database(any_db_url)
    try:
        await prepare_database(db)
        enterprises = []
        async with db.engine.begin() as conn:
            for n, (region, industries) in enumerate(ENTERPRISES):
                ident = str(uuid.UUID(int=rng.getrandbits(128), version=4))
                await conn.execute(insert(Enterprise.__table__), [{  # type: ignore[attr-defined]
                    "id": ident, "name": f"边界企业{n}", "uscc": f"91510681MA6{n:07d}", "region_code": region, "industries": industries, "scale": "small_micro",
                    "high_risk_flags": [], "version": 1, "created_at": now, "updated_at": now, "blacklisted": False, "active": True,
                }])
                await conn.execute(insert(EnterpriseIndustry.__table__), [{"enterprise_id": ident, "industry": i} for i in industries])  # type: ignore[attr-defined]
                enterprises.append((ident, region, industries))
            rows = [_hazard(rng, rng.choice(enterprises), now) for _ in range(600)]
            await conn.execute(insert(Hazard.__table__), rows)  # type: ignore[attr-defined]
            inspections = [{
                "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "enterprise_id": e[0], "region_code": e[1], "industries": e[2],
                "inspector_id": "u", "inspected_at": START + timedelta(days=rng.uniform(-5, 35)), "created_at": now,
            } for e in (rng.choice(enterprises) for _ in range(40))]
            await conn.execute(insert(Inspection.__table__), inspections)  # type: ignore[attr-defined]
        hazards = [Hazard(**row) for row in rows]
        ctx: Any = SimpleNamespace(db=db)

        everything = await compute_cells(ctx, START, END)
        assert everything == _reference(hazards, inspections)
        assert sum(c["overdue_at_end"] for c in everything) > 0 and sum(c["closed"] for c in everything) > 0  # the sample reaches every metric

        in_scope = {ident for ident, region, industries in enterprises if region == "510681" and "hazchem" in industries}
        scoped = await compute_cells(ctx, START, END, DEPARTMENT)
        assert scoped == _reference([h for h in hazards if h.enterprise_id in in_scope], [i for i in inspections if i["enterprise_id"] in in_scope])
        assert {c["region_code"] for c in scoped} == {"510681"}
    finally:
        await db.dispose()
