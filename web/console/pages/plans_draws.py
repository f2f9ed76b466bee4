"""双随机: the draws in scope, running one, a draw's page (seed, pool, exclusions, result) and its
verification — re-running the recorded seed over the recorded candidates.

The same calls as ``RandomDrawController`` in ``core/plans/api.py``: ``list_draws``, ``run_draw``
(``random_draw.run``; a department draws only inside its jurisdiction), ``get_draw`` and
``verify_draw`` (``plan.read``; a draw is visible when any candidate enterprise is, and shows only
those). The exclusions are core's ``draw_exclusions`` (the 回避 ties the draw removed, with reasons).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from litestar import Request, Response, get, post
from litestar.response import Redirect, Template

from core.access.permissions import allowed, require
from core.access.scope import Principal
from core.context import Context
from core.errors import AppError, not_found
from core.ids import canonical_uuid
from core.local_time import local_date
from core.plans.draw_exclusions import draw_exclusions
from core.plans.inspector_ties import list_ties
from core.plans.random_draw_service import get_draw, list_draws, run_draw, verify_draw
from core.vocabulary import INDUSTRIES
from web.console.pages.plans_common import enterprise_names, user_names
from web.console.pages.plans_forms import draw_in, form_values
from web.console.places import region_names
from web.console.views import render

_DRAW_FIELDS = ("title", "region_code", "enterprise_count", "inspectors_per_enterprise", "due_from", "due_until", "seed")


@get("/random-draws", name="console_draws")
async def draws_page(request: Request, ctx: Context, principal: Principal) -> Template:
    """Draws the caller may see, newest first."""
    draws = await list_draws(ctx, principal)
    names = await region_names(ctx, (d.region_code for d in draws))
    return render(request, principal, "draws.html", section="plans", draws=draws, names=names, may_draw=allowed(principal.role, "random_draw.run"))


async def _draw_form(request: Request, ctx: Context, principal: Principal, *, values: dict[str, Any] | None = None, error: AppError | None = None, status_code: int = 200) -> Template:
    today = local_date(ctx.clock.now())
    defaults = {"title": "", "region_code": principal.region_code or "", "industries": list(principal.industries), "enterprise_count": "5",
                "inspectors_per_enterprise": "2", "due_from": today.isoformat(), "due_until": (today + timedelta(days=30)).isoformat(), "seed": ""}
    ties = await list_ties(ctx, principal)
    return render(request, principal, "draw_new.html", section="plans", status_code=status_code, values={**defaults, **(values or {})}, error=error,
                  industries=INDUSTRIES, ties=ties, enterprises=await enterprise_names(ctx, (t.enterprise_id for t in ties)),
                  people=await user_names(ctx, (t.inspector_id for t in ties)))


@get("/random-draws/new", name="console_draw_new")
async def draw_new_page(request: Request, ctx: Context, principal: Principal) -> Template:
    """The form of a new draw (``random_draw.run``), with the 回避 ties it will exclude."""
    require(principal.role, "random_draw.run")
    return await _draw_form(request, ctx, principal)


@post("/random-draws", name="console_draw_run")
async def draw_run(request: Request, ctx: Context, principal: Principal) -> Response[Any]:
    """Run the draw through ``run_draw`` (recorded, audited, assignments made); refusals beside the form."""
    require(principal.role, "random_draw.run")
    form = await request.form()
    values = form_values(form, _DRAW_FIELDS)
    try:
        made = await run_draw(ctx, principal, draw_in(form))
    except AppError as exc:
        if exc.status_code not in (400, 403, 409) or not exc.field:
            raise
        return await _draw_form(request, ctx, principal, values=values, error=exc, status_code=exc.status_code)
    return Redirect(f"/random-draws/{made.id}?done=1", status_code=303)


def _draw_id(draw_id: str) -> str:
    wanted = canonical_uuid(draw_id)
    if wanted is None:
        raise not_found("random draw", "双随机抽查")
    return wanted


@get("/random-draws/{draw_id:str}", name="console_draw")
async def draw_page(request: Request, ctx: Context, principal: Principal, draw_id: str) -> Template:
    """One draw as the caller may see it: parameters, seed, pool, exclusions and result."""
    found = await get_draw(ctx, principal, _draw_id(draw_id))
    exclusions = await draw_exclusions(ctx, principal, found.id)
    people_ids = [found.created_by, *(i for ids in found.candidates.values() for i in ids)]
    enterprises = await enterprise_names(ctx, found.candidates)
    pool = sorted(found.candidates.items(), key=lambda item: (enterprises.get(item[0], item[0]), item[0]))
    return render(
        request, principal, "draw.html", section="plans", draw=found, exclusions=exclusions, pool=pool,
        enterprises=enterprises, people=await user_names(ctx, people_ids),
        picked={pick["enterprise_id"] for pick in found.result}, region_name=(await region_names(ctx, [found.region_code])).get(found.region_code, ""),
        flash="抽取完成：随机种子与候选名单已记录，检查任务已派发。" if request.query_params.get("done") else None,
    )


@get("/random-draws/{draw_id:str}/verify", name="console_draw_verify")
async def draw_verify_page(request: Request, ctx: Context, principal: Principal, draw_id: str) -> Template:
    """验证: the draw recomputed from its recorded seed and candidates, beside the recorded result."""
    wanted = _draw_id(draw_id)
    verification = await verify_draw(ctx, principal, wanted)
    found = await get_draw(ctx, principal, wanted)
    ids = [i for pick in (*found.result, *verification.recomputed) for i in pick.get("inspector_ids", [])]
    rows = max(len(found.result), len(verification.recomputed))
    pairs = [(found.result[n] if n < len(found.result) else None, verification.recomputed[n] if n < len(verification.recomputed) else None) for n in range(rows)]
    return render(
        request, principal, "draw_verify.html", section="plans", draw=found, verification=verification, pairs=pairs,
        enterprises=await enterprise_names(ctx, found.candidates), people=await user_names(ctx, ids),
    )


ROUTES = [draws_page, draw_new_page, draw_run, draw_page, draw_verify_page]
