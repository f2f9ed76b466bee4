"""隐患: the lists (overdue, 挂牌督办, by status, level, enterprise, region, industry), the hazard page
with its history, photos and evidence, and the lifecycle steps the user may take now.

The buttons are exactly core's ``allowed`` steps for this user and this hazard's status
(``core.hazards.rules``); each posts a form to ``/hazards/{id}/steps``, which calls the service the
API's ``POST /api/v1/hazards/{id}/transitions`` calls, with the hazard's version (a page older than
the hazard is refused, 409, and says so). Evidence photos are stored first, like a tablet's
(``web.console.evidence``). A refused step shows core's Chinese message beside its form.
"""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request, Response, get, post
from litestar.response import Redirect, Template

from core.access.scope import Principal
from core.context import Context
from core.enterprises.service import get_enterprise
from core.errors import AppError, Conflict, InvalidInput, field_path_of, not_found
from core.hazards.queries import HazardFilter
from core.hazards.rules import STEPS
from core.hazards.service import get_hazard_detail, transition_hazard
from core.hazards.wire import TransitionIn
from core.ids import canonical_uuid
from core.storage.attachment_files import missing_attachments
from core.vocabulary import INDUSTRIES
from web.console import forms
from web.console.evidence import store_photos
from web.console.hazard_lists import hazard_rows
from web.console.places import region_names
from web.console.views import render

PAGE_SIZE = 20
_TARGET = {step.action: step.to_status for step in STEPS}
_STATUSES = ("reported", "rectifying", "awaiting_recheck", "closed")


def _flag(value: str | None, field: str) -> bool | None:
    if value in (None, ""):
        return None
    if value in ("true", "1"):
        return True
    if value in ("false", "0"):
        return False
    raise InvalidInput(f"{field} must be true or false", "筛选条件应为“是”或“否”", field=field)


def list_filters(query: dict[str, str]) -> tuple[HazardFilter, bool]:
    """The list's filters from its query (checked like the API's parameters) and "open only"."""
    status, level = query["status"] or None, query["level"] or None
    if status is not None and status not in _STATUSES:
        raise InvalidInput("unknown status", "未知的隐患状态", field="status")
    if level is not None and level not in ("general", "major"):
        raise InvalidInput("unknown level", "未知的隐患等级", field="level")
    if query["industry"] and query["industry"] not in INDUSTRIES:
        raise InvalidInput("unknown industry", "未知的行业", field="industry")
    region = query["region_code"] or None
    if region is not None and not (region.isdigit() and len(region) in (6, 9)):
        raise InvalidInput("region_code: six or nine digits", "行政区划代码应为6位或9位数字", field="region_code")
    enterprise_id = None
    if query["enterprise_id"]:
        enterprise_id = canonical_uuid(query["enterprise_id"])
        if enterprise_id is None:
            raise InvalidInput("enterprise_id must be a UUID", "企业编号格式不正确", field="enterprise_id")
    filters = HazardFilter(
        region_code=region, industry=query["industry"] or None, enterprise_id=enterprise_id, level=level, status=status,
        overdue=_flag(query["overdue"], "overdue"), listed=_flag(query["listed"], "listed"),
    )
    return filters, _flag(query["open"], "open") is True


def list_title(filters: HazardFilter, open_only: bool) -> str:
    """The heading of a list, after its main filter."""
    if filters.listed:
        return "挂牌督办隐患" + ("（未销号）" if open_only else "")
    if filters.overdue:
        return "逾期隐患"
    if filters.status == "awaiting_recheck":
        return "待复查隐患"
    return "未销号隐患" if open_only and not filters.status else "隐患"


@get("/hazards", name="console_hazards")
async def hazards_page(
    request: Request, ctx: Context, principal: Principal, status: str = "", level: str = "", overdue: str = "", listed: str = "",
    enterprise_id: str = "", region_code: str = "", industry: str = "", open: str = "", page: int = 1,
) -> Template:
    """Hazards in scope with the supervisors' filters, 20 a page."""
    query = {"status": status, "level": level, "overdue": overdue, "listed": listed, "enterprise_id": enterprise_id,
             "region_code": region_code, "industry": industry, "open": open}
    try:
        filters, open_only = list_filters(query)
        order = "deadline" if filters.overdue else "listed" if filters.listed else "newest"
        rows = await hazard_rows(ctx, principal, filters, open_only=open_only, order=order, page=page, page_size=PAGE_SIZE)
    except InvalidInput as exc:
        return render(request, principal, "hazards.html", section="hazards", status_code=400, query=query, rows=None, title="隐患", names={},
                      error=exc, industries=INDUSTRIES, enterprise_name="")
    names = await region_names(ctx, (row.hazard.region_code for row in rows.items))
    enterprise_name = ""
    if filters.enterprise_id:
        enterprise_name = (await get_enterprise(ctx, principal, filters.enterprise_id)).name
    section = "listed" if filters.listed else "hazards"
    return render(request, principal, "hazards.html", section=section, query=query, rows=rows, title=list_title(filters, open_only), names=names,
                  industries=INDUSTRIES, enterprise_name=enterprise_name)


