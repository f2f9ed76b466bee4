"""登录 / 退出: the console's sign-in through core's login, and sign-out that revokes the session.

Every role may sign in. Office roles get the workbench; an enterprise user gets their own
enterprise and its hazards; an inspector gets the same pages as the office within their scope —
the pages show what the API would answer them, and the hazard buttons are the steps core's rules
let them take (docs/console.md, "Who uses the console").
"""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get, post
from litestar.response import Redirect, Template

from core.access.scope import Principal
from core.context import Context
from core.errors import AppError
from web.console import forms
from web.console.session import (
    LOGIN_COOKIE,
    LoginRequired,
    cleared_session_cookie,
    close_session,
    login_cookie,
    login_token,
    new_nonce,
    open_session,
    principal_of,
    session_cookie,
)

MESSAGES = {
    "logged_out": ("info", "您已安全退出。"),
    "expired": ("warn", "登录已过期，请重新登录。"),
    "ended": ("warn", "登录已失效（已退出、账号已停用或密码已更改），请重新登录。"),
    "login": ("info", "请先登录。"),
}


def safe_next(value: str | None) -> str:
    """Where to go after signing in: a console path of this site only (never another host)."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value or value.startswith("/api/"):
        return "/"
    return value


def _form(request: Request, *, status: int = 200, username: str = "", next_path: str = "/", message: tuple[str, str] | None = None) -> Template:
    nonce = request.cookies.get(LOGIN_COOKIE) or new_nonce()
    context: dict[str, Any] = {
        "csrf": login_token(request.app.state.ctx.secret, nonce), "username": username, "next": next_path, "message": message,
    }
    return Template(template_name="login.html", context=context, status_code=status, cookies=[login_cookie(request, nonce)])


@get("/login", name="console_login")
async def login_page(request: Request, ctx: Context, m: str | None = None, next: str | None = None) -> Response[Any]:
    """The sign-in form (a signed-in user goes on to the workbench)."""
    try:
        await principal_of(ctx, request)
        return Redirect(safe_next(next), status_code=303)
    except LoginRequired:
        pass
    return _form(request, next_path=safe_next(next), message=MESSAGES.get(m or ""))


@post("/login", name="console_login_submit")
async def login_submit(request: Request, ctx: Context) -> Response[Any]:
    """Check the password through core (lockout, audit) and open the session cookie."""
    form = await request.form()
    username, next_path = forms.text(form, "username")[:64], safe_next(forms.text(form, "next"))
    password = form.get("password") if isinstance(form.get("password"), str) else ""
    if not username or not password:
        return _form(request, status=400, username=username, next_path=next_path, message=("danger", "请输入用户名和密码。"))
    client = request.client.host if request.client else ""
    try:
        value, max_age = await open_session(ctx, username, str(password), client)
    except AppError as exc:
        return _form(request, status=exc.status_code, username=username, next_path=next_path, message=("danger", exc.message_zh or exc.message))
    response = Redirect(next_path, status_code=303)
    response.set_cookie(session_cookie(request, value, max_age))
    response.delete_cookie(LOGIN_COOKIE, path="/login")
    return response


@post("/logout", name="console_logout")
async def logout(request: Request, ctx: Context) -> Response[Any]:
    """End the session in the database (every copy of the cookie dies) and forget the cookie."""
    try:
        principal: Principal = await principal_of(ctx, request)
        await close_session(ctx, principal)
    except LoginRequired:
        pass
    response = Redirect("/login?m=logged_out", status_code=303)
    response.set_cookie(cleared_session_cookie(request))
    return response


ROUTES = [login_page, login_submit, logout]
