"""风险清单: an enterprise's register, its 安全码, its 四色分布图 with the plant plan, and the printables.

Each page is a thin view over the services the API calls (``get_register``, ``register_history``,
``safety_code`` / ``renew_code``, ``current_plan`` / ``upload_plan``, ``register_points``) with the same
``Principal``: ``risk_register.read`` for every role over its scope, ``risk_register.write`` for
admins, departments and the enterprise's own users; out of scope is the console's 404 page.
The console's session opens no ``/api/`` route, so the 四色分布图 (SVG, PNG) and the 岗位风险告知卡
(PDF) are served here too, drawn by the risk_prints plugin's own renderers from the same services.
"""

from __future__ import annotations

import asyncio
from typing import Annotated, Any, Literal
from urllib.parse import quote

from litestar import Request, Response, get, post
from litestar.params import Parameter
from litestar.response import Redirect, Template

from core.access.permissions import allowed, require
from core.access.scope import Principal
from core.context import Context
from core.errors import AppError, InvalidInput, not_found
from core.risk_register.grading import COLOUR_LABELS, LEVEL_LABELS, LEVEL_ORDER
from core.risk_register.plant_plans import MAX_BYTES, current_plan, upload_plan
from core.risk_register.service import get_register, register_history, register_points
from core.risk_register.summary import REQUIRED_CONTROL_LEVEL
from core.risk_register.vocabulary import CONTROL_LEVEL_LABELS, POINT_KIND_LABELS
from core.safety_codes.facts import FACT_LABELS
from core.safety_codes.service import public_url, renew_code, safety_code
from plugins.risk_prints.making import four_colour_map
from plugins.risk_prints.making import notice_cards as make_cards
from plugins.risk_prints.posts import points_by_post
from web.console import forms
from web.console.views import render

ACTION_LABELS = {"created": "新增", "updated": "修改", "retired": "撤销"}
CODE_COLOUR_LABELS = {"green": "绿码", "yellow": "黄码", "orange": "橙码", "red": "红码"}
SAVED = {"plan": "厂区平面图已上传，四色分布图已按新平面图绘制。", "renewed": "安全码已更换，原二维码即时失效。"}


def section_of(principal: Principal, own: str = "risk_register") -> str:
    """The navigation entry a register page belongs to (an enterprise user's own, others' 企业)."""
    return own if principal.role == "enterprise_user" else "enterprises"


def common(principal: Principal) -> dict[str, Any]:
    """What every register page shows: labels and whether this user may change the register."""
    return {
        "may_write": allowed(principal.role, "risk_register.write"), "levels": LEVEL_ORDER, "level_labels": LEVEL_LABELS,
        "colour_labels": COLOUR_LABELS, "control_level_labels": CONTROL_LEVEL_LABELS, "kind_labels": POINT_KIND_LABELS,
        "action_labels": ACTION_LABELS, "code_colour_labels": CODE_COLOUR_LABELS, "required_level": REQUIRED_CONTROL_LEVEL,
    }


async def _posts(ctx: Context, principal: Principal, enterprise_id: str) -> list[str]:
    _, points = await register_points(ctx, principal, enterprise_id)
    return list(points_by_post(points))


@get("/enterprises/{enterprise_id:str}/risk-register", name="console_risk_register")
async def register_page(request: Request, ctx: Context, principal: Principal, enterprise_id: str, saved: str | None = None) -> Template:
    """The register: 四色 summary, gaps, active points, the printables, the 安全码, the history."""
    register = await get_register(ctx, principal, enterprise_id)
    code = await safety_code(ctx, principal, "enterprise", enterprise_id)
    history = await register_history(ctx, principal, enterprise_id, 50)
    return render(
        request, principal, "risk_register.html", section=section_of(principal), register=register, code=code, history=history,
        posts=await _posts(ctx, principal, enterprise_id), flash=SAVED.get(saved or ""), **common(principal),
    )


@get("/enterprises/{enterprise_id:str}/safety-code", name="console_enterprise_safety_code")
async def safety_code_page(request: Request, ctx: Context, principal: Principal, enterprise_id: str, saved: str | None = None) -> Template:
    """The enterprise's 安全码: colour and why, the QR code, the public page; renew (writers)."""
    register = await get_register(ctx, principal, enterprise_id)
    code = await safety_code(ctx, principal, "enterprise", enterprise_id)
    address = public_url(request.app.state.settings.public_url, str(request.base_url), code.token)
    return render(
        request, principal, "risk_safety_code.html", section=section_of(principal, "safety_code"), register=register, code=code,
        address=address, fact_labels=FACT_LABELS, flash=SAVED.get(saved or ""), **common(principal),
    )


