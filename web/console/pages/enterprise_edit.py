"""企业: creating and editing an enterprise file (一企一档).

The form becomes the API's own bodies — ``EnterpriseIn`` for a new file, ``EnterprisePatch`` with the
page's version for an edit — handed to the services the API calls (``create_enterprise``,
``update_enterprise``): the same USCC check, places, scope, version and audit. Every field's format
is checked first, so all such errors show at once beside their fields (400); then the service's own
refusal (a USCC failing its check, a USCC taken, a region outside the scope) beside its field. A
page older than the file is refused (409) and says so. An edit sends only the fields changed, as a
careful API client would: a department admin can edit a file whose USCC an admin accepted. The
联络员 is chosen among the active inspectors whose scope covers the file (the service checks it
again); with too many to list, the field takes a user id.
"""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request, Response, get, post
from litestar.response import Redirect, Template
from sqlalchemy import func
from sqlmodel import col, select

from core.access.permissions import allowed, require
from core.access.scope import Principal
from core.access.users import User
from core.context import Context
from core.enterprises.bulk_import import REQUIRED, explain_refusal
from core.enterprises.service import create_enterprise, get_enterprise, update_enterprise
from core.enterprises.wire import EnterpriseIn, EnterpriseOut, EnterprisePatch
from core.errors import AppError, InvalidInput, not_found
from core.http.nul import NUL, nul_refused
from core.ids import canonical_uuid
from core.plans.service import principal_of_user
from core.regions.codes import in_subtree, subtree_prefix
from core.regions.records import Grid, Region
from core.vocabulary import HIGH_RISK_FLAGS, INDUSTRIES, PRODUCTION_KIND_LABELS, RISK_LEVELS, SCALES, SECTOR_LABELS
from web.console import forms
from web.console.views import render

TEXT = ("name", "uscc", "region_code", "scale", "legal_representative", "safety_manager", "safety_manager_phone", "address")
OPTIONAL = (  # blank means none
    "grid_code", "risk_level", "longitude", "latitude", "uscc_override_reason",
    "production_kind", "safety_office", "safety_staff_full_time", "safety_staff_part_time", "liaison_user_id",
)
LISTS = ("industries", "high_risk_flags", "sectors")
FLAGS = ("blacklisted", "active")
CHOICES_MAX = 400  # more regions or grids than this in scope: a code field instead of a list
LABELS = {
    "name": "企业名称", "uscc": "统一社会信用代码", "uscc_override_reason": "校验例外原因", "region_code": "行政区划", "grid_code": "网格",
    "industries": "行业", "scale": "规模", "high_risk_flags": "高危特征", "risk_level": "风险等级", "legal_representative": "法定代表人",
    "safety_manager": "安全负责人", "safety_manager_phone": "安全负责人电话", "address": "地址", "longitude": "经度", "latitude": "纬度",
    "blacklisted": "黑名单", "active": "在营", "sectors": "行业类别", "production_kind": "生产/仓储类别", "safety_office": "安全生产管理机构",
    "safety_staff_full_time": "专职安全管理人员", "safety_staff_part_time": "兼职安全管理人员", "liaison_user_id": "联络员",
}
_YES_NO = {True: "1", False: "0"}  # the safety office's answer as the form's select holds it


def _refused(errors: dict[str, str]) -> InvalidInput:
    """The form's summary above it: which fields to correct (each error is beside its field)."""
    names = "、".join(LABELS.get(name, name) for name in errors)
    return InvalidInput(f"fields refused: {', '.join(errors)}", f"未保存：请更正标出的字段（{names}）", field=None)


def read_form(form: Any, principal: Principal) -> dict[str, Any]:
    """The fields of the form as strings, lists and flags (the override reason only for roles that may use it)."""
    values: dict[str, Any] = {name: forms.text(form, name) for name in TEXT}
    values.update({name: forms.optional_text(form, name) for name in OPTIONAL})
    for name in LISTS:
        chosen = form.getall(name, []) if hasattr(form, "getall") else []
        if any(NUL in str(v) for v in chosen):
            raise nul_refused(name)
        values[name] = [str(v) for v in chosen if str(v).strip()]
    values.update({name: forms.text(form, name) == "1" for name in FLAGS})
    if not allowed(principal.role, "enterprise.override_uscc"):
        values.pop("uscc_override_reason")
    return values


def field_errors(values: dict[str, Any]) -> dict[str, str]:
    """Every field's format refusal at once, in Chinese (the API's types decide what passes)."""
    errors: dict[str, str] = {}
    for name, value in values.items():
        if name in REQUIRED and value in ("", [], None):
            errors[name] = "必填，不能为空" if name not in ("industries",) else "至少选择一个行业"
            continue
        try:
            msgspec.convert({name: value}, EnterprisePatch, strict=False)
        except msgspec.ValidationError as exc:
            errors[name] = explain_refusal(name, str(exc))
    return errors


