"""Report jobs: freeze last month's dispatch summary (月调度) and last quarter's bulletin (季通报).

A snapshot exists at most once per (kind, period): running the job again finds it and stops.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from sqlmodel import col, select

from core.context import Context
from core.local_time import LOCAL_TZ, month_bounds, quarter_bounds
from core.reports.cells import compute_cells
from core.reports.snapshots import ReportSnapshot
from core.storage.audit_log import SYSTEM, append_audit


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
