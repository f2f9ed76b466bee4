"""检查表: plugins and their checklists, a version read as an inspector sees it, publishing a new
version from a YAML file, the difference between two versions, retiring a version.

Every page calls what the API calls, with the same ``Principal``: the plugin report of
``GET /api/v1/plugins`` (``plugin.read``), ``list_versions`` / ``get_visible_version`` of
``GET /api/v1/checklists`` (any role, within its industries: out of them is the same 404 as
absent), ``parse_checklist`` + ``require_publisher`` + ``publish_version`` of
``POST /api/v1/checklists`` and ``retire_version`` of its ``…/retire``. A definition that does not
load lists every problem the loader found — file, line, path — with the offending lines quoted;
nothing is published then.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath
from typing import Annotated, Any

import msgspec
from litestar import Request, Response, get, post
from litestar.params import Parameter
from litestar.response import Redirect, Template

from checklists.canonical import from_canonical
from checklists.diff import diff_checklists
from checklists.errors import ChecklistError
from checklists.loading import FORMAT_BY_SUFFIX, Format, parse_checklist
from checklists.tables import ChecklistVersion
from checklists.versions import get_visible_version, list_versions, publish_version, require_publisher, retire_version, version_key
from core.access.permissions import allowed, require
from core.access.scope import Principal
from core.access.user_service import get_user
from core.context import Context
from core.errors import AppError, InvalidInput, NotFound, not_found
from core.http.nesting import refuse_deep, too_deep
from core.http.nul import refuse_nul
from core.vocabulary import INDUSTRIES
from web.console import forms
from web.console.views import render as render_page

API_ORIGIN = "_api"  # the plugin filter's value for versions published by users (API or console)
MAX_SHOWN_PROBLEMS = 100
QUOTE_CONTEXT = 2  # lines quoted either side of a problem's line
PASTED = "粘贴的内容"

LABELS: dict[str, dict[str, str]] = {
    "kind": {"pass_fail": "判定（合格 / 不合格）", "number": "数值", "text": "文字", "photo": "照片"},
    "plugin_status": {"ok": "正常", "degraded": "部分可用", "failed": "加载失败", "disabled": "已停用"},
    "plugin_source": {"builtin": "内置", "entry_point": "已安装", "registered": "注册"},
    "field": {
        "title": "标题", "industry": "行业", "general": "通用检查表", "description": "说明", "applies_to.scales": "适用规模",
        "applies_to.high_risk_flags": "适用高危特征", "applies_to.sectors": "适用行业类别",
        "sources": "依据文件", "total_points": "总分", "points": "分值", "text": "检查内容",
        "answer.kind": "答题方式", "answer.min": "下限", "answer.max": "上限", "answer.unit": "单位", "answer.allow_na": "可选“不适用”",
        "required": "必答", "photo_required": "须拍照", "basis": "依据", "major_hazard": "判定为重大事故隐患",
        "rectification_days": "整改期限（天）", "guidance": "检查要点",
    },
}
"""Chinese labels the templates show (schema values and field names stay English in the data)."""


def render(request: Request, principal: Principal, template: str, **context: Any) -> Template:
    """A page of this area (the console's frame, plus the labels)."""
    return render_page(request, principal, template, section="checklists", labels=LABELS, **context)


# --- the list -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChecklistGroup:
    """One checklist id with its visible versions, newest first, and each version's item count."""

    checklist_id: str
    title: str
    industry: str
    origin: str  # the plugin's name, or "" for a user's publication
    versions: list[ChecklistVersion]
    items: dict[str, int]


async def _groups(ctx: Context, principal: Principal, industry: str | None, plugin: str | None) -> list[ChecklistGroup]:
    rows = await list_versions(ctx, principal, industry=industry)
    if plugin is not None:
        rows = [row for row in rows if (row.plugin or API_ORIGIN) == plugin]
    grouped: dict[str, list[ChecklistVersion]] = {}
    for row in rows:
        grouped.setdefault(row.checklist_id, []).append(row)
    groups = []
    for checklist_id, versions in grouped.items():
        versions.sort(key=version_key, reverse=True)
        counts = {}
        for row in versions:  # one read per version: content is left out of the list query
            full = await get_visible_version(ctx, principal, checklist_id, row.version)
            counts[row.version] = len(from_canonical(full.content.encode("utf-8")).items())
        newest = versions[0]
        groups.append(ChecklistGroup(checklist_id, newest.title, newest.industry, newest.plugin or "", versions, counts))
    return groups


@get("/checklists", name="console_checklists")
async def checklists_page(request: Request, ctx: Context, principal: Principal, industry: str = "", plugin: str = "") -> Template:
    """Plugins (as ``GET /api/v1/plugins`` answers) and the checklists in the user's industries."""
    require(principal.role, "plugin.read")
    plugins = request.app.state.plugins.report()
    query = {"industry": industry, "plugin": plugin}
    context: dict[str, Any] = {"plugins": plugins, "query": query, "industries": INDUSTRIES, "api_origin": API_ORIGIN,
                               "may_publish": allowed(principal.role, "checklist.publish")}
    try:
        if industry and industry not in INDUSTRIES:
            raise InvalidInput("unknown industry", "未知的行业", field="industry")
        if plugin and plugin != API_ORIGIN and plugin not in {p.name for p in plugins}:
            raise InvalidInput("unknown plugin", "未知的插件", field="plugin")
    except InvalidInput as exc:
        return render(request, principal, "checklists.html", status_code=400, groups=[], publishers={}, error=exc, **context)
    groups = await _groups(ctx, principal, industry or None, plugin or None)
    ids = {row.published_by for group in groups for row in group.versions if row.published_by}
    publishers = {user_id: await _publisher(ctx, principal, user_id) for user_id in ids}
    return render(request, principal, "checklists.html", groups=groups, publishers=publishers, **context)


# --- one version ----------------------------------------------------------------------------------


async def _siblings(ctx: Context, principal: Principal, checklist_id: str) -> list[ChecklistVersion]:
    """The visible versions of one checklist, newest first."""
    rows = [row for row in await list_versions(ctx, principal) if row.checklist_id == checklist_id]
    return sorted(rows, key=version_key, reverse=True)


def may_retire(principal: Principal, row: ChecklistVersion) -> bool:
    """Whether ``retire_version`` would retire this version for this user (the button's rule)."""
    if not allowed(principal.role, "checklist.publish"):
        return False
    return principal.role != "department_admin" or row.industry in principal.industries


async def _publisher(ctx: Context, principal: Principal, user_id: str | None) -> str:
    """Who published, for the roles that manage checklists (others are not shown staff names)."""
    if not user_id or not allowed(principal.role, "plugin.read"):
        return ""
    try:
        user = await get_user(ctx, user_id)
    except NotFound:
        return ""
    return user.display_name or user.username


_NOTICES = {
    "published": "已发布新版本。平板下次同步时即可使用。",
    "unchanged": "该版本已以完全相同的内容发布过，未做任何更改。",
    "retired": "已停用该版本：不再用于新的检查，也不再下发到平板；已有记录仍按此版本保存和评分。",
}


async def _version_view(request: Request, ctx: Context, principal: Principal, checklist_id: str, version: str, *,
                        status_code: int = 200, **extra: Any) -> Template:
    row = await get_visible_version(ctx, principal, checklist_id, version)
    context: dict[str, Any] = {
        "row": row, "checklist": from_canonical(row.content.encode("utf-8")), "siblings": await _siblings(ctx, principal, checklist_id),
        "may_retire": may_retire(principal, row), "publisher": await _publisher(ctx, principal, row.published_by),
        "retirer": await _publisher(ctx, principal, row.retired_by), "may_list": allowed(principal.role, "plugin.read"),
        "flash": _NOTICES.get(request.query_params.get("done", "")), "retire_error": None,
    }
    context.update(extra)
    return render(request, principal, "checklist_version.html", status_code=status_code, **context)


@get("/checklists/{checklist_id:str}/versions/{version:str}", name="console_checklist_version")
async def version_page(request: Request, ctx: Context, principal: Principal, checklist_id: str, version: str) -> Template:
    """One version as the tablet shows it: sections, items in order, answers, 依据, hazard levels, hash."""
    return await _version_view(request, ctx, principal, checklist_id, version)


@post("/checklists/{checklist_id:str}/versions/{version:str}/retire", name="console_checklist_retire")
async def retire(request: Request, ctx: Context, principal: Principal, checklist_id: str, version: str) -> Response[Any]:
    """Retire after the confirmation box was ticked; what ``retire_version`` refuses is shown beside the form."""
    form = await request.form()
    require(principal.role, "checklist.publish")  # as the service: a role that may not retire learns nothing
    try:
        if forms.text(form, "confirm") != "yes":
            await get_visible_version(ctx, principal, checklist_id, version)  # 404 out of scope before a form error
            raise InvalidInput("tick the box to confirm", "请勾选“确认停用”后再提交", field="confirm")
        await retire_version(ctx, principal, checklist_id, version)
    except AppError as exc:
        if exc.status_code == 404:
            raise
        return await _version_view(request, ctx, principal, checklist_id, version, status_code=exc.status_code, retire_error=exc)
    return Redirect(f"/checklists/{checklist_id}/versions/{version}?done=retired", status_code=303)


# --- publishing -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Quote:
    """Lines of the submitted text around a problem's line (``number``, ``text``, ``hit``)."""

    lines: list[tuple[int, str, bool]]


def quote(text: str, line: int | None) -> Quote | None:
    """The offending line with ``QUOTE_CONTEXT`` lines either side (None when the line is unknown)."""
    lines = text.splitlines()
    if line is None or not 1 <= line <= max(len(lines), 1):
        return None
    first, last = max(1, line - QUOTE_CONTEXT), min(len(lines), line + QUOTE_CONTEXT)
    return Quote([(number, lines[number - 1], number == line) for number in range(first, last + 1)])


def _format_of(filename: str) -> Format | None:
    return FORMAT_BY_SUFFIX.get(PurePath(filename).suffix.lower())


def _form_view(request: Request, principal: Principal, *, status_code: int = 200, **extra: Any) -> Template:
    context: dict[str, Any] = {"problems": [], "more": 0, "source": "", "text": "", "publish_error": None, "format": "yaml", "formats": ", ".join(FORMAT_BY_SUFFIX)}
    context.update(extra)
    return render(request, principal, "checklist_publish.html", status_code=status_code, **context)


@get("/checklists/publish", name="console_checklist_publish_form")
async def publish_form(request: Request, principal: Principal) -> Template:
    """The upload form (a file, or YAML pasted into the box)."""
    require(principal.role, "checklist.publish")
    return _form_view(request, principal)


async def _submitted(form: Any) -> tuple[str, Format, bytes]:
    """(source name, format, content) of the file chosen, else of the text pasted."""
    uploads = forms.files(form, "file")
    if uploads:
        upload = uploads[0]
        name = (upload.filename or "")[-200:]
        fmt = _format_of(name)
        if fmt is None:
            raise InvalidInput(f"unsupported file type {name!r}", f"不支持的文件类型（{name}），请上传 .yaml、.yml、.toml 或 .json 文件", field="file")
        return name, fmt, await upload.read()
    pasted = form.get("text")
    if isinstance(pasted, str) and pasted.strip():
        # The box refilled after a refused file keeps that file's format (TOML is no YAML).
        fmt = form.get("format") if form.get("format") in ("yaml", "toml", "json") else "yaml"
        return PASTED, fmt, pasted.encode("utf-8")
    raise InvalidInput("choose a file or paste the definition", "请选择检查表文件，或在文本框中粘贴 YAML 内容", field="file")


@post("/checklists/publish", name="console_checklist_publish")
async def publish(request: Request, ctx: Context, principal: Principal) -> Response[Any]:
    """Publish through the API's service: 303 to the new version, or the form again with every problem."""
    require(principal.role, "checklist.publish")
    form = await request.form()
    source, text, fmt = "", "", "yaml"
    try:
        source, fmt, content = await _submitted(form)
        text = content.decode("utf-8-sig", errors="replace")
        if fmt == "json":
            refuse_deep(content, msgpack=False)
        try:
            checklist = parse_checklist(content, fmt, source=source)
        except RecursionError as exc:  # the TOML and JSON parsers recurse per level (YAML limits it itself)
            raise too_deep() from exc
        refuse_nul(msgspec.to_builtins(checklist))
        require_publisher(principal, checklist.industry)
        row, created = await publish_version(ctx, checklist, actor=principal.actor, source="api")
    except ChecklistError as exc:
        problems = [(problem, quote(text, problem.line)) for problem in exc.problems[:MAX_SHOWN_PROBLEMS]]
        return _form_view(request, principal, status_code=400, problems=problems, more=max(0, len(exc.problems) - MAX_SHOWN_PROBLEMS),
                          source=source, text=text, format=fmt)
    except AppError as exc:
        return _form_view(request, principal, status_code=exc.status_code, publish_error=exc, source=source, text=text, format=fmt)
    return Redirect(f"/checklists/{row.checklist_id}/versions/{row.version}?done={'published' if created else 'unchanged'}", status_code=303)


# --- the difference between two versions -----------------------------------------------------------


@get("/checklists/{checklist_id:str}/diff", name="console_checklist_diff")
async def diff_page(
    request: Request, ctx: Context, principal: Principal, checklist_id: str,
    older: Annotated[str, Parameter(query="from")] = "", newer: Annotated[str, Parameter(query="to")] = "",
) -> Template:
    """What changed from one version to another; by default from the previous version to the newest."""
    siblings = await _siblings(ctx, principal, checklist_id)
    if not siblings:
        raise not_found(f"checklist {checklist_id}", f"检查表 {checklist_id} ")
    versions = [row.version for row in siblings]  # newest first
    newer = newer or versions[0]
    if not older:  # the version before ``newer``
        at = versions.index(newer) if newer in versions else -1
        older = versions[at + 1] if 0 <= at < len(versions) - 1 else newer
    context: dict[str, Any] = {"checklist_id": checklist_id, "siblings": siblings, "older": older, "newer": newer,
                               "title": siblings[0].title, "may_list": allowed(principal.role, "plugin.read")}
    for field, value in (("from", older), ("to", newer)):
        if value not in versions:
            error = InvalidInput(f"{field}: no version {value} of {checklist_id}", f"{'起始' if field == 'from' else '目标'}版本 {value} 不存在", field=field)
            return render(request, principal, "checklist_diff.html", status_code=400, error=error, result=None, **context)
    before = await get_visible_version(ctx, principal, checklist_id, older)
    after = await get_visible_version(ctx, principal, checklist_id, newer)
    result = diff_checklists(from_canonical(before.content.encode("utf-8")), from_canonical(after.content.encode("utf-8")))
    return render(request, principal, "checklist_diff.html", result=result, **context)


ROUTES = [checklists_page, publish_form, publish, version_page, retire, diff_page]