def _changes(current: EnterpriseOut, patch: EnterprisePatch) -> dict[str, Any]:
    changed: dict[str, Any] = {}
    for name, value in msgspec.structs.asdict(patch).items():
        if value is msgspec.UNSET or name == "expected_version":
            continue
        before = getattr(current, name)
        if isinstance(value, list):
            value, before = sorted(set(value)), sorted(before)
        if value != before:
            changed[name] = value
    return changed


async def region_choices(ctx: Context, principal: Principal, current: str = "") -> list[tuple[str, str]] | None:
    """Counties and townships an enterprise of this user may sit in; None when too many to list."""
    conditions = [col(Region.level).in_(("county", "township"))]
    if not principal.is_admin and principal.region_code:
        conditions.append(col(Region.code).startswith(subtree_prefix(principal.region_code)))
    async with ctx.db.read() as session:
        if (await session.exec(select(func.count()).select_from(Region).where(*conditions))).one() > CHOICES_MAX:
            return None
        rows = list((await session.exec(select(Region.code, Region.name).where(*conditions).order_by(col(Region.code)))).all())
    if current and current not in {code for code, _ in rows}:
        rows.insert(0, (current, current))
    return [(code, name) for code, name in rows]


async def grid_choices(ctx: Context, principal: Principal, current: str | None = None) -> list[tuple[str, str]] | None:
    """Grids an enterprise of this user may be placed in (code, label); None when too many to list."""
    conditions = []
    if principal.grid_code:
        conditions.append(col(Grid.code) == principal.grid_code)
    elif not principal.is_admin and principal.region_code:
        conditions.append(col(Grid.region_code).startswith(subtree_prefix(principal.region_code)))
    async with ctx.db.read() as session:
        if (await session.exec(select(func.count()).select_from(Grid).where(*conditions))).one() > CHOICES_MAX:
            return None
        grids = (await session.exec(select(Grid).where(*conditions).order_by(col(Grid.region_code), col(Grid.code)))).all()
    choices = [(g.code, f"{g.name}{'（' + g.township + '）' if g.township else ''} · {g.code}") for g in grids]
    if current and current not in {code for code, _ in choices}:
        choices.insert(0, (current, current))
    return choices


async def liaison_choices(ctx: Context, principal: Principal, enterprise: EnterpriseOut | None, current: str | None = None) -> list[tuple[str, str]] | None:
    """Active inspectors who may be this file's 联络员 (id, label): whose scope covers it, or for a new
    file whose region meets the editor's; None when too many to list."""
    async with ctx.db.read() as session:
        inspectors = (await session.exec(
            select(User).where(col(User.role) == "inspector", col(User.active).is_(True)).order_by(col(User.display_name), col(User.username))
        )).all()
    if enterprise is not None:
        fitting = [u for u in inspectors if principal_of_user(u).sees_enterprise(enterprise)]
    else:
        mine = principal.region_code if not principal.is_admin else None
        fitting = [u for u in inspectors if not mine or not u.region_code or in_subtree(u.region_code, mine) or in_subtree(mine, u.region_code)]
    if len(fitting) > CHOICES_MAX:
        return None
    choices = [(u.id, f"{u.display_name or u.username}（{u.username}）") for u in fitting]
    if current and current not in {user_id for user_id, _ in choices}:
        choices.insert(0, (current, current))
    return choices


def values_of(enterprise: EnterpriseOut) -> dict[str, Any]:
    """The form's values for an existing file."""
    values = {name: getattr(enterprise, name) for name in (*TEXT, *OPTIONAL, *LISTS, *FLAGS)}
    values["safety_office"] = _YES_NO.get(enterprise.safety_office, "")  # type: ignore[call-overload]
    return {name: ("" if value is None else value) for name, value in values.items()}


NEW_VALUES: dict[str, Any] = {
    **{name: "" for name in (*TEXT, *OPTIONAL)}, "industries": [], "high_risk_flags": [], "sectors": [], "blacklisted": False, "active": True,
}