@post("/enterprises/{enterprise_id:str}/safety-code/renew", name="console_enterprise_safety_code_renew")
async def renew_safety_code(ctx: Context, principal: Principal, enterprise_id: str) -> Redirect:
    """Replace the enterprise's code (the printed old one stops opening the page)."""
    await renew_code(ctx, principal, "enterprise", enterprise_id)
    return Redirect(f"/enterprises/{enterprise_id}/safety-code?saved=renewed", status_code=303)


async def _map_page(request: Request, ctx: Context, principal: Principal, enterprise_id: str, *, error: AppError | None = None,
                    flash: str | None = None, status_code: int = 200) -> Template:
    register = await get_register(ctx, principal, enterprise_id)
    plan = await current_plan(ctx, principal, enterprise_id)
    return render(
        request, principal, "risk_map.html", section=section_of(principal), status_code=status_code, register=register,
        plan=plan[0] if plan else None, error=error, flash=flash, max_mb=MAX_BYTES // 1024 // 1024,
        unplaced=[p for p in register.points if p.plan_x is None and not p.plan_area], **common(principal),
    )


@get("/enterprises/{enterprise_id:str}/risk-register/map", name="console_risk_map")
async def map_page(request: Request, ctx: Context, principal: Principal, enterprise_id: str, saved: str | None = None) -> Template:
    """四色分布图 on the page, with the plant plan upload and the downloads."""
    return await _map_page(request, ctx, principal, enterprise_id, flash=SAVED.get(saved or ""))


@post("/enterprises/{enterprise_id:str}/risk-register/plant-plan", name="console_risk_plan_upload", request_max_body_size=MAX_BYTES + 64 * 1024)
async def upload_plan_form(request: Request, ctx: Context, principal: Principal, enterprise_id: str) -> Response[Any]:
    """Keep a new plant plan (PNG or JPEG, checked by core); a refusal is shown beside the form."""
    require(principal.role, "risk_register.write")
    form = await request.form()
    chosen = forms.files(form, "file")
    try:
        if not chosen:
            raise InvalidInput("choose a PNG or JPEG file", "请选择平面图文件（PNG 或 JPEG）", field="file")
        await upload_plan(ctx, principal, enterprise_id, await chosen[0].read())
    except AppError as exc:
        if exc.status_code in (403, 404):
            raise
        return await _map_page(request, ctx, principal, enterprise_id, error=exc, status_code=exc.status_code)
    return Redirect(f"/enterprises/{enterprise_id}/risk-register/map?saved=plan", status_code=303)


@get("/enterprises/{enterprise_id:str}/risk-register/plant-plan", name="console_risk_plan_image")
async def plan_image(ctx: Context, principal: Principal, enterprise_id: str) -> Response[bytes]:
    """The plant plan image itself (the point form places a point by a click on it); 404 without one."""
    found = await current_plan(ctx, principal, enterprise_id)
    if found is None:
        raise not_found("plant plan", "厂区平面图")
    plan, path = found
    return Response(await asyncio.to_thread(path.read_bytes), media_type=plan.content_type, headers={"Cache-Control": "private, no-cache"})


def _file(body: bytes | str, media_type: str, filename: str, disposition: str = "inline") -> Response[Any]:
    return Response(body, media_type=media_type, headers={"Content-Disposition": f"{disposition}; filename*=UTF-8''{quote(filename)}"})


@get("/enterprises/{enterprise_id:str}/four-colour-map.svg", name="console_risk_map_svg")
async def map_svg(ctx: Context, principal: Principal, enterprise_id: str) -> Response[Any]:
    """四色分布图 as SVG (the risk_prints plugin's drawing)."""
    title, svg = await four_colour_map(ctx, principal, enterprise_id, "svg")
    return _file(svg, "image/svg+xml", f"{title}.svg")


@get("/enterprises/{enterprise_id:str}/four-colour-map.png", name="console_risk_map_png", opt={"uncompressed": True})
async def map_png(ctx: Context, principal: Principal, enterprise_id: str) -> Response[Any]:
    """四色分布图 as PNG, downloaded."""
    title, png = await four_colour_map(ctx, principal, enterprise_id, "png")
    return _file(png, "image/png", f"{title}.png", "attachment")


@get("/enterprises/{enterprise_id:str}/risk-notice-cards.pdf", name="console_risk_notice_cards", opt={"uncompressed": True})
async def notice_cards(
    request: Request, ctx: Context, principal: Principal, enterprise_id: str,
    post: Annotated[str | None, Parameter(max_length=64, description="只打印该岗位（默认全部岗位）")] = None, size: Literal["A4", "A5"] = "A4",
) -> Response[Any]:
    """岗位风险告知卡 (A4 or A5, all posts or one), each point with its 安全码, as the API's PDF."""
    filename, pdf = await make_cards(ctx, principal, enterprise_id, post=post or None, size=size, request_base=str(request.base_url))
    return _file(pdf, "application/pdf", filename)


ROUTES = [register_page, safety_code_page, renew_safety_code, map_page, upload_plan_form, plan_image, map_svg, map_png, notice_cards]
