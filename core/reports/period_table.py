"""The 月调度 / 季通报 table: period figures by region, with a 合计 row, from counted cells.

Stored snapshots and reports built on demand for any period render through this one function, so
both read alike (same columns, same labels, the period's local bounds named).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.regions.records import Region
from core.reports.cells import CELL_METRICS
from core.reports.rendering import Column, ReportTable

METRIC_LABELS = {
    "found": "新发现隐患", "found_major": "其中重大隐患", "closed": "销号隐患", "open_at_end": "期末未销号",
    "overdue_at_end": "期末逾期", "listed_at_end": "期末挂牌督办", "inspections": "检查次数",
}


async def region_names(session: AsyncSession, cells: list[dict[str, Any]]) -> dict[str, str]:
    """Names of the regions the cells count in."""
    codes = sorted({c["region_code"] for c in cells})
    if not codes:
        return {}
    return dict((await session.exec(select(Region.code, Region.name).where(col(Region.code).in_(codes)))).all())


def cells_table(
    *, name: str, title: str, cells: list[dict[str, Any]], names: dict[str, str], generated_at: datetime,
    period_start: datetime, period_end: datetime, scope: dict[str, Any],
) -> ReportTable:
    """The cells summed per region (ordered by code), then a 合计 row."""
    by_region: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(CELL_METRICS, 0))
    for cell in cells:
        for metric in CELL_METRICS:
            by_region[cell["region_code"]][metric] += int(cell.get(metric, 0))
    rows: list[dict[str, Any]] = [{"region_code": code, "region": names.get(code, code), **counts} for code, counts in sorted(by_region.items())]
    total = {metric: sum(r[metric] for r in rows) for metric in CELL_METRICS}
    rows.append({"region_code": "total", "region": "合计", **total})
    columns = [Column(key="region_code", label="行政区划代码"), Column(key="region", label="行政区划"), *[Column(key=m, label=METRIC_LABELS[m]) for m in CELL_METRICS]]
    return ReportTable(
        name=name, title=title, columns=columns, rows=rows, generated_at=generated_at, scope=scope,
        period_start=period_start, period_end=period_end,
    )