async def _form(
    request: Request, ctx: Context, principal: Principal, *, values: dict[str, Any], enterprise: EnterpriseOut | None, version: int | None = None,
    errors: dict[str, str] | None = None, error: AppError | None = None, status_code: int = 200,
) -> Template:
    values = {name: ("" if value is None else value) for name, value in values.items()}
    if error is not None and error.field and not errors:
        errors = {error.field.split("[")[0].split(".")[0]: (error.message_zh or error.message).replace("uscc_override_reason", "“校验例外原因”")}
    return render(
        request, principal, "enterprise_form.html", section="enterprises", status_code=status_code, values=values, enterprise=enterprise,
        version=version if version is not None else (enterprise.version if enterprise else None), errors=errors or {}, error=error,
        regions=await region_choices(ctx, principal, str(values.get("region_code") or "")),
        grids=await grid_choices(ctx, principal, str(values.get("grid_code") or "") or None),
        liaisons=await liaison_choices(ctx, principal, enterprise, str(values.get("liaison_user_id") or "") or None),
        industries=INDUSTRIES, scales=SCALES, risk_levels=RISK_LEVELS, flags=HIGH_RISK_FLAGS,
        sectors=SECTOR_LABELS, production_kinds=PRODUCTION_KIND_LABELS,
        may_override=allowed(principal.role, "enterprise.override_uscc"), labels=LABELS,
    )


@get("/enterprises/new", name="console_enterprise_new")
async def new_enterprise_page(request: Request, ctx: Context, principal: Principal) -> Template:
    """An empty enterprise file to fill in (roles with ``enterprise.write``)."""
    require(principal.role, "enterprise.write")
    values = dict(NEW_VALUES)
    if principal.region_code and len(principal.region_code) == 6 and not principal.region_code.endswith("00"):
        values["region_code"] = principal.region_code  # a county-level department: its county
    return await _form(request, ctx, principal, values=values, enterprise=None)


@post("/enterprises", name="console_enterprise_create")
async def create_enterprise_form(request: Request, ctx: Context, principal: Principal) -> Response[Any]:
    """Create the file through ``create_enterprise``; refusals beside their fields, nothing saved."""
    require(principal.role, "enterprise.write")
    form = await request.form()
    values = {**NEW_VALUES, **{name: form.get(name) or "" for name in TEXT}}
    errors: dict[str, str] | None = None
    try:
        values = read_form(form, principal)
        errors = field_errors(values)
        if errors:
            raise _refused(errors)
        created = await create_enterprise(ctx, principal, msgspec.convert(values, EnterpriseIn, strict=False))
    except AppError as exc:
        return await _form(request, ctx, principal, values=values, enterprise=None, errors=errors, error=exc, status_code=exc.status_code)
    return Redirect(f"/enterprises/{created.id}?saved=created", status_code=303)


async def _editable(ctx: Context, principal: Principal, enterprise_id: str) -> EnterpriseOut:
    require(principal.role, "enterprise.write")  # 403 before anything is looked up, as the API's PATCH
    wanted = canonical_uuid(enterprise_id)
    if wanted is None:
        raise not_found("enterprise", "企业")
    return await get_enterprise(ctx, principal, wanted)


@get("/enterprises/{enterprise_id:str}/edit", name="console_enterprise_edit")
async def edit_enterprise_page(request: Request, ctx: Context, principal: Principal, enterprise_id: str) -> Template:
    """The file's fields to change, with its version (a later save from an older page is refused)."""
    enterprise = await _editable(ctx, principal, enterprise_id)
    return await _form(request, ctx, principal, values=values_of(enterprise), enterprise=enterprise)


@post("/enterprises/{enterprise_id:str}/edit", name="console_enterprise_update")
async def update_enterprise_form(request: Request, ctx: Context, principal: Principal, enterprise_id: str) -> Response[Any]:
    """Save the changed fields through ``update_enterprise`` with the page's version (stale: 409)."""
    enterprise = await _editable(ctx, principal, enterprise_id)
    form = await request.form()
    values = {**values_of(enterprise), **{name: form.get(name) or "" for name in TEXT}}
    version: int | None = None
    errors: dict[str, str] | None = None
    try:
        version = forms.integer(form, "version")
        if version is None:
            raise InvalidInput("version is required", "页面缺少版本号，请重新打开编辑页", field="version")
        values = read_form(form, principal)
        errors = field_errors(values)
        if errors:
            raise _refused(errors)
        changes = _changes(enterprise, msgspec.convert(values, EnterprisePatch, strict=False))
        if not changes and version == enterprise.version:
            return Redirect(f"/enterprises/{enterprise.id}?saved=unchanged", status_code=303)
        await update_enterprise(ctx, principal, enterprise.id, EnterprisePatch(**changes, expected_version=version))
    except AppError as exc:
        return await _form(request, ctx, principal, values=values, enterprise=enterprise, version=version, errors=errors, error=exc, status_code=exc.status_code)
    return Redirect(f"/enterprises/{enterprise.id}?saved=updated", status_code=303)


ROUTES = [new_enterprise_page, create_enterprise_form, edit_enterprise_page, update_enterprise_form]
