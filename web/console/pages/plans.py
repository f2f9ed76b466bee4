"""计划: the year plans in scope with their coverage, creating one, and a plan's page — its
assignments, 全覆盖 (enterprises not yet inspected this year, and those no inspector can be sent
to), and generating its assignments. 双随机 lives in ``plans_draws``; one ``ROUTES`` for both.

Every page calls what ``core/plans/api.py`` calls — ``list_plans``, ``create_plan``, ``get_plan``,
``plan_coverage``, ``list_assignments``, ``generate_plan_assignments`` — with the same
``Principal``: ``plan.read`` to see, ``plan.write`` to create and generate, plans whose scope does
not overlap the caller's are 404 like absent ones, and a department plans only inside its
jurisdiction (its refusal is shown beside the form).
"""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get, post
from litestar.response import Redirect, Template

from core.access.permissions import allowed, require
from core.access.scope import Principal
from core.context import Context
from core.errors import AppError, InvalidInput, not_found
from core.ids import canonical_uuid
from core.plans.records import DEFAULT_FREQUENCIES, FREQUENCY_LABELS
from core.plans.service import create_plan, generate_plan_assignments, get_plan, list_assignments, list_plans, plan_coverage
from core.plans.staffing import unstaffed_enterprises
from core.vocabulary import INDUSTRIES
from web.console.pages import plans_draws
from web.console.pages.plans_common import enterprise_names, user_names
from web.console.pages.plans_forms import RISK_KEYS, day, form_values, plan_in
from web.console.places import region_names
from web.console.views import render

ASSIGNMENTS_PAGE = 50
RISK_KEY_LABELS = {"major": "重大风险（红）", "high": "较大风险（橙）", "moderate": "一般风险（黄）", "low": "低风险（蓝）", "unrated": "未评定"}
_PLAN_FIELDS = ("year", "title", "region_code", *(f"frequency_{k}" for k in RISK_KEYS))


@get("/plans", name="console_plans")
async def plans_page(request: Request, ctx: Context, principal: Principal, year: str = "") -> Template:
    """Plans whose scope overlaps the caller's, each with its coverage so far (as the API's)."""
    require(principal.role, "plan.read")
    wanted = int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else None
    plans = await list_plans(ctx, principal, wanted)
    coverage = {p.id: await plan_coverage(ctx, principal, p.id) for p in plans}
    names = await region_names(ctx, (p.region_code for p in plans))
    years = sorted({p.year for p in await list_plans(ctx, principal)}, reverse=True)
    return render(request, principal, "plans.html", section="plans", plans=plans, coverage=coverage, names=names, years=years,
                  year=wanted, may_write=allowed(principal.role, "plan.write"), may_draw=allowed(principal.role, "random_draw.run"))


def _plan_form(request: Request, principal: Principal, *, values: dict[str, Any] | None = None, error: AppError | None = None, status_code: int = 200) -> Template:
    defaults = {"year": str(request.app.state.ctx.clock.now().year), "title": "", "region_code": principal.region_code or "", "industries": list(principal.industries),
                **{f"frequency_{k}": DEFAULT_FREQUENCIES[k] for k in RISK_KEYS}}
    return render(request, principal, "plan_new.html", section="plans", status_code=status_code, values={**defaults, **(values or {})}, error=error,
                  industries=INDUSTRIES, risk_keys=RISK_KEY_LABELS, frequencies=FREQUENCY_LABELS)


@get("/plans/new", name="console_plan_new")
async def plan_new_page(request: Request, principal: Principal) -> Template:
    """The form of a new year plan (``plan.write``)."""
    require(principal.role, "plan.write")
    return _plan_form(request, principal)


@post("/plans", name="console_plan_create")
async def plan_create(request: Request, ctx: Context, principal: Principal) -> Response[Any]:
    """Create the plan through ``create_plan``; a refusal is shown beside the form, nothing made."""
    require(principal.role, "plan.write")
    form = await request.form()
    values = form_values(form, _PLAN_FIELDS)
    try:
        plan = await create_plan(ctx, principal, plan_in(form))
    except AppError as exc:
        if exc.status_code not in (400, 403, 409) or not exc.field:
            raise
        return _plan_form(request, principal, values=values, error=exc, status_code=exc.status_code)
    return Redirect(f"/plans/{plan.id}?created=1", status_code=303)


def _plan_id(plan_id: str) -> str:
    wanted = canonical_uuid(plan_id)
    if wanted is None:
        raise not_found("plan", "检查计划")
    return wanted


def _count(request: Request, name: str) -> int | None:
    value = request.query_params.get(name, "")
    return int(value) if value.isdigit() and len(value) < 7 else None


async def _plan_view(request: Request, ctx: Context, principal: Principal, plan_id: str, *, status_code: int = 200, error: AppError | None = None, page: int = 1) -> Template:
    plan = await get_plan(ctx, principal, plan_id)
    coverage = await plan_coverage(ctx, principal, plan.id)
    assignments = await list_assignments(ctx, principal, plan_id=plan.id)
    pages = max(1, -(-len(assignments) // ASSIGNMENTS_PAGE))
    page = min(max(page, 1), pages)
    shown = assignments[(page - 1) * ASSIGNMENTS_PAGE: page * ASSIGNMENTS_PAGE]
    unstaffed = await unstaffed_enterprises(ctx, principal, plan.id)
    generated = None
    if request.query_params.get("generated") and error is None:
        generated = {"created": _count(request, "created") or 0, "existing": _count(request, "existing") or 0}
    return render(
        request, principal, "plan.html", section="plans", status_code=status_code, plan=plan, coverage=coverage, unstaffed=unstaffed,
        assignments=shown, rows={"total": len(assignments), "page": page, "pages": pages},
        enterprises=await enterprise_names(ctx, (a.enterprise_id for a in shown)), people=await user_names(ctx, [plan.created_by, *(a.inspector_id for a in shown)]),
        region_name=(await region_names(ctx, [plan.region_code])).get(plan.region_code, ""), frequencies=FREQUENCY_LABELS, risk_keys=RISK_KEY_LABELS,
        may_write=allowed(principal.role, "plan.write"), generated=generated, error=error,
        flash="检查计划已创建。" if request.query_params.get("created") else None,
    )


@get("/plans/{plan_id:str}", name="console_plan")
async def plan_page(request: Request, ctx: Context, principal: Principal, plan_id: str, page: int = 1) -> Template:
    """One plan in scope: its facts, coverage, enterprises not covered, and its assignments."""
    return await _plan_view(request, ctx, principal, _plan_id(plan_id), page=page)


@post("/plans/{plan_id:str}/generate", name="console_plan_generate")
async def plan_generate(request: Request, ctx: Context, principal: Principal, plan_id: str) -> Response[Any]:
    """Generate the plan's missing assignments (idempotent), optionally only those starting by a date."""
    require(principal.role, "plan.write")
    wanted = _plan_id(plan_id)
    form = await request.form()
    try:
        through = day(form, "through", required=False)
        result = await generate_plan_assignments(ctx, principal, wanted, through)
    except InvalidInput as exc:
        return await _plan_view(request, ctx, principal, wanted, status_code=400, error=exc)
    return Redirect(f"/plans/{wanted}?generated=1&created={result.created}&existing={result.existing}#generation", status_code=303)


ROUTES = [plans_page, plan_new_page, plan_create, plan_page, plan_generate, *plans_draws.ROUTES]
