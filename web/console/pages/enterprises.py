"""企业: search with filters, and the enterprise file (一企一档).

The list is core's ``list_enterprises`` (the caller's scope, the API's filters: name / USCC /
address, region subtree, industry, risk level); a filter that does not parse is shown beside the
form. The file is core's ``get_enterprise`` (404 out of scope, the same page as for an enterprise
that does not exist) with, each only for roles that may read it: its hazards, its inspections
(each opening the read-back), its self-inspections (企业自查, ``sync.readback.self_inspections``:
whoever sees the enterprise, its own users first), its enforcement documents and its evaluations.
Creating and editing live in ``enterprise_edit``, the bulk import in ``enterprise_import``.
"""

from __future__ import annotations

import re
from typing import Any

from litestar import Request, get
from litestar.response import Template
from sqlmodel import col, select

from core.access.permissions import allowed, require
from core.access.scope import Principal
from core.access.users import User
from core.context import Context
from core.enterprises.records import Enterprise
from core.enterprises.service import EnterpriseFilter, get_enterprise, list_enterprises
from core.errors import InvalidInput, not_found
from core.hazards.queries import HazardFilter
from core.ids import canonical_uuid
from core.inspections.records import Inspection
from core.vocabulary import INDUSTRIES, RISK_LEVELS
from plugins.documents.views import list_documents
from plugins.evaluations.service import list_evaluations
from sync.readback.self_inspections import list_self_inspections, read_self_inspection
from web.console.hazard_lists import count_hazards, hazard_rows
from web.console.pages import enterprise_edit, enterprise_import
from web.console.places import grid_of, region_names
from web.console.views import render

PAGE_SIZE = 20
_REGION = re.compile(r"^\d{6}(\d{3})?$")


def enterprise_filters(q: str | None, region_code: str | None, industry: str | None, risk_level: str | None) -> EnterpriseFilter:
    """The list's filters from the query, each checked as the API checks it (400 naming the field)."""
    q = (q or "").strip() or None
    if q is not None and len(q) > 100:
        raise InvalidInput("q: at most 100 characters", "搜索词最多100个字", field="q")
    region_code = (region_code or "").strip() or None
    if region_code is not None and not _REGION.match(region_code):
        raise InvalidInput("region_code: six or nine digits", "行政区划代码应为6位或9位数字", field="region_code")
    if industry and industry not in INDUSTRIES:
        raise InvalidInput("unknown industry", "未知的行业", field="industry")
    if risk_level and risk_level not in RISK_LEVELS:
        raise InvalidInput("unknown risk level", "未知的风险等级", field="risk_level")
    return EnterpriseFilter(q=q, region_code=region_code, industry=industry or None, risk_level=risk_level or None)


@get("/enterprises", name="console_enterprises")
async def enterprises_page(
    request: Request, ctx: Context, principal: Principal, q: str | None = None, region_code: str | None = None,
    industry: str | None = None, risk_level: str | None = None, page: int = 1,
) -> Template:
    """Enterprises in scope, searched and filtered, 20 a page."""
    query = {"q": q or "", "region_code": region_code or "", "industry": industry or "", "risk_level": risk_level or ""}
    try:
        filters = enterprise_filters(q, region_code, industry, risk_level)
        if not 1 <= page <= 10_000:
            raise InvalidInput("page must be 1..10000", "页码应在1到10000之间", field="page")
        result = await list_enterprises(ctx, principal, filters, page, PAGE_SIZE)
    except InvalidInput as exc:
        return render(request, principal, "enterprises.html", section="enterprises", status_code=400, query=query, result=None, names={},
                    error=exc, industries=INDUSTRIES, risk_levels=RISK_LEVELS, **_may(principal))
    names = await region_names(ctx, (e.region_code for e in result.items))
    return render(request, principal, "enterprises.html", section="enterprises", query=query, result=result, names=names,
                industries=INDUSTRIES, risk_levels=RISK_LEVELS, **_may(principal))


