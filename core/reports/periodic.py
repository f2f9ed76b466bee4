"""月调度 / 季通报 for any period, built on demand over the caller's scope.

Snapshots freeze a closed period once (``core.reports.jobs``); this answers what a supervisor asks
the day the deployment starts, for the month that is still running, or for any span of days: the
same cells counted live, from the hazards and inspections of enterprises in the caller's scope only
(so nothing outside it is even counted), rendered like a snapshot.
"""

from __future__ import annotations

from typing import Any

from core.access.permissions import require
from core.access.scope import Principal
from core.context import Context
from core.reports.cells import compute_cells
from core.reports.period_table import cells_table, region_names
from core.reports.periods import KIND_OF, Period
from core.reports.rendering import ReportTable
from core.reports.snapshots import SNAPSHOT_KINDS


def scope_of(principal: Principal) -> dict[str, Any]:
    """The caller's scope as a report names it."""
    return {"role": principal.role, "region_code": principal.region_code, "industries": list(principal.industries), "grid_code": principal.grid_code}


def period_title(period: Period) -> str:
    """``月调度 2026-11``, ``季通报 2026-Q4`` or ``隐患排查治理统计 2026-11-01 至 2026-11-15``."""
    kind = KIND_OF.get(period.shape)
    if kind is not None:
        return f"{SNAPSHOT_KINDS[kind]} {period.name}"
    return f"隐患排查治理统计 {period.start.date().isoformat()} 至 {period.last_day.isoformat()}"


async def period_report(ctx: Context, principal: Principal, period: Period) -> ReportTable:
    """The period's figures by region for the caller's scope, computed now."""
    require(principal.role, "report.read")
    cells = await compute_cells(ctx, period.start, period.end, principal)
    async with ctx.db.read() as session:
        names = await region_names(session, cells)
    kind = KIND_OF.get(period.shape, "period")
    return cells_table(
        name=f"{kind}_{period.name}", title=period_title(period), cells=cells, names=names, generated_at=ctx.clock.now(),
        period_start=period.start, period_end=period.end, scope=scope_of(principal),
    )
