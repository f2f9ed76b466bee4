"""Reading stored report snapshots (月调度, 季通报) within the caller's scope."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec
from sqlmodel import col, select

from core.access.permissions import require
from core.access.scope import Principal
from core.context import Context
from core.errors import not_found
from core.local_time import localized
from core.reports.period_table import cells_table, region_names
from core.reports.rendering import ReportTable
from core.reports.snapshots import SNAPSHOT_KINDS, ReportSnapshot


class SnapshotInfo(msgspec.Struct, kw_only=True):
    """A stored 月调度 / 季通报: its period [start, end) and when its figures were computed, in local time
    (``created_at`` is renewed when a rebuild changes the figures)."""

    id: str
    kind: str
    kind_label: str
    period: str
    period_start: datetime
    period_end: datetime
    created_at: datetime


def _visible(principal: Principal, cell: dict[str, Any]) -> bool:
    return principal.sees_region(cell["region_code"]) and principal.sees_industries(cell["industries"])


async def list_snapshots(ctx: Context, principal: Principal, kind: str | None = None) -> list[SnapshotInfo]:
    """Stored snapshots, newest period first."""
    require(principal.role, "report.read")
    query = select(ReportSnapshot).order_by(col(ReportSnapshot.period_start).desc(), col(ReportSnapshot.kind))
    if kind:
        query = query.where(col(ReportSnapshot.kind) == kind)
    async with ctx.db.read() as session:
        rows = (await session.exec(query)).all()
    return [snapshot_info(r) for r in rows]


def snapshot_info(r: ReportSnapshot) -> SnapshotInfo:
    """A stored snapshot's description, its times in the deployment's zone."""
    return SnapshotInfo(
        id=r.id, kind=r.kind, kind_label=SNAPSHOT_KINDS.get(r.kind, r.kind), period=r.period, period_start=localized(r.period_start),
        period_end=localized(r.period_end), created_at=localized(r.created_at),
    )


async def snapshot_report(ctx: Context, principal: Principal, snapshot_id: str) -> ReportTable:
    """One snapshot by region, restricted to the cells in the caller's scope, with a 合计 row."""
    require(principal.role, "report.read")
    async with ctx.db.read() as session:
        snap = await session.get(ReportSnapshot, snapshot_id)
        if snap is None:
            raise not_found("report snapshot", "报表")
        cells = [c for c in snap.cells if _visible(principal, c)]
        names = await region_names(session, cells)
    return cells_table(
        name=f"{snap.kind}_{snap.period}", title=f"{SNAPSHOT_KINDS.get(snap.kind, snap.kind)} {snap.period}", cells=cells, names=names,
        generated_at=snap.created_at, period_start=snap.period_start, period_end=snap.period_end,
        scope={"role": principal.role, "region_code": principal.region_code, "industries": list(principal.industries)},
    )
