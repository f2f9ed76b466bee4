"""报表: 月调度 / 季通报 for a chosen period, hazards, inspections, plan coverage and 挂牌督办 — each a
page with its table (合计 included), a bar chart drawn on the server where it helps, and CSV / XLSX
downloads (``?format=csv|xlsx``).

Each page calls the service ``core/reports/api.py`` calls, with the same ``Principal``: the same
permission (``report.read``) and the same scope. A download is ``core.reports.rendering``'s CSV or
XLSX of that very table, so it holds what ``GET /api/v1/reports/…?format=`` gives for the same
query; only its file name is Chinese (RFC 5987 ``filename*``, an ASCII ``filename`` beside it for
old clients). 月调度 / 季通报 may be narrowed to a region below the user's and to one industry
(``core.reports.narrowed``). Input that does not parse is shown beside the form with a 400.
"""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote

from litestar import Request, Response, get
from litestar.params import Parameter
from litestar.response import Template

from core.access.permissions import require
from core.access.scope import Principal
from core.context import Context
from core.errors import InvalidInput, not_found
from core.ids import canonical_uuid
from core.local_time import local_date, localized
from core.reports.figures import (
    hazard_report,
    inspections_by_inspector,
    inspections_by_month,
    listed_supervision_report,
    plan_coverage_report,
)
from core.reports.jobs import previous_month
from core.reports.narrowed import narrowed_period_report
from core.reports.periods import Period, date_span, parse_period, requested_period
from core.reports.rendering import XLSX_MEDIA_TYPE, ReportTable, to_csv, to_xlsx
from core.reports.snapshot_service import list_snapshots, snapshot_report
from core.vocabulary import INDUSTRIES
from web.console.chart import Bar, bars_svg
from web.console.memo import remembered, scope_key
from web.console.templating import local_day
from web.console.views import render

TABS = (
    ("period", "/reports/period", "月调度 / 季通报"),
    ("hazards", "/reports/hazards", "隐患统计"),
    ("inspections", "/reports/inspections", "检查统计"),
    ("plan-coverage", "/reports/plan-coverage", "计划覆盖率"),
    ("listed", "/reports/listed", "挂牌督办"),
)
HIDDEN_COLUMNS = {"key", "plan_id", "inspector_id", "hazard_id"}  # ids: in the downloads, not worth a screen column
MAX_BARS = 20
_TOTALS = ("total", "合计")


def _fmt(value: str | None) -> str | None:
    """``csv`` / ``xlsx`` for a download, None for the page; 400 naming ``format`` otherwise."""
    if value in (None, "", "html"):
        return None
    if value not in ("csv", "xlsx"):
        raise InvalidInput("format must be csv or xlsx", "下载格式只能是 csv 或 xlsx", field="format")
    return value


def _year(value: str | None, default: int | None) -> int | None:
    """A year 2000..2100 from the query (``default`` when blank); 400 naming ``year``."""
    text = (value or "").strip()
    if not text:
        return default
    if not text.isdigit() or not 2000 <= int(text) <= 2100:
        raise InvalidInput("year must be 2000..2100", "年份应为2000到2100之间的四位数字", field="year")
    return int(text)


def download(table: ReportTable, fmt: str) -> Response[bytes]:
    """The table as the API's CSV or XLSX, named in Chinese (``月调度 2026-11.xlsx``)."""
    content, media = (to_csv(table), "text/csv; charset=utf-8") if fmt == "csv" else (to_xlsx(table), XLSX_MEDIA_TYPE)
    disposition = f"attachment; filename=\"{table.name}.{fmt}\"; filename*=UTF-8''{quote(f'{table.title}.{fmt}', safe='')}"
    return Response(content=content, media_type=media, headers={"Content-Disposition": disposition})


