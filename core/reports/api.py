"""Reports (统计报表) in the caller's scope: JSON by default, ``?format=csv`` or ``?format=xlsx``."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec
from litestar import Controller, Response, get, post
from litestar.params import Parameter

from core.access.scope import Principal
from core.context import Context
from core.http.openapi_document import BINARY, TEXT, also_returns
from core.reports.figures import (
    HazardGrouping,
    hazard_report,
    inspections_by_inspector,
    inspections_by_month,
    listed_supervision_report,
    plan_coverage_report,
)
from core.reports.periodic import period_report
from core.reports.periods import requested_period
from core.reports.rebuild import rebuild_requested
from core.reports.rendering import XLSX_MEDIA_TYPE, ReportFormat, ReportTable, in_local_time, to_csv, to_xlsx
from core.reports.snapshot_service import SnapshotInfo, list_snapshots, snapshot_report
from core.reports.snapshots import SNAPSHOT_KINDS
from core.reports.wire import SnapshotRebuildIn, SnapshotRebuildOut

Year = Annotated[int, Parameter(ge=2000, le=2100)]
# ``?format=csv`` and ``?format=xlsx`` answer the same table as a download (``render``).
TABULAR = also_returns(200, {"text/csv": TEXT, XLSX_MEDIA_TYPE: BINARY})


def render(table: ReportTable, fmt: ReportFormat) -> Response[Any]:
    """The table in the requested format, as a download for CSV and XLSX; times in local time."""
    if fmt == "json":
        return Response(content=msgspec.to_builtins(in_local_time(table)), media_type="application/json")
    content, media, ext = (to_csv(table), "text/csv; charset=utf-8", "csv") if fmt == "csv" else (to_xlsx(table), XLSX_MEDIA_TYPE, "xlsx")
    return Response(content=content, media_type=media, headers={"Content-Disposition": f'attachment; filename="{table.name}.{ext}"'})


class ReportController(Controller):
    path = "/api/v1/reports"
    tags = ["reports"]

    @get("/hazards", operation_id="reportHazards", opt=TABULAR)
    async def hazards(self, ctx: Context, principal: Principal, by: HazardGrouping = "region", year: Annotated[int | None, Parameter(ge=2000, le=2100)] = None, format: ReportFormat = "json") -> Response[ReportTable]:
        """Hazards by region/industry/level/status: overdue and listed counts, rectification rate, mean days to close."""
        return render(await hazard_report(ctx, principal, by, year), format)

    @get("/inspections/by-inspector", operation_id="reportInspectionsByInspector", opt=TABULAR)
    async def by_inspector(self, ctx: Context, principal: Principal, year: Year, format: ReportFormat = "json") -> Response[ReportTable]:
        """Inspections of the year per inspector, in the caller's scope."""
        return render(await inspections_by_inspector(ctx, principal, year), format)

    @get("/inspections/by-month", operation_id="reportInspectionsByMonth", opt=TABULAR)
    async def by_month(self, ctx: Context, principal: Principal, year: Year, format: ReportFormat = "json") -> Response[ReportTable]:
        """Inspections of the year per month, in the caller's scope."""
        return render(await inspections_by_month(ctx, principal, year), format)

    @get("/plan-coverage", operation_id="reportPlanCoverage", opt=TABULAR)
    async def plan_coverage(self, ctx: Context, principal: Principal, year: Year, format: ReportFormat = "json") -> Response[ReportTable]:
        """Each visible plan of the year: enterprises in scope, inspected, coverage and completion rates."""
        return render(await plan_coverage_report(ctx, principal, year), format)

    @get("/listed-supervision", operation_id="reportListedSupervision", opt=TABULAR)
    async def listed(self, ctx: Context, principal: Principal, format: ReportFormat = "json") -> Response[ReportTable]:
        """挂牌督办清单."""
        return render(await listed_supervision_report(ctx, principal), format)

    @get("/snapshots", operation_id="listReportSnapshots")
    async def snapshots(self, ctx: Context, principal: Principal, kind: Literal["monthly_dispatch", "quarterly_bulletin"] | None = None) -> list[SnapshotInfo]:
        """Stored 月调度 / 季通报 reports."""
        return await list_snapshots(ctx, principal, kind)

    @get("/snapshots/{snapshot_id:str}", operation_id="getReportSnapshot", opt=TABULAR)
    async def snapshot(self, ctx: Context, principal: Principal, snapshot_id: str, format: ReportFormat = "json") -> Response[ReportTable]:
        """One stored 月调度 / 季通报, the cells in the caller's scope by region."""
        return render(await snapshot_report(ctx, principal, snapshot_id), format)

    @get("/period", operation_id="reportPeriod", opt=TABULAR)
    async def period(
        self,
        ctx: Context,
        principal: Principal,
        period: Annotated[str | None, Parameter(max_length=16, description="月份 2026-11（月调度）或季度 2026-Q4（季通报）")] = None,
        date_from: Annotated[str | None, Parameter(query="from", max_length=10, description="起始日期 YYYY-MM-DD（含）")] = None,
        date_to: Annotated[str | None, Parameter(query="to", max_length=10, description="结束日期 YYYY-MM-DD（含）")] = None,
        format: ReportFormat = "json",
    ) -> Response[ReportTable]:
        """月调度 / 季通报 figures for any period, computed now over the caller's scope: ``period``
        (a month or a quarter) or ``from`` + ``to`` (local dates, both included), in the deployment's
        time zone. 400 naming ``period``, ``from`` or ``to`` for a malformed or missing period."""
        return render(await period_report(ctx, principal, requested_period(period, date_from, date_to)), format)

    @post("/snapshots/rebuild", operation_id="rebuildReportSnapshot", status_code=200)
    async def rebuild(self, ctx: Context, principal: Principal, data: SnapshotRebuildIn) -> SnapshotRebuildOut:
        """Compute a closed period's stored 月调度 / 季通报 again (admin); stored if new, replaced (and
        audited) if its figures changed. 400 (``period``) for a period of the other kind or not yet ended."""
        outcome = await rebuild_requested(ctx, principal, data.kind, data.period)
        (info,) = [s for s in await list_snapshots(ctx, principal, data.kind) if s.period == data.period]
        return SnapshotRebuildOut(
            kind=data.kind, period=data.period, created=bool(outcome.get("created")), changed=bool(outcome.get("changed")), snapshot=info,
        )


__all__ = ["SNAPSHOT_KINDS", "ReportController", "render"]


ROUTES = [ReportController]
