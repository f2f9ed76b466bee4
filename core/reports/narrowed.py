"""月调度 / 季通报 for a part of the caller's scope: one region below theirs and/or one industry.

The figures are the on-demand report's (``core.reports.periodic``), counted over the caller's scope
as always; the narrowing only keeps the counted cells of the chosen region subtree and industry, so
it can never reach beyond the scope. Without a narrowing the answer is ``period_report``'s own (the
same table, the same CSV and XLSX bytes as ``GET /api/v1/reports/period``).
"""

from __future__ import annotations

from core.access.permissions import require
from core.access.scope import Principal
from core.context import Context
from core.errors import InvalidInput
from core.regions.codes import in_subtree, is_region_code
from core.reports.cells import compute_cells
from core.reports.period_table import cells_table, region_names
from core.reports.periodic import period_report, period_title, scope_of
from core.reports.periods import KIND_OF, Period
from core.reports.rendering import ReportTable
from core.vocabulary import INDUSTRIES, INDUSTRY_LABELS


def check_narrowing(principal: Principal, region_code: str | None, industry: str | None) -> None:
    """400 naming ``region_code`` or ``industry`` for a narrowing that is malformed or not inside the scope."""
    if region_code is not None:
        if not is_region_code(region_code):
            raise InvalidInput("region_code: six or nine digits", "行政区划代码应为6位或9位数字", field="region_code")
        if not principal.is_admin and principal.region_code and not in_subtree(region_code, principal.region_code):
            raise InvalidInput("region_code lies outside your scope", "所选行政区划不在您的管辖范围内", field="region_code")
    if industry is not None:
        if industry not in INDUSTRIES:
            raise InvalidInput("unknown industry", "未知的行业", field="industry")
        if not principal.covers_industry(industry):
            raise InvalidInput("industry lies outside your scope", "所选行业不在您的管辖范围内", field="industry")


async def narrowed_period_report(
    ctx: Context, principal: Principal, period: Period, *, region_code: str | None = None, industry: str | None = None,
) -> ReportTable:
    """The period's figures by region for the caller's scope, kept to ``region_code``'s subtree and
    to the enterprises of ``industry`` (a multi-industry enterprise counts under each of its industries)."""
    require(principal.role, "report.read")
    check_narrowing(principal, region_code, industry)
    if region_code is None and industry is None:
        return await period_report(ctx, principal, period)
    cells = [
        cell for cell in await compute_cells(ctx, period.start, period.end, principal)
        if (region_code is None or in_subtree(cell["region_code"], region_code)) and (industry is None or industry in cell["industries"])
    ]
    async with ctx.db.read() as session:
        names = await region_names(session, cells)
    parts = [p for p in (region_code and (await region_names_of(ctx, region_code)), industry and INDUSTRY_LABELS.get(industry, industry)) if p]
    kind = KIND_OF.get(period.shape, "period")
    suffix = "_".join(p for p in (region_code, industry) if p)
    return cells_table(
        name=f"{kind}_{period.name}_{suffix}", title=f"{period_title(period)}（{' · '.join(parts)}）", cells=cells, names=names,
        generated_at=ctx.clock.now(), period_start=period.start, period_end=period.end,
        scope={**scope_of(principal), "narrowed_to": {"region_code": region_code, "industry": industry}},
    )


async def region_names_of(ctx: Context, code: str) -> str:
    """``name code`` of a region (the bare code when the region is not on file)."""
    async with ctx.db.read() as session:
        names = await region_names(session, [{"region_code": code}])
    return f"{names[code]} {code}" if code in names else code