def _shown(key: str, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if key.endswith("_rate") and isinstance(value, (int, float)):
        return f"{value * 100:.1f}%"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        return localized(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, (list, tuple)):
        return "、".join(str(v) for v in value)
    return str(value)


def table_view(table: ReportTable) -> dict[str, Any]:
    """The report's columns and rows as the page shows them: numbers right-aligned with their raw
    value (``data-value``), ids hidden, the 合计 row last and marked."""
    columns = [c for c in table.columns if c.key not in HIDDEN_COLUMNS]
    first = table.columns[0].key if table.columns else ""
    rows = []
    for row in table.rows:
        cells = [
            {"key": c.key, "text": _shown(c.key, row.get(c.key)), "numeric": isinstance(row.get(c.key), (int, float)) and not isinstance(row.get(c.key), bool),
             "raw": row.get(c.key), "href": f"/hazards/{row['hazard_id']}" if c.key == "description" and row.get("hazard_id") else None}
            for c in columns
        ]
        total = row.get(first) in _TOTALS
        if total and cells and cells[0]["text"] == "total":
            # the 合计 row names itself once: in the name column when there is one, else here
            cells[0]["text"] = "" if any(c["text"] == "合计" for c in cells[1:]) else "合计"
        rows.append({"cells": cells, "total": total, "id": str(row.get(first, ""))})
    return {"columns": columns, "rows": rows}


def chart_of(table: ReportTable, label: str, series: dict[str, str], *, percent: bool = False, link: str | None = None) -> Any:
    """Bars of the report's rows (合计 left out, at most ``MAX_BARS``): one bar per ``series`` column."""
    first = table.columns[0].key
    rows = [r for r in table.rows if r.get(first) not in _TOTALS]
    if not rows:
        return None
    bars = [Bar(str(r.get(label) or r.get(first)), tuple(float(r.get(k) or 0) for k in series), link.format(**r) if link else None) for r in rows[:MAX_BARS]]
    return bars_svg(bars, chart_id="report-chart", title=table.title, series=tuple(series.values()), percent=percent)


def _page(request: Request, principal: Principal, tab: str, *, table: ReportTable | None, query: dict[str, Any], error: InvalidInput | None = None,
          chart: Any = None, legend: tuple[str, ...] = (), more: int = 0, **context: Any) -> Template:
    path = context.pop("base", None) or dict((key, href) for key, href, _ in TABS)[tab]
    context.setdefault("snapshots", None)
    context.setdefault("stored", False)
    span = None
    if table is not None and table.period_start and table.period_end:
        span = (local_day(table.period_start), local_day(table.period_end - timedelta(seconds=1)))
    return render(
        request, principal, "reports.html", section="reports", status_code=400 if error else 200, tabs=TABS, tab=tab, base=path,
        table=table, span=span, view=table_view(table) if table else None, query=query, error=error, chart=chart, legend=legend, more=more,
        **context,
    )


def _clipped(table: ReportTable) -> int:
    """How many rows a chart leaves out."""
    return max(0, len([r for r in table.rows if r.get(table.columns[0].key) not in _TOTALS]) - MAX_BARS)


# ---- 月调度 / 季通报 ----------------------------------------------------------------------------

def chosen_period(now: datetime, query: dict[str, str]) -> Period:
    """The period the form or a link names: ``shape`` with ``month`` / ``quarter`` / ``from`` + ``to``,
    or the API's own ``period`` / ``from`` + ``to``; last month when nothing is chosen."""
    shape = query["shape"]
    if shape == "month":
        if not query["month"]:
            raise InvalidInput("choose a month", "请选择月份", field="month")
        return _of_shape(parse_period(query["month"], "month"), "month", "month")
    if shape == "quarter":
        if not query["quarter"]:
            raise InvalidInput("choose a quarter", "请填写季度，如 2026-Q4", field="quarter")
        return _of_shape(parse_period(query["quarter"], "quarter"), "quarter", "quarter")
    if shape == "range":
        for field in ("from", "to"):
            if not query[field]:
                raise InvalidInput(f"{field} is missing", f"请选择{'开始' if field == 'from' else '结束'}日期（{field}）", field=field)
        return date_span(query["from"], query["to"])
    if shape:
        raise InvalidInput("shape must be month, quarter or range", "统计周期只能按月、按季度或自定义日期", field="shape")
    if query["period"] or query["from"] or query["to"]:
        return requested_period(query["period"] or None, query["from"] or None, query["to"] or None)
    return parse_period(previous_month(now)[0])


def _of_shape(period: Period, shape: str, field: str) -> Period:
    if period.shape != shape:
        raise InvalidInput(f"{field}: not a {shape}", "月份写作 YYYY-MM（如 2026-11）" if shape == "month" else "季度写作 YYYY-Qn（如 2026-Q4）", field=field)
    return period


def _period_query(period: Period, region_code: str, industry: str) -> dict[str, str]:
    """The canonical query of a period report (its download links)."""
    named = {"period": period.name} if period.shape != "range" else {"from": period.start.date().isoformat(), "to": period.last_day.isoformat()}
    return {**named, "region_code": region_code, "industry": industry}


@get(["/reports", "/reports/period"], name="console_reports_period")
async def period_page(
    request: Request, ctx: Context, principal: Principal, period: str | None = None, date_from: str | None = Parameter(query="from", default=None),
    date_to: str | None = Parameter(query="to", default=None), shape: str | None = None, month: str | None = None, quarter: str | None = None,
    region_code: str | None = None, industry: str | None = None, format: str | None = None,
) -> Template | Response[bytes]:
    """月调度 / 季通报 (or any span of days) by region over the user's scope; last month by default."""
    require(principal.role, "report.read")
    raw = {"period": period, "from": date_from, "to": date_to, "shape": shape, "month": month, "quarter": quarter, "region_code": region_code, "industry": industry}
    query = {key: (value or "").strip() for key, value in raw.items()}
    now = ctx.clock.now()
    try:
        fmt = _fmt(format)
        chosen = chosen_period(now, query)
        table = await _period_table(ctx, principal, chosen, query["region_code"] or None, query["industry"] or None, now)
    except InvalidInput as exc:
        return _page(request, principal, "period", table=None, query=query, error=exc, form=_period_form(query, None, now), industries=_industries(principal))
    if fmt:
        return download(table, fmt)
    snapshots = await list_snapshots(ctx, principal)
    series = {"found": "新发现隐患", "closed": "销号隐患", "open_at_end": "期末未销号", "overdue_at_end": "期末逾期"}
    chart = chart_of(table, "region", series)
    return _page(request, principal, "period", table=table, query=_period_query(chosen, query["region_code"], query["industry"]), chart=chart,
                 legend=tuple(series.values()), more=_clipped(table), form=_period_form(query, chosen, now), industries=_industries(principal),
                 snapshots=snapshots[:24])


ENDED_PERIOD_SECONDS = 300


async def _period_table(ctx: Context, principal: Principal, period: Period, region_code: str | None, industry: str | None, now: datetime) -> ReportTable:
    """The report, counted at most once per five minutes per scope for a period that has ended: its
    figures no longer move with new hazards (at a province's million hazards a month costs about
    half a second to count, bench/console.py). A running period is counted on every request."""
    def count() -> Awaitable[ReportTable]:
        return narrowed_period_report(ctx, principal, period, region_code=region_code, industry=industry)

    if period.end > now:
        return await count()
    key = ("console.period_report", scope_key(principal), period.start, period.end, region_code, industry)
    return await remembered(ctx, key, ENDED_PERIOD_SECONDS, count)


def _period_form(query: dict[str, str], chosen: Period | None, now: datetime) -> dict[str, str]:
    """What the period form shows: the user's own input, else the chosen period, else last month."""
    form = dict(query)
    if chosen is not None and not query["shape"]:
        form["shape"] = chosen.shape
        if chosen.shape == "range":
            form["from"], form["to"] = chosen.start.date().isoformat(), chosen.last_day.isoformat()
        else:
            form[chosen.shape] = chosen.name
    today = local_date(now)
    form["shape"] = form["shape"] or "month"
    form["month"] = form["month"] or previous_month(now)[0]
    form["quarter"] = form["quarter"] or f"{today.year}-Q{(today.month - 1) // 3 + 1}"
    return form


def _industries(principal: Principal) -> list[str]:
    return [i for i in INDUSTRIES if principal.covers_industry(i)]


@get("/reports/snapshots/{snapshot_id:str}", name="console_report_snapshot")
async def snapshot_page(request: Request, ctx: Context, principal: Principal, snapshot_id: str, format: str | None = None) -> Template | Response[bytes]:
    """A stored 月调度 / 季通报 as it was frozen when its period closed, the cells in the user's scope only."""
    require(principal.role, "report.read")
    wanted = canonical_uuid(snapshot_id)
    if wanted is None:
        raise not_found("report snapshot", "报表")
    try:
        fmt = _fmt(format)
    except InvalidInput as exc:
        return _page(request, principal, "period", table=None, query={}, error=exc, form=None, industries=[], base=f"/reports/snapshots/{wanted}")
    table = await snapshot_report(ctx, principal, wanted)
    if fmt:
        return download(table, fmt)
    series = {"found": "新发现隐患", "closed": "销号隐患", "open_at_end": "期末未销号", "overdue_at_end": "期末逾期"}
    return _page(request, principal, "period", table=table, query={}, chart=chart_of(table, "region", series), legend=tuple(series.values()),
                 more=_clipped(table), form=None, industries=[], base=f"/reports/snapshots/{wanted}", stored=True)


# ---- 隐患统计 ---------------------------------------------------------------------------------------

_GROUPINGS = {"region": "按区划", "industry": "按行业", "level": "按等级", "status": "按状态"}


@get("/reports/hazards", name="console_reports_hazards")
async def hazards_page(
    request: Request, ctx: Context, principal: Principal, by: str | None = None, year: str | None = None, format: str | None = None,
) -> Template | Response[bytes]:
    """Hazards by region, industry, level or status (all years, or those registered in one)."""
    require(principal.role, "report.read")
    query = {"by": (by or "region").strip(), "year": (year or "").strip()}
    try:
        fmt = _fmt(format)
        if query["by"] not in _GROUPINGS:
            raise InvalidInput("by must be region, industry, level or status", "分组方式只能是区划、行业、等级或状态", field="by")
        table = await hazard_report(ctx, principal, query["by"], _year(query["year"], None))  # type: ignore[arg-type]
    except InvalidInput as exc:
        return _page(request, principal, "hazards", table=None, query=query, error=exc, groupings=_GROUPINGS)
    if fmt:
        return download(table, fmt)
    chart = chart_of(table, "name", {"total": "隐患总数", "open": "未销号"})
    return _page(request, principal, "hazards", table=table, query=query, chart=chart, legend=("隐患总数", "未销号"), more=_clipped(table), groupings=_GROUPINGS)


# ---- 检查统计 ---------------------------------------------------------------------------------------

@get("/reports/inspections", name="console_reports_inspections")
async def inspections_page(
    request: Request, ctx: Context, principal: Principal, by: str | None = None, year: str | None = None, format: str | None = None,
) -> Template | Response[bytes]:
    """Inspections of a year per month or per inspector, in the user's scope."""
    require(principal.role, "report.read")
    this_year = local_date(ctx.clock.now()).year
    query = {"by": (by or "month").strip(), "year": (year or "").strip() or str(this_year)}
    try:
        fmt = _fmt(format)
        if query["by"] not in ("month", "inspector"):
            raise InvalidInput("by must be month or inspector", "统计方式只能是按月份或按检查人员", field="by")
        chosen = _year(query["year"], this_year) or this_year
        table = await (inspections_by_month if query["by"] == "month" else inspections_by_inspector)(ctx, principal, chosen)
    except InvalidInput as exc:
        return _page(request, principal, "inspections", table=None, query=query, error=exc)
    if fmt:
        return download(table, fmt)
    label = "month" if query["by"] == "month" else "display_name"
    chart = chart_of(table, label, {"inspections": "检查次数", "enterprises": "检查企业数"})
    return _page(request, principal, "inspections", table=table, query=query, chart=chart, legend=("检查次数", "检查企业数"), more=_clipped(table))


# ---- 计划覆盖率 -------------------------------------------------------------------------------------

@get("/reports/plan-coverage", name="console_reports_plan_coverage")
async def plan_coverage_page(request: Request, ctx: Context, principal: Principal, year: str | None = None, format: str | None = None) -> Template | Response[bytes]:
    """Each plan of a year the user sees: enterprises to inspect, inspected, coverage and completion."""
    require(principal.role, "report.read")
    this_year = local_date(ctx.clock.now()).year
    query = {"year": (year or "").strip() or str(this_year)}
    try:
        fmt = _fmt(format)
        table = await plan_coverage_report(ctx, principal, _year(query["year"], this_year) or this_year)
    except InvalidInput as exc:
        return _page(request, principal, "plan-coverage", table=None, query=query, error=exc)
    if fmt:
        return download(table, fmt)
    chart = chart_of(table, "title", {"coverage_rate": "覆盖率", "completion_rate": "完成率"}, percent=True)
    return _page(request, principal, "plan-coverage", table=table, query=query, chart=chart, legend=("覆盖率", "完成率"), more=_clipped(table))


# ---- 挂牌督办 ---------------------------------------------------------------------------------------

@get("/reports/listed", name="console_reports_listed")
async def listed_page(request: Request, ctx: Context, principal: Principal, format: str | None = None) -> Template | Response[bytes]:
    """挂牌督办清单: open listed hazards in scope, most overdue first (each opening its hazard page)."""
    require(principal.role, "report.read")
    try:
        fmt = _fmt(format)
    except InvalidInput as exc:
        return _page(request, principal, "listed", table=None, query={}, error=exc)
    table = await listed_supervision_report(ctx, principal)
    if fmt:
        return download(table, fmt)
    return _page(request, principal, "listed", table=table, query={})


ROUTES = [period_page, snapshot_page, hazards_page, inspections_page, plan_coverage_page, listed_page]
