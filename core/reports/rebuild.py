"""Rebuilding a stored snapshot (月调度, 季通报): its figures computed again and kept if they changed.

A snapshot is taken once per period by its job; the first ones of a new deployment count a month
before any data was entered, and records that arrive late (a tablet offline for weeks) change a
closed period. So an admin may rebuild one (API, or ``anjian jobs run … --force``): the cells are
computed afresh and, when they differ, replace the stored ones in one write with an audit entry
naming the counts before and after. Unchanged figures write nothing, so a forced job run twice is
still harmless.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec
from sqlmodel import col, select

from core.access.permissions import require
from core.access.scope import Principal
from core.context import Context
from core.errors import InvalidInput
from core.reports.cells import compute_cells
from core.reports.jobs import on_previous_period, store_snapshot
from core.reports.periods import KIND_OF, Period, parse_period
from core.reports.snapshots import SNAPSHOT_KINDS, ReportSnapshot
from core.storage.audit_log import SYSTEM, Actor, append_audit


def _totals(cells: list[dict[str, Any]]) -> dict[str, int]:
    totals: dict[str, int] = {}
    for cell in cells:
        for key, value in cell.items():
            if isinstance(value, int) and not isinstance(value, bool):
                totals[key] = totals.get(key, 0) + value
    return totals


async def rebuild_snapshot(ctx: Context, kind: str, period: str, start: datetime, end: datetime, *, actor: Actor = SYSTEM) -> dict[str, Any]:
    """Compute the period's cells again; store them if the snapshot is new or they changed."""
    existing_id = await _snapshot_id(ctx, kind, period)
    if existing_id is None:
        outcome = await store_snapshot(ctx, kind, period, start, end)
        return {**outcome, "rebuilt": False, "changed": outcome.get("created", False)}
    cells = await compute_cells(ctx, start, end)
    now = ctx.clock.now()
    async with ctx.db.write() as session:
        snap = await session.get(ReportSnapshot, existing_id)
        if snap is None:  # removed meanwhile: nothing to rebuild
            return {"period": period, "created": False, "rebuilt": False, "changed": False}
        if msgspec.json.encode(snap.cells, order="sorted") == msgspec.json.encode(cells, order="sorted"):
            return {"period": period, "created": False, "rebuilt": True, "changed": False, "cells": len(cells)}
        before = {"cells": len(snap.cells), "totals": _totals(snap.cells), "computed_at": snap.created_at.isoformat()}
        snap.cells, snap.created_at = cells, now
        session.add(snap)
        await append_audit(
            session, actor=actor, action="report_snapshot_rebuilt", entity="report_snapshot", entity_id=snap.id, at=now,
            before=before, after={"kind": kind, "period": period, "cells": len(cells), "totals": _totals(cells)},
        )
    return {"period": period, "created": False, "rebuilt": True, "changed": True, "cells": len(cells)}


async def _snapshot_id(ctx: Context, kind: str, period: str) -> str | None:
    async with ctx.db.read() as session:
        return (await session.exec(select(ReportSnapshot.id).where(col(ReportSnapshot.kind) == kind, col(ReportSnapshot.period) == period))).first()


async def rebuild_requested(ctx: Context, principal: Principal, kind: str, period: str) -> dict[str, Any]:
    """An admin's rebuild of ``kind`` for ``period`` (``2026-11`` / ``2026-Q4``), a closed period only."""
    require(principal.role, "report.rebuild")
    parsed = closed_period(ctx, kind, period)
    return await rebuild_snapshot(ctx, kind, period, parsed.start, parsed.end, actor=principal.actor)


def closed_period(ctx: Context, kind: str, period: str) -> Period:
    """``period`` parsed; 400 (``period``) unless it is of ``kind``'s shape and has ended."""
    parsed = parse_period(period)
    if KIND_OF.get(parsed.shape) != kind:
        wanted = "YYYY-MM" if kind == "monthly_dispatch" else "YYYY-Qn"
        raise InvalidInput(
            f"a {kind} period is written {wanted}", f"{SNAPSHOT_KINDS.get(kind, kind)}的周期应写作 {wanted}", field="period", code="invalid_period"
        )
    if parsed.end > ctx.clock.now():
        raise InvalidInput(
            f"period {period} has not ended: a snapshot freezes a closed period (GET /api/v1/reports/period shows it so far)",
            f"{period} 尚未结束，只能生成已结束周期的报表（进行中的周期请用按需统计 GET /api/v1/reports/period）",
            field="period", code="period_not_ended",
        )
    return parsed


async def rebuild_monthly_dispatch(ctx: Context, now: datetime) -> dict[str, Any]:
    """What a forced ``monthly_dispatch`` run does: last month's 月调度 rebuilt."""
    return await on_previous_period(ctx, "monthly_dispatch", now, rebuild_snapshot)


async def rebuild_quarterly_bulletin(ctx: Context, now: datetime) -> dict[str, Any]:
    """What a forced ``quarterly_bulletin`` run does: last quarter's 季通报 rebuilt."""
    return await on_previous_period(ctx, "quarterly_bulletin", now, rebuild_snapshot)
