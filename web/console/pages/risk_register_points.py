"""风险点: adding, reading, editing and retiring one point of a register.

The form posts to the services the API calls (``create_point``, ``update_point``, ``retire_point``)
with the assessor the API uses (``app.state.risk_assessor``): the same checks, scoring, colour,
revision and audit. A refusal brings the form back with every value kept and the message at the
field the API names (``risk_register_form``); 403 and 404 are the console's pages, as for the API.
"""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request, Response, get, post
from litestar.response import Redirect, Template

from core.access.permissions import require
from core.access.scope import Principal
from core.context import Context
from core.errors import AppError, InvalidInput
from core.risk_register.plant_plans import current_plan
from core.risk_register.service import create_point, get_point, get_register, point_history, retire_point, update_point
from core.risk_register.vocabulary import ACCIDENT_TYPE_LABELS, DIRECT_RULE_LABELS, METHOD_LABELS
from core.risk_register.wire import RetireIn, RiskPointIn, RiskPointOut, RiskPointUpdate
from core.safety_codes.service import safety_code
from web.console import forms
from web.console.pages import risk_register_form as point_form
from web.console.pages.risk_register import common, section_of
from web.console.views import render

SAVED = {"created": "风险点已新增，已按评价结果定级。", "updated": "风险点已修改，原内容保存在历史版本中。", "retired": "风险点已撤销，历史版本仍可查阅。"}


async def _form(
    request: Request, ctx: Context, principal: Principal, *, enterprise_id: str, enterprise_name: str, values: dict[str, Any],
    point: RiskPointOut | None = None, errors: dict[str, str] | None = None, error: AppError | None = None, status_code: int = 200,
) -> Template:
    errors = dict(errors or {})
    if error is not None and error.field and error.status_code == 400:
        errors.setdefault(point_form.form_key(error.field, values) or "code", error.message_zh or error.message)
    plan = await current_plan(ctx, principal, enterprise_id)
    return render(
        request, principal, "risk_point_form.html", section=section_of(principal), status_code=status_code, values=values, point=point,
        enterprise_id=enterprise_id, enterprise_name=enterprise_name, errors=errors, error=error, error_list=point_form.error_list(errors),
        has_plan=plan is not None, **point_form.vocabulary(), **common(principal),
    )


def _checked(values: dict[str, Any], *, editing: bool) -> RiskPointIn:
    """The form as the API's body; every blank required field, then msgspec's first refusal, raised as 400."""
    body, errors = point_form.body_of(values, editing=editing)
    if not errors:
        try:
            return msgspec.convert(body, RiskPointUpdate if editing else RiskPointIn, strict=False)
        except msgspec.ValidationError as exc:
            key, message = point_form.refusal(str(exc), values)
            errors[key or "code"] = message
    raise FormRefused(errors)