def _may(principal: Principal) -> dict[str, bool]:
    """Which of the area's buttons this role sees (each page checks the permission again)."""
    return {"may_write": allowed(principal.role, "enterprise.write"), "may_import": allowed(principal.role, "enterprise.import")}


async def recent_inspections(ctx: Context, principal: Principal, enterprise_id: str, limit: int = 20) -> list[dict[str, Any]]:
    """The enterprise's latest inspections, with who made them (``inspection.read``, scope as the API's list)."""
    require(principal.role, "inspection.read")
    query = (
        select(Inspection, User.display_name, User.username)
        .join(Enterprise, col(Enterprise.id) == col(Inspection.enterprise_id))
        .outerjoin(User, col(User.id) == col(Inspection.inspector_id))
        .where(*principal.enterprise_conditions(), col(Inspection.enterprise_id) == enterprise_id)
        .order_by(col(Inspection.inspected_at).desc()).limit(limit)
    )
    async with ctx.db.read() as session:
        rows = (await session.exec(query)).all()
    return [{"inspection": row, "inspector": display or username or ""} for row, display, username in rows]


@get("/enterprises/{enterprise_id:str}", name="console_enterprise")
async def enterprise_page(request: Request, ctx: Context, principal: Principal, enterprise_id: str) -> Template:
    """一企一档: everything the caller may read about one enterprise in scope."""
    wanted = canonical_uuid(enterprise_id)
    if wanted is None:
        raise not_found("enterprise", "企业")
    enterprise = await get_enterprise(ctx, principal, wanted)
    names = await region_names(ctx, [enterprise.region_code])
    mine = HazardFilter(enterprise_id=enterprise.id)
    context: dict[str, Any] = {
        "enterprise": enterprise, "region_name": names.get(enterprise.region_code, ""), "grid": await grid_of(ctx, enterprise.grid_code),
        "hazards": await hazard_rows(ctx, principal, mine, page_size=10),
        "open_hazards": await count_hazards(ctx, principal, mine, open_only=True),
        "overdue_hazards": await count_hazards(ctx, principal, HazardFilter(enterprise_id=enterprise.id, overdue=True)),
        "inspections": await recent_inspections(ctx, principal, enterprise.id) if allowed(principal.role, "inspection.read") else None,
        "documents": (await list_documents(ctx, principal, enterprise_id=enterprise.id, page_size=20)) if allowed(principal.role, "document.read") else None,
        "evaluations": (await list_evaluations(ctx, principal, enterprise_id=enterprise.id, page_size=10)) if allowed(principal.role, "evaluation.read") else None,
        "self_inspections": await list_self_inspections(ctx, principal, enterprise.id),
        "liaison_name": await _user_name(ctx, enterprise.liaison_user_id),
        "flash": _SAVED.get(request.query_params.get("saved") or "", "").format(version=enterprise.version) or None,
        **_may(principal),
    }
    return render(request, principal, "enterprise.html", section="enterprises", **context)


async def _user_name(ctx: Context, user_id: str | None) -> str:
    """A user's name for display ("" for none or a deleted one)."""
    if not user_id:
        return ""
    async with ctx.db.read() as session:
        user = await session.get(User, user_id)
    return (user.display_name or user.username) if user else ""


_SAVED = {"created": "已新建企业档案。", "updated": "已保存修改（现为第 {version} 版）。", "unchanged": "未作修改。"}


@get("/self-inspections/{submission_id:str}", name="console_self_inspection")
async def self_inspection_page(request: Request, ctx: Context, principal: Principal, submission_id: str) -> Template:
    """One self-inspection (企业自查) read back: answers, photos, signatures and the hazards it raised."""
    found = await read_self_inspection(ctx, principal, submission_id[:64])
    if found is None:
        raise not_found("self-inspection", "自查记录")
    return render(request, principal, "enterprise_self_inspection.html", section="enterprises", found=found)


ROUTES = [
    *enterprise_import.ROUTES, *enterprise_edit.ROUTES, enterprises_page, enterprise_page, self_inspection_page,
]
