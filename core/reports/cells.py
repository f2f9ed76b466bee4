"""The cells of a period report, counted by the database: hazards and inspections of [start, end)
by (region, industries, level), one GROUP BY each.

Counting in SQL instead of loading hazards: a month's report at a province's million hazards reads
only the hazards that can count (registered before the end, and open or closed since the start:
one closed before the start counts nowhere) and sends back one row per cell (bench/console.py).
Each metric is the rule it always was, written as SQL: ``overdue_at_end`` is
``core.hazards.deadlines.overdue_by`` judged at the end of the period (tests/core/reports/
test_cells.py checks both against each other on hazards at every boundary).
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import String, and_, case, cast, func, not_, or_
from sqlmodel import col, select

from core.access.scope import Principal
from core.context import Context
from core.enterprises.records import Enterprise
from core.hazards.queries import checked_per_row, hazards_in_scope
from core.hazards.records import Hazard
from core.inspections.records import Inspection

CELL_METRICS = ("found", "found_major", "closed", "open_at_end", "overdue_at_end", "listed_at_end", "inspections")
Cell = tuple[str, tuple[str, ...], str | None]


def _counted(*conditions: Any) -> Any:
    return func.sum(case((and_(*conditions), 1), else_=0))


def hazard_metrics(start: datetime, end: datetime) -> list[Any]:
    """One SUM per hazard metric of ``CELL_METRICS`` (all but ``inspections``), in that order."""
    received, closed, deadline, rectified = col(Hazard.received_at), col(Hazard.closed_at), col(Hazard.deadline), col(Hazard.rectified_at)
    open_at_end = or_(closed.is_(None), closed >= end)
    # overdue_by(hazard, end): a deadline, not closed by then, and late — until the fix was
    # reported when that was by then, else until the end
    overdue_at_end = and_(
        open_at_end, deadline.is_not(None),
        not_(and_(closed.is_not(None), closed <= end)), not_(and_(closed.is_(None), col(Hazard.status) == "closed")),
        or_(and_(rectified.is_not(None), rectified <= end, rectified > deadline), and_(or_(rectified.is_(None), rectified > end), deadline < end)),
    )
    return [
        _counted(received >= start),
        _counted(received >= start, col(Hazard.level) == "major"),
        _counted(closed.is_not(None), closed >= start, closed < end),
        _counted(open_at_end),
        _counted(overdue_at_end),
        _counted(open_at_end, col(Hazard.listed_at).is_not(None), col(Hazard.listed_at) < end),
    ]


def _industries(stored: Any) -> tuple[str, ...]:
    """The industries of a cell, sorted: the column is JSON, grouped as its text."""
    values = json.loads(stored) if isinstance(stored, str) else stored
    return tuple(sorted(values or ()))


async def compute_cells(ctx: Context, start: datetime, end: datetime, principal: Principal | None = None) -> list[dict[str, Any]]:
    """Counts for [start, end) by (region, industries, level); inspection counts have level None.
    With ``principal``, only the hazards and inspections of enterprises in that caller's scope."""
    industries = cast(col(Hazard.industries), String)  # JSON has no equality on PostgreSQL; its text does
    keys = (col(Hazard.region_code), industries, col(Hazard.level))
    columns = (*keys, *hazard_metrics(start, end))
    closed = col(Hazard.closed_at)
    # still open, or closed since the start: two ranges of ix_hazard_closed, asked apart (joined by
    # OR, or left to choose the index of registration or of the region for its GROUP BY, SQLite
    # reads every hazard); the other terms are checked per row
    hazard_queries = [
        (hazards_in_scope(principal, *columns, by_range=True) if principal else select(*columns).select_from(Hazard))
        .where(checked_per_row(col(Hazard.received_at)) < end, which).group_by(checked_per_row(col(Hazard.region_code)), industries, col(Hazard.level))
        for which in (closed.is_(None), closed >= start)
    ]
    inspection_keys = (col(Inspection.region_code), cast(col(Inspection.industries), String))
    inspections = select(*inspection_keys, func.count()).select_from(Inspection)
    if principal is not None and (conditions := principal.enterprise_conditions()):
        inspections = inspections.where(col(Inspection.enterprise_id).in_(select(Enterprise.id).where(*conditions)))
    inspections = inspections.where(col(Inspection.inspected_at) >= start, col(Inspection.inspected_at) < end).group_by(*inspection_keys)
    cells: dict[Cell, dict[str, int]] = defaultdict(lambda: dict.fromkeys(CELL_METRICS, 0))
    async with ctx.db.read() as session:
        for hazards in hazard_queries:
            for region, stored, level, *counts in (await session.exec(hazards)).all():
                cell = cells[(region, _industries(stored), level)]
                for metric, n in zip(CELL_METRICS, counts, strict=False):
                    cell[metric] += int(n or 0)
        for region, stored, n in (await session.exec(inspections)).all():
            cells[(region, _industries(stored), None)]["inspections"] += int(n)
    return [
        {"region_code": region, "industries": list(industries), "level": level, **counts}
        for (region, industries, level), counts in sorted(cells.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2] or ""))
        if any(counts.values())
    ]
