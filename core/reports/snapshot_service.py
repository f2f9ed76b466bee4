"""Reading stored report snapshots (月调度, 季通报) within the caller's scope."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

import msgspec
from sqlmodel import col, select

from core.access.permissions import require
from core.access.scope import Principal
from core.context import Context
from core.errors import not_found
from core.regions.records import Region
from core.reports.jobs import CELL_METRICS
from core.reports.rendering import Column, ReportTable
from core.reports.snapshots import SNAPSHOT_KINDS, ReportSnapshot

_METRIC_LABELS = {
    "found": "新发现隐患", "found_major": "其中重大隐患", "closed": "销号隐患", "open_at_end": "期末未销号",
    "overdue_at_end": "期末逾期", "listed_at_end": "期末挂牌督办", "inspections": "检查次数",
}


class SnapshotInfo(msgspec.Struct, kw_only=True):
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
    return [SnapshotInfo(id=r.id, kind=r.kind, kind_label=SNAPSHOT_KINDS.get(r.kind, r.kind), period=r.period, period_start=r.period_start, period_end=r.period_end, created_at=r.created_at) for r in rows]


async def snapshot_report(ctx: Context, principal: Principal, snapshot_id: str) -> ReportTable:
    """One snapshot by region, restricted to the cells in the caller's scope, with a 合计 row."""
    require(principal.role, "report.read")
    async with ctx.db.read() as session:
        snap = await session.get(ReportSnapshot, snapshot_id)
        if snap is None:
            raise not_found("report snapshot", "报表")
        cells = [c for c in snap.cells if _visible(principal, c)]
        codes = sorted({c["region_code"] for c in cells})
        names = dict((await session.exec(select(Region.code, Region.name).where(col(Region.code).in_(codes)))).all()) if codes else {}
    by_region: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(CELL_METRICS, 0))
    for cell in cells:
        for metric in CELL_METRICS:
            by_region[cell["region_code"]][metric] += int(cell.get(metric, 0))
    rows: list[dict[str, Any]] = [{"region_code": code, "region": names.get(code, code), **counts} for code, counts in sorted(by_region.items())]
    total = {metric: sum(r[metric] for r in rows) for metric in CELL_METRICS}
    rows.append({"region_code": "total", "region": "合计", **total})
    columns = [Column(key="region_code", label="行政区划代码"), Column(key="region", label="行政区划"), *[Column(key=m, label=_METRIC_LABELS[m]) for m in CELL_METRICS]]
    title = f"{SNAPSHOT_KINDS.get(snap.kind, snap.kind)} {snap.period}"
    return ReportTable(name=f"{snap.kind}_{snap.period}", title=title, columns=columns, rows=rows, generated_at=snap.created_at,
                       scope={"role": principal.role, "region_code": principal.region_code, "industries": list(principal.industries)})
