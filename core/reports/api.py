"""Reports (统计报表) in the caller's scope: JSON by default, ``?format=csv`` or ``?format=xlsx``."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec
from litestar import Controller, Response, get
from litestar.params import Parameter

from core.access.scope import Principal
from core.context import Context
from core.reports.figures import (
    HazardGrouping,
    hazard_report,
    inspections_by_inspector,
    inspections_by_month,
    listed_supervision_report,
    plan_coverage_report,
)
from core.reports.rendering import XLSX_MEDIA_TYPE, ReportFormat, ReportTable, to_csv, to_xlsx
from core.reports.snapshot_service import SnapshotInfo, list_snapshots, snapshot_report
from core.reports.snapshots import SNAPSHOT_KINDS

Year = Annotated[int, Parameter(ge=2000, le=2100)]


def render(table: ReportTable, fmt: ReportFormat) -> Response[Any]:
    """The table in the requested format, as a download for CSV and XLSX."""
    if fmt == "json":
        return Response(content=msgspec.to_builtins(table), media_type="application/json")
    content, media, ext = (to_csv(table), "text/csv; charset=utf-8", "csv") if fmt == "csv" else (to_xlsx(table), XLSX_MEDIA_TYPE, "xlsx")
    return Response(content=content, media_type=media, headers={"Content-Disposition": f'attachment; filename="{table.name}.{ext}"'})


class ReportController(Controller):
    path = "/api/v1/reports"
    tags = ["reports"]

    @get("/hazards", operation_id="reportHazards")
    async def hazards(self, ctx: Context, principal: Principal, by: HazardGrouping = "region", year: Annotated[int | None, Parameter(ge=2000, le=2100)] = None, format: ReportFormat = "json") -> Response[Any]:
        """Hazards by region/industry/level/status: overdue and listed counts, rectification rate, mean days to close."""
        return render(await hazard_report(ctx, principal, by, year), format)

    @get("/inspections/by-inspector", operation_id="reportInspectionsByInspector")
    async def by_inspector(self, ctx: Context, principal: Principal, year: Year, format: ReportFormat = "json") -> Response[Any]:
        return render(await inspections_by_inspector(ctx, principal, year), format)

    @get("/inspections/by-month", operation_id="reportInspectionsByMonth")
    async def by_month(self, ctx: Context, principal: Principal, year: Year, format: ReportFormat = "json") -> Response[Any]:
        return render(await inspections_by_month(ctx, principal, year), format)

    @get("/plan-coverage", operation_id="reportPlanCoverage")
    async def plan_coverage(self, ctx: Context, principal: Principal, year: Year, format: ReportFormat = "json") -> Response[Any]:
        return render(await plan_coverage_report(ctx, principal, year), format)

    @get("/listed-supervision", operation_id="reportListedSupervision")
    async def listed(self, ctx: Context, principal: Principal, format: ReportFormat = "json") -> Response[Any]:
        """挂牌督办清单."""
        return render(await listed_supervision_report(ctx, principal), format)

    @get("/snapshots", operation_id="listReportSnapshots")
    async def snapshots(self, ctx: Context, principal: Principal, kind: Literal["monthly_dispatch", "quarterly_bulletin"] | None = None) -> list[SnapshotInfo]:
        """Stored 月调度 / 季通报 reports."""
        return await list_snapshots(ctx, principal, kind)

    @get("/snapshots/{snapshot_id:str}", operation_id="getReportSnapshot")
    async def snapshot(self, ctx: Context, principal: Principal, snapshot_id: str, format: ReportFormat = "json") -> Response[Any]:
        return render(await snapshot_report(ctx, principal, snapshot_id), format)


__all__ = ["SNAPSHOT_KINDS", "ReportController", "render"]


ROUTES = [ReportController]