class FormRefused(InvalidInput):
    """Fields of the form refused before the service was asked (each named beside its field)."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(f"fields refused: {', '.join(errors)}", "未保存：请更正标出的字段", field=None)
        self.errors = errors


def _kept(values: dict[str, Any], form: Any) -> dict[str, Any]:
    """The values again, with one more blank control row when the form asked for it (works without JavaScript)."""
    if forms.text(form, "add_control") == "1":
        values["controls"].append(point_form.blank_control())
    return values


@get("/enterprises/{enterprise_id:str}/risk-register/new", name="console_risk_point_new")
async def new_point_page(request: Request, ctx: Context, principal: Principal, enterprise_id: str) -> Template:
    """An empty risk point to fill in (roles with ``risk_register.write``, over their scope)."""
    require(principal.role, "risk_register.write")
    register = await get_register(ctx, principal, enterprise_id)
    return await _form(request, ctx, principal, enterprise_id=enterprise_id, enterprise_name=register.enterprise_name, values=point_form.new_values())


@post("/enterprises/{enterprise_id:str}/risk-register/points", name="console_risk_point_create")
async def create_point_form(request: Request, ctx: Context, principal: Principal, enterprise_id: str) -> Response[Any]:
    """Add the point through ``create_point``; refused: the form again, values kept, errors at their fields."""
    require(principal.role, "risk_register.write")
    register = await get_register(ctx, principal, enterprise_id)
    form = await request.form()
    values = point_form.read_values(form)
    if forms.text(form, "add_control") == "1":
        return await _form(request, ctx, principal, enterprise_id=enterprise_id, enterprise_name=register.enterprise_name, values=_kept(values, form))
    try:
        created = await create_point(ctx, principal, request.app.state.risk_assessor, enterprise_id, _checked(values, editing=False))
    except AppError as exc:
        if exc.status_code in (403, 404):
            raise
        return await _form(request, ctx, principal, enterprise_id=enterprise_id, enterprise_name=register.enterprise_name, values=values,
                           errors=getattr(exc, "errors", None), error=exc, status_code=exc.status_code)
    return Redirect(f"/risk-points/{created.id}?saved=created", status_code=303)


async def _point_page(request: Request, ctx: Context, principal: Principal, point_id: str, *, flash: str | None = None,
                      retire_error: str | None = None, status_code: int = 200) -> Template:
    point = await get_point(ctx, principal, point_id)
    register = await get_register(ctx, principal, point.enterprise_id)
    code = await safety_code(ctx, principal, "risk_point", point.id) if point.active else None  # a retired point has no code
    return render(
        request, principal, "risk_point.html", section=section_of(principal), status_code=status_code, point=point,
        enterprise_name=register.enterprise_name, code=code, history=await point_history(ctx, principal, point.id), flash=flash,
        factor_label=point_form.factor_label, accident_labels=ACCIDENT_TYPE_LABELS, direct_labels=DIRECT_RULE_LABELS,
        method_labels=METHOD_LABELS, retire_error=retire_error, **common(principal),
    )


@get("/risk-points/{point_id:str}", name="console_risk_point")
async def point_page(request: Request, ctx: Context, principal: Principal, point_id: str, saved: str | None = None) -> Template:
    """One point: colour and why, the assessment explained, controls, its 安全码, every version."""
    return await _point_page(request, ctx, principal, point_id, flash=SAVED.get(saved or ""))


async def _editable(ctx: Context, principal: Principal, point_id: str) -> tuple[RiskPointOut, str]:
    require(principal.role, "risk_register.write")  # 403 before anything is looked up, as the API's PUT
    point = await get_point(ctx, principal, point_id)
    register = await get_register(ctx, principal, point.enterprise_id)
    return point, register.enterprise_name


@get("/risk-points/{point_id:str}/edit", name="console_risk_point_edit")
async def edit_point_page(request: Request, ctx: Context, principal: Principal, point_id: str) -> Template:
    """The point's content to change, with its version (a later save from an older page is refused)."""
    point, name = await _editable(ctx, principal, point_id)
    return await _form(request, ctx, principal, enterprise_id=point.enterprise_id, enterprise_name=name, values=point_form.values_of(point), point=point)


@post("/risk-points/{point_id:str}/edit", name="console_risk_point_update")
async def update_point_form(request: Request, ctx: Context, principal: Principal, point_id: str) -> Response[Any]:
    """Save through ``update_point`` with the page's version and the reason; refused: the form again."""
    point, name = await _editable(ctx, principal, point_id)
    form = await request.form()
    values = point_form.read_values(form)
    if forms.text(form, "add_control") == "1":
        return await _form(request, ctx, principal, enterprise_id=point.enterprise_id, enterprise_name=name, values=_kept(values, form), point=point)
    try:
        body = _checked(values, editing=True)
        await update_point(ctx, principal, request.app.state.risk_assessor, point.id, body)  # type: ignore[arg-type]
    except AppError as exc:
        if exc.status_code in (403, 404):
            raise
        return await _form(request, ctx, principal, enterprise_id=point.enterprise_id, enterprise_name=name, values=values, point=point,
                           errors=getattr(exc, "errors", None), error=exc, status_code=exc.status_code)
    return Redirect(f"/risk-points/{point.id}?saved=updated", status_code=303)


@post("/risk-points/{point_id:str}/retire", name="console_risk_point_retire")
async def retire_point_form(request: Request, ctx: Context, principal: Principal, point_id: str) -> Response[Any]:
    """Take the point out of the register with a reason (``retire_point``); refused: shown beside the form."""
    require(principal.role, "risk_register.write")
    form = await request.form()
    reason = forms.text(form, "reason")
    try:
        version = forms.integer(form, "expected_version")
        if not reason:
            raise InvalidInput("a reason is required", "撤销风险点须说明原因", field="reason")
        await retire_point(ctx, principal, point_id, RetireIn(reason=reason[:300], expected_version=version if version is not None else -1))
    except AppError as exc:
        if exc.status_code in (403, 404):
            raise
        return await _point_page(request, ctx, principal, point_id, retire_error=exc.message_zh or exc.message, status_code=exc.status_code)
    return Redirect(f"/risk-points/{point_id}?saved=retired", status_code=303)


ROUTES = [new_point_page, create_point_form, point_page, edit_point_page, update_point_form, retire_point_form]
