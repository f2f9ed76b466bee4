"""行政处罚: the cases in scope with their stage, one case with its stages and the next step's form
(立案 → 告知 → 决定 → 履行), and 立案 from an inspection — each through the service of the API's
``/api/v1/penalties`` routes (``file_case``, ``notify``, ``decide``, ``fulfil``), so the same rules
hold: two or more card-holding handlers, each stage once and in order, never heavier than notified.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get, post
from litestar.response import Redirect, Template

from core.access.permissions import allowed, require
from core.access.scope import Principal
from core.context import Context
from core.errors import AppError, InvalidInput, NotFound
from core.local_time import local_date
from plugins.documents.penalties.lifecycle import decide, file_case, fulfil, notify
from plugins.documents.penalties.records import STAGE_LABELS
from plugins.documents.penalties.views import get_penalty, list_penalties
from plugins.documents.penalties.wire import HEARING_LABELS, PenaltyDecisionIn, PenaltyFileIn, PenaltyFulfilmentIn, PenaltyNoticeIn
from web.console import forms
from web.console.pages.documents_issue import inspection_of, panel
from web.console.pages.documents_shared import Paged, decode, enterprise_names, user_names
from web.console.views import render

PAGE_SIZE = 20
# stage the case is in -> (the next step, its label, its body, its service, its text fields, its whole-yuan fields)
_NEXT: dict[str, tuple[str, str, Any, Any, tuple[str, ...], tuple[str, ...]]] = {
    "filed": ("notice", "告知", PenaltyNoticeIn, notify, ("facts", "violated", "basis", "proposed", "notified_on"), ("proposed_fine_yuan",)),
    "notified": ("decision", "作出决定", PenaltyDecisionIn, decide, ("decision", "decided_on", "hearing", "statement", "payee", "account"), ("fine_yuan",)),
    "decided": ("fulfilment", "登记履行", PenaltyFulfilmentIn, fulfil, ("paid_on", "receipt_no", "note"), ("paid_yuan",)),
}
_DONE = {"filed": "已立案。", "notice": "已告知。", "decision": "已作出处罚决定。", "fulfilment": "已登记履行。"}


@get("/penalties", name="console_penalties")
async def penalties_page(request: Request, ctx: Context, principal: Principal, status: str = "", page: int = 1) -> Template:
    """Cases of enterprises in scope, newest first, with their stage."""
    require(principal.role, "penalty.read")
    if status and status not in STAGE_LABELS:
        error = InvalidInput("unknown stage", "未知的案件阶段", field="status")
        return render(request, principal, "penalties.html", section="documents", status_code=400, error=error, rows=None, status=status,
                      stages=STAGE_LABELS, names={})
    rows = await list_penalties(ctx, principal, status=status or None, page=max(page, 1), page_size=PAGE_SIZE)
    names = await enterprise_names(ctx, principal, {case.enterprise_id for case in rows.items})
    return render(request, principal, "penalties.html", section="documents", rows=Paged.of(rows), status=status, stages=STAGE_LABELS, names=names)


async def _case_view(request: Request, ctx: Context, principal: Principal, case_id: str, *, status_code: int = 200, **extra: Any) -> Template:
    case = await get_penalty(ctx, principal, case_id[:64])
    names = await enterprise_names(ctx, principal, {case.enterprise_id})
    step = _NEXT.get(case.status)
    context: dict[str, Any] = {
        "case": case, "enterprise_name": names.get(case.enterprise_id, ""), "people": await user_names(ctx, {case.filed_by}),
        "stages": STAGE_LABELS, "hearings": HEARING_LABELS, "next_step": step[0] if step else None, "next_label": step[1] if step else "",
        "may_manage": allowed(principal.role, "penalty.manage"), "values": {}, "today": local_date(ctx.clock.now()).isoformat(),
        "flash": _DONE.get(request.query_params.get("done", "")),
    }
    context.update(extra)
    return render(request, principal, "penalty.html", section="documents", status_code=status_code, **context)


@get("/penalties/{case_id:str}", name="console_penalty")
async def penalty_page(request: Request, ctx: Context, principal: Principal, case_id: str) -> Template:
    """One case in scope: its stages as recorded and, for officers, the next step's form."""
    return await _case_view(request, ctx, principal, case_id)


def _yuan(form: Any, name: str) -> int | None:
    value = forms.text(form, name)
    if not value:
        return None
    if not value.isdigit() or len(value) > 10:
        raise InvalidInput(f"{name} must be whole yuan", "金额应为整数（元）", field=name)
    return int(value)


@post("/penalties/{case_id:str}/steps", name="console_penalty_step")
async def penalty_step(request: Request, ctx: Context, principal: Principal, case_id: str) -> Response[Any]:
    """The next stage from its form (``stage``: notice, decision, fulfilment), through the API's service."""
    form = await request.form()
    require(principal.role, "penalty.manage")  # the role first, as the lifecycle's services check it
    case = await get_penalty(ctx, principal, case_id[:64])  # then 404 out of scope
    stage = forms.text(form, "stage")
    step = next((s for s in _NEXT.values() if s[0] == stage), None)
    values = {name: forms.text(form, name) for name in ("facts", "violated", "basis", "proposed", "notified_on", "proposed_fine_yuan", "decision",
                                                        "decided_on", "hearing", "statement", "payee", "account", "fine_yuan", "paid_on", "paid_yuan",
                                                        "receipt_no", "note")}
    try:
        if step is None:
            raise InvalidInput("unknown stage", "未知的办理环节", field="stage")
        _, _, body, service, texts, amounts = step
        raw: dict[str, Any] = {name: values[name] for name in texts if values[name]}
        raw.update({name: amount for name in amounts if (amount := _yuan(form, name)) is not None})
        await service(ctx, principal, case.id, decode(raw, body))
    except NotFound:
        raise
    except AppError as exc:
        return await _case_view(request, ctx, principal, case.id, status_code=exc.status_code, error=exc, values=values)
    return Redirect(f"/penalties/{case.id}?done={stage}", status_code=303)


@post("/penalties", name="console_penalty_file")
async def file_page(request: Request, ctx: Context, principal: Principal) -> Response[Any]:
    """立案 from an inspection's page: its enterprise, the cause, the handlers ticked, its hazards."""
    form = await request.form()
    require(principal.role, "penalty.manage")
    inspection = await inspection_of(ctx, principal, forms.text(form, "inspection_id"))
    handlers = [forms.text({"h": h}, "h") for h in (form.getall("handlers", []) if hasattr(form, "getall") else []) if isinstance(h, str) and h.strip()]
    raw = {"enterprise_id": inspection.enterprise_id, "inspection_id": inspection.id, "cause": forms.text(form, "cause"), "handlers": handlers,
           "hazard_ids": list(inspection.hazard_ids)}
    try:
        if not raw["cause"]:
            raise InvalidInput("cause must not be blank", "请填写案由", field="cause")
        if len(handlers) < 2:
            raise InvalidInput("at least two handlers", "至少选择两名承办人（执法人员）", field="handlers")
        case = await file_case(ctx, principal, decode(raw, PenaltyFileIn))
    except NotFound:
        raise
    except AppError as exc:
        context = await panel(request, ctx, principal, inspection)
        return render(request, principal, "documents_inspection.html", section="documents", status_code=exc.status_code, error=exc,
                      file_values={"cause": raw["cause"], "handlers": handlers}, **context)
    return Redirect(f"/penalties/{case.id}?done=filed", status_code=303)


ROUTES = [penalties_page, penalty_page, penalty_step, file_page]
