"""系统 · 用户: the users with their role and scope; create one, change one (role, scope, 执法证号,
active, a new password).

Creating is core's ``create_user`` with the ``UserIn`` body ``POST /api/v1/users`` decodes; changing
is ``update_user`` with a ``UserPatch`` holding only what the form changed, as ``PATCH`` would
(deactivating or a new password ends the user's sessions there). Both need ``user.manage``. A field
the service or the body refuses is shown beside the form (400/409) and nothing is saved.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get, post
from litestar.response import Redirect, Template
from sqlmodel import col, select

from core.access.permissions import require
from core.access.scope import Principal
from core.access.user_service import create_user, get_user, list_devices, list_users, update_user
from core.access.wire import UserIn, UserOut, UserPatch
from core.context import Context
from core.enterprises.records import Enterprise
from core.errors import AppError, InvalidInput, not_found
from core.ids import canonical_uuid
from core.vocabulary import INDUSTRIES, ROLE_LABELS
from web.console import forms
from web.console.pages.system_common import decode_form, system_page
from web.console.places import region_names

PAGE_SIZE = 50
_FIELDS = ("username", "display_name", "role", "region_code", "grid_code", "enterprise", "enforcement_card_no")
_DONE = {"created": "已创建用户", "updated": "已保存修改", "password": "已重置密码，该用户已登录的会话均已失效", "unchanged": "没有修改"}


def _matches(user: UserOut, q: str, role: str, active: str) -> bool:
    if role and user.role != role:
        return False
    if active in ("1", "0") and user.active != (active == "1"):
        return False
    if q:
        hay = " ".join(filter(None, (user.username, user.display_name, user.enforcement_card_no or ""))).lower()
        return q.lower() in hay
    return True


@get("/system/users", name="console_system_users")
async def users_page(request: Request, ctx: Context, principal: Principal, q: str = "", role: str = "", active: str = "", page: int = 1) -> Template:
    """Every user (``user.manage``), searched by name or 执法证号, filtered by role and activity."""
    users = await list_users(ctx, principal)
    query = {"q": q.strip()[:64], "role": role if role in ROLE_LABELS else "", "active": active if active in ("1", "0") else ""}
    found = [u for u in users if _matches(u, query["q"], query["role"], query["active"])]
    pages = max(1, (len(found) + PAGE_SIZE - 1) // PAGE_SIZE)
    current = min(max(1, page), pages)
    items = found[(current - 1) * PAGE_SIZE: current * PAGE_SIZE]
    names = await region_names(ctx, (u.region_code for u in items))
    rows = {"total": len(found), "page": current, "pages": pages}
    return system_page(request, principal, "system_users.html", sub="users", users=items, rows=rows, query=query, names=names, roles=ROLE_LABELS)


async def _enterprise_id(ctx: Context, value: str) -> str | None:
    """The enterprise a form names by id or by 统一社会信用代码 (None when blank)."""
    if not value:
        return None
    wanted = canonical_uuid(value)
    if wanted is not None:
        return wanted
    async with ctx.db.read() as session:
        found = (await session.exec(select(Enterprise.id).where(col(Enterprise.uscc) == value.upper()))).first()
    if found is None:
        raise InvalidInput("no enterprise with this id or USCC", "未找到该企业：请填写企业编号或统一社会信用代码", field="enterprise_id")
    return found


def _values(form: Any) -> dict[str, Any]:
    values: dict[str, Any] = {name: forms.text(form, name) for name in _FIELDS}
    values["industries"] = [v for v in (form.getall("industries", []) if hasattr(form, "getall") else []) if isinstance(v, str)]
    values["active"] = forms.text(form, "active") == "1"
    return values


async def _scope_fields(ctx: Context, values: dict[str, Any]) -> dict[str, Any]:
    """The role and scope as the API's bodies hold them (blank → none)."""
    return {
        "role": values["role"], "display_name": values["display_name"], "region_code": values["region_code"] or None,
        "grid_code": values["grid_code"] or None, "industries": values["industries"], "enterprise_id": await _enterprise_id(ctx, values["enterprise"]),
        "enforcement_card_no": values["enforcement_card_no"] or None,
    }


def _form_page(request: Request, principal: Principal, *, user: UserOut | None, values: dict[str, Any], error: AppError | None = None,
               status_code: int = 200, **extra: Any) -> Template:
    context: dict[str, Any] = {"user": user, "values": values, "error": error, "roles": ROLE_LABELS, "industries": INDUSTRIES,
                               "devices": [], "region_name": "", "enterprise_name": "", "open_form": "profile"}
    context.update(extra)
    return system_page(request, principal, "system_user.html", sub="users", status_code=status_code, **context)


