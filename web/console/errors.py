"""Errors on console pages: a Chinese page with the right status, never the API's JSON body.

A missing or ended session goes to the login page, told why. Everything else is the answer the API
gives (the same status, from the same handlers: ``core.http.errors``, which also log what is
unexpected), shown as a page: 404 alike for what does not exist and what lies outside the user's
scope, 403 for what the role may not do, 400 naming the field. A form that fails is not handled
here: its page shows the error beside the form (``web.console.pages.hazards``).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.response import Redirect, Template

from core.errors import AppError
from core.http.errors import EXCEPTION_HANDLERS as API_HANDLERS
from web.console.session import SESSION_COOKIE, CsrfRefused, LoginRequired, cleared_session_cookie

_TITLES = {
    400: "请求有误", 403: "无权执行此操作", 404: "页面不存在或无权访问", 405: "不支持该请求方法", 409: "操作与当前状态冲突",
    413: "上传内容过大", 429: "请求过于频繁", 503: "服务器繁忙", 500: "服务器内部错误",
}


def error_page(request: Request, status: int, message: str, *, headers: dict[str, str] | None = None) -> Template:
    """The console's error page (no navigation: the user may not even be signed in)."""
    context = {"status": status, "title": _TITLES.get(status, "请求未能完成"), "message": message, "signed_in": bool(request.cookies.get(SESSION_COOKIE))}
    return Template(template_name="error.html", context=context, status_code=status, headers=headers)


def login_target(request: Request, reason: str) -> str:
    """``/login`` with why, and where to come back to (GET pages only: a form is not replayed)."""
    query: dict[str, str] = {"m": reason}
    if request.method == "GET" and request.url.path != "/":
        query["next"] = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return "/login?" + urlencode(query)


def login_required(request: Request, exc: LoginRequired) -> Response[Any]:
    """To the login page (htmx: a full-page redirect, not the login form inside a table)."""
    target = login_target(request, exc.reason)
    cookies = [cleared_session_cookie(request)] if request.cookies.get(SESSION_COOKIE) else []
    if request.headers.get("hx-request"):
        return Response(content=b"", status_code=200, headers={"HX-Redirect": target}, cookies=cookies)
    return Redirect(target, status_code=303, cookies=cookies)


def csrf_refused(request: Request, exc: CsrfRefused) -> Template:
    """403: the form came without its token (another site, or a page older than the session)."""
    return error_page(
        request, 403,
        "请求校验未通过（CSRF）：页面已过期，或请求并非来自本系统的页面。操作未执行，请返回刷新页面后重试。",
    )


def app_error(request: Request, exc: AppError) -> Template:
    """A service's error (404 out of scope, 403 role, 400 input, 409 state …) as a page."""
    return error_page(request, exc.status_code, exc.message_zh or exc.message, headers=exc.headers or None)


def _api_handler(exc: Exception) -> Any:
    for kind in type(exc).__mro__:
        if kind in API_HANDLERS:
            return API_HANDLERS[kind]
    return API_HANDLERS[Exception]


def other_error(request: Request, exc: Exception) -> Template:
    """Decoding errors, framework errors, a busy database, a bug: the API's status and Chinese text."""
    answer = _api_handler(exc)(request, exc)
    body = answer.content if isinstance(answer.content, dict) else {}
    return error_page(request, answer.status_code, str(body.get("message_zh") or body.get("message") or ""), headers=dict(answer.headers) or None)


EXCEPTION_HANDLERS: dict[Any, Any] = {
    LoginRequired: login_required,
    CsrfRefused: csrf_refused,
    AppError: app_error,
    ValidationException: other_error,
    HTTPException: other_error,
    Exception: other_error,
}
