"""Making the printables from the register: one place for the API and the console.

Both call these with the caller's principal, so scope and permissions are the services' own.
"""

from __future__ import annotations

import asyncio
from typing import Literal

from core.access.scope import Principal
from core.context import Context
from core.errors import InvalidInput
from core.local_time import local_date
from core.risk_register.plant_plans import current_plan
from core.risk_register.service import register_points
from core.safety_codes.service import public_url, safety_code
from plugins.risk_prints.four_colour_map import BLANK, Plan, render_png, render_svg
from plugins.risk_prints.notice_card import CardPoint, render_cards
from plugins.risk_prints.posts import points_by_post


async def _plan(ctx: Context, principal: Principal, enterprise_id: str) -> Plan:
    found = await current_plan(ctx, principal, enterprise_id)
    if found is None:
        return Plan(data=None, content_type="", width=BLANK[0], height=BLANK[1])
    plan, path = found
    return Plan(data=await asyncio.to_thread(path.read_bytes), content_type=plan.content_type, width=plan.width, height=plan.height)


async def four_colour_map(ctx: Context, principal: Principal, enterprise_id: str, kind: Literal["svg", "png"]) -> tuple[str, bytes | str]:
    """The 四色分布图 (its title, then the SVG text or PNG bytes)."""
    enterprise, points = await register_points(ctx, principal, enterprise_id)
    plan = await _plan(ctx, principal, enterprise_id)
    title = f"{enterprise.name}安全风险四色分布图（{local_date(ctx.clock.now()).isoformat()}）"
    if kind == "svg":
        return title, render_svg(title, points, plan)
    return title, await asyncio.to_thread(render_png, title, points, plan)


async def notice_cards(
    ctx: Context, principal: Principal, enterprise_id: str, *, post: str | None, size: Literal["A4", "A5"], request_base: str,
) -> tuple[str, bytes]:
    """The 岗位风险告知卡 PDF (its file name, then the bytes) of one post or all; 400 for a post the
    register does not name, or a register that names none."""
    enterprise, points = await register_points(ctx, principal, enterprise_id)
    by_post = points_by_post(points)
    if post:
        if post not in by_post:
            raise InvalidInput(f"no risk point names post {post!r}", f"风险清单中没有岗位“{post}”", field="post")
        by_post = {post: by_post[post]}
    if not by_post:
        raise InvalidInput("the register names no post yet", "风险清单尚未填写任何岗位，无法生成告知卡", field="risk_register")
    urls = {}
    for point in {p.id: p for items in by_post.values() for p in items}.values():
        urls[point.id] = public_url(ctx.settings.public_url, request_base, (await safety_code(ctx, principal, "risk_point", point.id)).token)
    cards = {name: [CardPoint(p, urls[p.id]) for p in items] for name, items in by_post.items()}
    pdf = await asyncio.to_thread(render_cards, enterprise.name, cards, size=size, printed=local_date(ctx.clock.now()))
    return f"{enterprise.name}岗位风险告知卡.pdf", pdf
