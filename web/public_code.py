"""The public 安全码 page: what a QR code on a sign or a 告知卡 opens, with no login.

It shows only what the register makes public (core.safety_codes.service.public_view). Pages are
cacheable for a minute (``Cache-Control: public``) and kept that long in the server too, so a
crowd scanning one sign costs one count; each client address may open at most
``public_rate_limit`` pages a minute (litestar's rate-limit middleware, 429 beyond).
"""

from __future__ import annotations

from litestar import Request, Response, get
from litestar.datastructures import CacheControlHeader
from litestar.middleware.rate_limit import RateLimitConfig
from litestar.response import Template
from litestar.router import Router

from core.context import Context
from core.risk_register.grading import LEVEL_ORDER
from core.safety_codes.qr import qr_svg
from core.safety_codes.service import public_memo_key, public_path, public_url, public_view
from core.safety_codes.wire import PublicView
from web.console.memo import remembered

CACHE = CacheControlHeader(public=True, max_age=60)
KEEP_SECONDS = 60.0


async def _view(ctx: Context, token: str) -> PublicView | None:
    return await remembered(ctx, public_memo_key(token), KEEP_SECONDS, lambda: public_view(ctx, token, ctx.clock.now()))


@get("/{token:str}", opt={"exclude_from_auth": True}, include_in_schema=False, cache_control=CACHE)
async def safety_code_page(request: Request, token: str) -> Template | Response:
    """The public page of one code (404 page for an unknown or replaced code)."""
    ctx: Context = request.app.state.ctx
    view = await _view(ctx, token[:64])
    if view is None:
        return Template("safety_code_missing.html", status_code=404)
    return Template("safety_code_public.html", context={"view": view, "levels": LEVEL_ORDER, "qr": public_path(token) + "/qr.svg"})


@get("/{token:str}/qr.svg", opt={"exclude_from_auth": True}, include_in_schema=False, cache_control=CACHE)
async def safety_code_qr(request: Request, token: str) -> Response:
    """The QR image of a code (for printing a sign from the browser)."""
    ctx: Context = request.app.state.ctx
    if await _view(ctx, token[:64]) is None:
        return Response("安全码不存在或已更换", status_code=404, media_type="text/plain; charset=utf-8")
    return Response(qr_svg(public_url(request.app.state.settings.public_url, str(request.base_url), token)), media_type="image/svg+xml")


def public_code_router(per_minute: int) -> Router:
    """``/s/…`` with its own rate limit per client address."""
    limit = RateLimitConfig(rate_limit=("minute", per_minute), store="public_code_rate_limit")
    return Router(path="/s", route_handlers=[safety_code_page, safety_code_qr], middleware=[limit.middleware], include_in_schema=False)
