"""检查记录: an inspection read back with its submission (answers, photos, signatures, inspectors),
through ``sync.readback.read_inspection`` — the reader of ``GET /api/v1/inspections/{id}`` — so the
page shows exactly what the API would, to whoever sees the enterprise, and 404 to anyone else.

The list (``/inspections``) is core's ``list_inspection_rows``: the permission and scope of
``GET /api/v1/inspections`` (``inspection.read``, the caller's enterprises) with the office's
filters; each row opens the read-back. The checklist a visit used is its submission's (sync's).
"""

from __future__ import annotations

from datetime import date

from litestar import Request, get
from litestar.response import Template
from sqlmodel import col, select

from checklists.tables import ChecklistVersion
from core.access.permissions import allowed, require
from core.access.scope import Principal
from core.context import Context
from core.errors import InvalidInput, not_found
from core.ids import canonical_uuid
from core.inspections.listing import InspectionFilter, inspectors_of_inspections, list_inspection_rows
from core.plans.service import list_plans
from core.vocabulary import INDUSTRIES
from sync.push.submissions import Submission
from sync.readback.reading import read_inspection
from web.console.pages.documents_issue import panel
from web.console.places import region_names
from web.console.views import render

PAGE_SIZE = 20


@get("/inspections/{inspection_id:str}", name="console_inspection")
async def inspection_page(request: Request, ctx: Context, principal: Principal, inspection_id: str) -> Template:
    """One inspection in scope as recorded, with its 执法文书 panel (documents, issue buttons, cases)."""
    found = await read_inspection(ctx, principal, inspection_id[:64])
    if found is None:
        raise not_found("inspection", "检查记录")
    names = await region_names(ctx, [found.region_code])
    # the panel's context carries the inspection itself (as ``inspection``) with its documents
    return render(request, principal, "inspection.html", section="enterprises", region_name=names.get(found.region_code, ""),
                  **await panel(request, ctx, principal, found))



def _inspection_filters(query: dict[str, str]) -> InspectionFilter:
    """The list's filters from its query, each refused with a Chinese message naming it (400)."""
    dates: dict[str, date | None] = {}
    for name in ("date_from", "date_to"):
        try:
            dates[name] = date.fromisoformat(query[name]) if query[name] else None
        except ValueError as exc:
            raise InvalidInput(f"{name} must be a date", "日期格式应为 年-月-日（如 2026-05-31）", field=name) from exc
    if dates["date_from"] and dates["date_to"] and dates["date_to"] < dates["date_from"]:
        raise InvalidInput("date_to is before date_from", "结束日期早于开始日期", field="date_to")
    if len(query["q"]) > 100:
        raise InvalidInput("q: at most 100 characters", "搜索词最多100个字", field="q")
    region = query["region_code"]
    if region and not (region.isdigit() and len(region) in (6, 9)):
        raise InvalidInput("region_code: six or nine digits", "行政区划代码应为6位或9位数字", field="region_code")
    if query["industry"] and query["industry"] not in INDUSTRIES:
        raise InvalidInput("unknown industry", "未知的行业", field="industry")
    ids = {}
    for name, label in (("inspector_id", "检查人员"), ("plan_id", "检查计划")):
        ids[name] = canonical_uuid(query[name]) if query[name] else None
        if query[name] and ids[name] is None:
            raise InvalidInput(f"{name} must be a UUID", f"{label}编号格式不正确", field=name)
    return InspectionFilter(
        date_from=dates["date_from"], date_to=dates["date_to"], q=query["q"] or None, inspector_id=ids["inspector_id"], plan_id=ids["plan_id"],
        region_code=region or None, industry=query["industry"] or None,
    )


async def _checklists(ctx: Context, submission_ids: list[str]) -> dict[str, str]:
    """Submission id → the title and version of the checklist it pinned."""
    if not submission_ids:
        return {}
    async with ctx.db.read() as session:
        pinned = (await session.exec(select(Submission.id, Submission.checklist_id, Submission.checklist_version).where(col(Submission.id).in_(submission_ids)))).all()
        keys = {(checklist, version) for _, checklist, version in pinned}
        titles: dict[tuple[str, str], str] = {}
        if keys:
            rows = (await session.exec(select(ChecklistVersion.checklist_id, ChecklistVersion.version, ChecklistVersion.title)
                                       .where(col(ChecklistVersion.checklist_id).in_(sorted({k[0] for k in keys}))))).all()
            titles = {(c, v): t for c, v, t in rows}
    return {sid: f"{titles.get((checklist, version), checklist)} v{version}" for sid, checklist, version in pinned}


@get("/inspections", name="console_inspections")
async def inspections_list_page(
    request: Request, ctx: Context, principal: Principal, date_from: str = "", date_to: str = "", q: str = "", inspector_id: str = "",
    plan_id: str = "", region_code: str = "", industry: str = "", page: int = 1,
) -> Template:
    """Inspections in scope with the office's filters, newest first, 20 a page."""
    require(principal.role, "inspection.read")
    query = {"date_from": date_from.strip(), "date_to": date_to.strip(), "q": q.strip(), "inspector_id": inspector_id.strip(), "plan_id": plan_id.strip(),
             "region_code": region_code.strip(), "industry": industry}
    choices = {"inspectors": await inspectors_of_inspections(ctx, principal), "plans": await list_plans(ctx, principal) if allowed(principal.role, "plan.read") else [],
               "industries": INDUSTRIES}
    try:
        filters = _inspection_filters(query)
        if not 1 <= page <= 10_000:
            raise InvalidInput("page must be 1..10000", "页码应在1到10000之间", field="page")
        result = await list_inspection_rows(ctx, principal, filters, page, PAGE_SIZE)
    except InvalidInput as exc:
        return render(request, principal, "inspections.html", section="inspections", status_code=400, query=query, result=None, rows=None,
                      names={}, checklists={}, error=exc, **choices)
    rows = {"total": result.total, "page": result.page, "pages": max(1, -(-result.total // PAGE_SIZE))}
    return render(request, principal, "inspections.html", section="inspections", query=query, result=result, rows=rows,
                  names=await region_names(ctx, (r.region_code for r in result.items)),
                  checklists=await _checklists(ctx, [r.submission_id for r in result.items if r.submission_id]), **choices)


ROUTES = [inspection_page, inspections_list_page]