_BLANK = {"username": "", "display_name": "", "role": "inspector", "region_code": "", "grid_code": "", "enterprise": "", "enforcement_card_no": "",
          "industries": [], "active": True}


@get("/system/users/new", name="console_system_user_new")
async def new_user_page(request: Request, principal: Principal) -> Template:
    """The form creating a user."""
    require(principal.role, "user.manage")
    return _form_page(request, principal, user=None, values=dict(_BLANK))


@post("/system/users", name="console_system_user_create")
async def create_user_form(request: Request, ctx: Context, principal: Principal) -> Response[Any]:
    """Create a user as ``POST /api/v1/users`` does; errors beside the form."""
    require(principal.role, "user.manage")
    form = await request.form()
    values = dict(_BLANK)
    try:
        values = _values(form)
        raw = {"username": values["username"], "password": forms.text(form, "password"), **await _scope_fields(ctx, values)}
        created = await create_user(ctx, principal.actor, decode_form(raw, UserIn))
    except AppError as exc:
        return _form_page(request, principal, user=None, values=values, error=exc, status_code=exc.status_code)
    return Redirect(f"/system/users/{created.id}?done=created", status_code=303)


async def _user(ctx: Context, principal: Principal, user_id: str) -> UserOut:
    require(principal.role, "user.manage")
    wanted = canonical_uuid(user_id)
    if wanted is None:
        raise not_found("user", "用户")
    return await get_user(ctx, wanted)


async def _user_context(ctx: Context, principal: Principal, user: UserOut) -> dict[str, Any]:
    devices = [d for d in await list_devices(ctx, principal) if d.user_id == user.id]
    enterprise_name = ""
    if user.enterprise_id:
        async with ctx.db.read() as session:
            enterprise = await session.get(Enterprise, user.enterprise_id)
        enterprise_name = enterprise.name if enterprise else ""
    names = await region_names(ctx, [user.region_code])
    return {"devices": devices, "enterprise_name": enterprise_name, "region_name": names.get(user.region_code or "", "")}


def _current_values(user: UserOut) -> dict[str, Any]:
    return {"username": user.username, "display_name": user.display_name, "role": user.role, "region_code": user.region_code or "",
            "grid_code": user.grid_code or "", "enterprise": user.enterprise_id or "", "enforcement_card_no": user.enforcement_card_no or "",
            "industries": list(user.industries), "active": user.active}


@get("/system/users/{user_id:str}", name="console_system_user")
async def user_page(request: Request, ctx: Context, principal: Principal, user_id: str, done: str = "") -> Template:
    """One user: role, scope, devices, and the forms changing them."""
    user = await _user(ctx, principal, user_id)
    return _form_page(request, principal, user=user, values=_current_values(user), flash=_DONE.get(done), **await _user_context(ctx, principal, user))


async def _patch(ctx: Context, user: UserOut, form: Any, values: dict[str, Any]) -> dict[str, Any]:
    """What the form changes, as a ``PATCH`` body (only the fields that differ)."""
    if forms.text(form, "form") == "password":
        return {"password": forms.text(form, "password")}
    wanted = {**await _scope_fields(ctx, values), "active": values["active"]}
    current = {key: getattr(user, key) for key in wanted}
    current["industries"] = sorted(current["industries"])
    wanted["industries"] = sorted(set(wanted["industries"]))
    return {key: value for key, value in wanted.items() if value != current[key]}


@post("/system/users/{user_id:str}", name="console_system_user_update")
async def update_user_form(request: Request, ctx: Context, principal: Principal, user_id: str) -> Response[Any]:
    """Change a user as ``PATCH /api/v1/users/{id}`` does (the profile form, or the password form)."""
    user = await _user(ctx, principal, user_id)
    form = await request.form()
    which = "password" if form.get("form") == "password" else "profile"
    values = _current_values(user)
    try:
        if which == "profile":
            values = {**_values(form), "username": user.username}
        changes = await _patch(ctx, user, form, values)
        if not changes:
            return Redirect(f"/system/users/{user.id}?done=unchanged", status_code=303)
        await update_user(ctx, principal, user.id, decode_form(changes, UserPatch))
    except AppError as exc:
        return _form_page(request, principal, user=user, values=values, error=exc, status_code=exc.status_code, open_form=which,
                          **await _user_context(ctx, principal, user))
    return Redirect(f"/system/users/{user.id}?done={which if which == 'password' else 'updated'}", status_code=303)


ROUTES = [users_page, new_user_page, create_user_form, user_page, update_user_form]
