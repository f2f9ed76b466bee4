"""Report jobs: freeze last month's dispatch summary (月调度) and last quarter's bulletin (季通报).

A snapshot exists at most once per (kind, period): running the job again finds it and stops.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from sqlmodel import col, select

from core.access.scope import Principal
from core.context import Context
from core.enterprises.records import Enterprise
from core.hazards.deadlines import is_overdue
from core.hazards.queries import scoped_hazard_query
from core.hazards.records import Hazard
from core.inspections.records import Inspection
from core.local_time import LOCAL_TZ, month_bounds, quarter_bounds
from core.reports.snapshots import ReportSnapshot
from core.storage.audit_log import SYSTEM, append_audit

CELL_METRICS = ("found", "found_major", "closed", "open_at_end", "overdue_at_end", "listed_at_end", "inspections")


def previous_month(now: datetime) -> tuple[str, datetime, datetime]:
    """The local month before ``now``: its name (``2026-02``) and bounds."""
    local = now.astimezone(LOCAL_TZ)
    year, month = (local.year - 1, 12) if local.month == 1 else (local.year, local.month - 1)
    start, end = month_bounds(year, month)
    return f"{year}-{month:02d}", start, end


def previous_quarter(now: datetime) -> tuple[str, datetime, datetime]:
    """The local quarter before ``now``: its name (``2026-Q1``) and bounds."""
    local = now.astimezone(LOCAL_TZ)
    quarter = (local.month - 1) // 3 + 1
    year, quarter = (local.year - 1, 4) if quarter == 1 else (local.year, quarter - 1)
    start, end = quarter_bounds(year, quarter)
    return f"{year}-Q{quarter}", start, end


def _hazards(principal: Principal | None) -> Any:
    return select(Hazard) if principal is None else scoped_hazard_query(principal)


def _inspections(principal: Principal | None) -> Any:
    if principal is None:
        return select(Inspection)
    joined = col(Enterprise.id) == col(Inspection.enterprise_id)
    return select(Inspection).join(Enterprise, joined).where(*principal.enterprise_conditions())


async def compute_cells(ctx: Context, start: datetime, end: datetime, principal: Principal | None = None) -> list[dict[str, Any]]:
    """Counts for [start, end) by (region, industries, level); inspection counts have level None.
    With ``principal``, only the hazards and inspections of enterprises in that caller's scope."""
    async with ctx.db.read() as session:
        hazards = (await session.exec(_hazards(principal).where(col(Hazard.received_at) < end))).all()
        inspections = (await session.exec(_inspections(principal).where(col(Inspection.inspected_at) >= start, col(Inspection.inspected_at) < end))).all()
    cells: dict[tuple[str, tuple[str, ...], str | None], dict[str, int]] = defaultdict(lambda: dict.fromkeys(CELL_METRICS, 0))
    for h in hazards:
        cell = cells[(h.region_code, tuple(sorted(h.industries)), h.level)]
        if h.received_at >= start:
            cell["found"] += 1
            cell["found_major"] += h.level == "major"
        if h.closed_at is not None and start <= h.closed_at < end:
            cell["closed"] += 1
        open_at_end = h.closed_at is None or h.closed_at >= end
        if open_at_end:
            cell["open_at_end"] += 1
            cell["overdue_at_end"] += is_overdue(h, end)  # the enterprise had missed the deadline by then
            cell["listed_at_end"] += h.listed_at is not None and h.listed_at < end
    for i in inspections:
        cells[(i.region_code, tuple(sorted(i.industries)), None)]["inspections"] += 1
    return [
        {"region_code": region, "industries": list(industries), "level": level, **counts}
        for (region, industries, level), counts in sorted(cells.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2] or ""))
        if any(counts.values())
    ]


async def store_snapshot(ctx: Context, kind: str, period: str, start: datetime, end: datetime) -> dict[str, Any]:
    """Compute and store one snapshot unless it exists."""
    async with ctx.db.read() as session:
        if (await session.exec(select(ReportSnapshot.id).where(col(ReportSnapshot.kind) == kind, col(ReportSnapshot.period) == period))).first():
            return {"period": period, "created": False}
    cells = await compute_cells(ctx, start, end)
    now = ctx.clock.now()
    async with ctx.db.write() as session:
        if (await session.exec(select(ReportSnapshot.id).where(col(ReportSnapshot.kind) == kind, col(ReportSnapshot.period) == period))).first():
            return {"period": period, "created": False}
        snap = ReportSnapshot(kind=kind, period=period, period_start=start, period_end=end, cells=cells, created_at=now)
        session.add(snap)
        await session.flush()
        await append_audit(session, actor=SYSTEM, action="report_snapshot_created", entity="report_snapshot", entity_id=snap.id, at=now, after={"kind": kind, "period": period, "cells": len(cells)})
    return {"period": period, "created": True, "cells": len(cells)}


SnapshotOperation = Callable[[Context, str, str, datetime, datetime], Awaitable[dict[str, Any]]]
PREVIOUS_PERIOD = {"monthly_dispatch": previous_month, "quarterly_bulletin": previous_quarter}


async def on_previous_period(ctx: Context, kind: str, now: datetime, operation: SnapshotOperation) -> dict[str, Any]:
    """``operation`` (store or rebuild) on the snapshot of ``kind`` for the period before ``now``."""
    period, start, end = PREVIOUS_PERIOD[kind](now)
    return await operation(ctx, kind, period, start, end)


async def monthly_dispatch(ctx: Context, now: datetime) -> dict[str, Any]:
    """月调度 of the month before ``now``."""
    return await on_previous_period(ctx, "monthly_dispatch", now, store_snapshot)


async def quarterly_bulletin(ctx: Context, now: datetime) -> dict[str, Any]:
    """季通报 of the quarter before ``now``."""
    return await on_previous_period(ctx, "quarterly_bulletin", now, store_snapshot)