async def _hazard_view(request: Request, ctx: Context, principal: Principal, hazard_id: str, *, status_code: int = 200, **extra: Any) -> Template:
    wanted = canonical_uuid(hazard_id)
    if wanted is None:
        raise not_found("hazard", "隐患")
    detail = await get_hazard_detail(ctx, principal, wanted)
    hazard = detail.hazard
    enterprise = await get_enterprise(ctx, principal, hazard.enterprise_id)
    refs = [*hazard.evidence, *hazard.rectification_evidence, *(e for entry in detail.history for e in entry.evidence)]
    done = request.query_params.get("done")
    context: dict[str, Any] = {
        "detail": detail, "hazard": hazard, "enterprise": enterprise, "region_name": (await region_names(ctx, [hazard.region_code])).get(hazard.region_code, ""),
        "missing": set(missing_attachments(ctx.settings.data_dir, refs)), "open_action": None, "values": {},
        "flash": f"已完成：{dict((s.action, s.label_zh) for s in STEPS).get(done, '')}" if done in _TARGET else None,
    }
    context.update(extra)
    return render(request, principal, "hazard.html", section="hazards", status_code=status_code, **context)


@get("/hazards/{hazard_id:str}", name="console_hazard")
async def hazard_page(request: Request, ctx: Context, principal: Principal, hazard_id: str) -> Template:
    """One hazard in scope: facts, photos, history, and the forms of the steps the user may take now."""
    return await _hazard_view(request, ctx, principal, hazard_id)


def _transition(form: Any, action: str, evidence: list[str]) -> TransitionIn:
    """The step's body as the API would decode it (msgspec checks every length and pattern)."""
    raw: dict[str, Any] = {
        "to_status": _TARGET[action], "reason": forms.text(form, "reason"), "evidence": evidence,
        "responsible_person": forms.optional_text(form, "responsible_person"), "rectification_plan": forms.optional_text(form, "rectification_plan"),
        "deadline": forms.deadline(form), "base_version": forms.integer(form, "base_version"),
    }
    if action in ("recheck_passed", "recheck_failed"):
        raw["recheck_passed"] = action == "recheck_passed"
    try:
        return msgspec.convert(raw, TransitionIn)
    except msgspec.ValidationError as exc:
        field = field_path_of(str(exc))
        raise InvalidInput(str(exc), f"填写内容不合法（{field or '表单'}）：{exc}", field=field) from exc


@post("/hazards/{hazard_id:str}/steps", name="console_hazard_step")
async def hazard_step(request: Request, ctx: Context, principal: Principal, hazard_id: str) -> Response[Any]:
    """Take one lifecycle step from the hazard page's form; errors are shown beside the form."""
    form = await request.form()
    action = forms.text(form, "action")
    values = {name: forms.text(form, name) for name in ("deadline", "responsible_person", "rectification_plan", "reason")}
    wanted = canonical_uuid(hazard_id)
    if wanted is None:
        raise not_found("hazard", "隐患")
    detail = await get_hazard_detail(ctx, principal, wanted)  # 404 out of scope before anything else
    try:
        if action not in {step.action for step in detail.allowed}:
            raise Conflict("this step is not possible now", "该操作当前不可执行（隐患状态已变化或您无权执行），请刷新页面", field="action", code="invalid_transition")
        _transition(form, action, [])  # every field checked before any photo is stored
        evidence = await store_photos(ctx, principal, forms.files(form, "evidence"))
        await transition_hazard(ctx, principal, wanted, _transition(form, action, evidence))
    except AppError as exc:
        return await _hazard_view(request, ctx, principal, wanted, status_code=exc.status_code, error=exc, open_action=action, values=values)
    return Redirect(f"/hazards/{wanted}?done={action}", status_code=303)


ROUTES = [hazards_page, hazard_page, hazard_step]
