"""HTTP API for checklists: publish, list, read a version, retire, the tablets' offline bundle, and an
enterprise's 隐患排查清单 generated from its risk register."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import Parameter

from checklists.bundle import build_bundle, bundle_etag, etag_matches
from checklists.errors import ChecklistError
from checklists.generated import GenerateOut, current_check_lists, generate_check_lists
from checklists.loading import Format, parse_checklist
from checklists.schema import Checklist
from checklists.versions import get_visible_version, list_versions, publish_version, require_publisher, retire_version
from checklists.wire import Bundle, ChecklistSummary, PublishOut, VersionInfo, VersionOut, publish_out, version_info, version_out
from core.access.scope import Principal
from core.context import Context
from core.errors import AppError, InvalidInput
from core.http.nesting import refuse_deep, too_deep
from core.http.nul import refuse_nul
from core.http.openapi_document import raw_body
from core.vocabulary import Industry

BODY_FORMATS: dict[str, Format] = {
    "application/json": "json",
    "application/yaml": "yaml",
    "application/x-yaml": "yaml",
    "text/yaml": "yaml",
    "text/x-yaml": "yaml",
    "application/toml": "toml",
}
JSON = "application/json"
MSGPACK_TYPES = ("application/x-msgpack", "application/msgpack", "application/vnd.msgpack")


class UnsupportedBody(AppError):
    status_code = 415
    code = "unsupported_media_type"


def checklist_error(exc: ChecklistError) -> InvalidInput:
    """A 400 naming the first problem and listing every problem with its path."""
    first = exc.problems[0]
    count = len(exc.problems)
    return InvalidInput(
        f"{count} problem(s) in the checklist definition; first: {first.path or '(document)'}: {first.message}",
        f"检查表定义有 {count} 个问题，第一个：{first.path or '（整个文件）'}：{first.message_zh}",
        field=first.path or None,
        code="invalid_checklist",
        extra={"problems": [msgspec.to_builtins(problem) for problem in exc.problems]},
    )


class ChecklistController(Controller):
    path = "/api/v1/checklists"
    tags = ["checklists"]

    @post(
        "/",
        operation_id="publishChecklist",
        status_code=201,
        responses={200: ResponseSpec(PublishOut, description="The identical version was already published (nothing changed)")},
        opt=raw_body(
            {"application/json": Checklist, "application/yaml": Checklist, "application/toml": Checklist},
            "The checklist definition: JSON, YAML or TOML of the same structure, named by Content-Type",
        ),
    )
    async def publish(self, ctx: Context, principal: Principal, request: Request[Any, Any, Any]) -> Response[PublishOut]:
        """Publish a declarative checklist version (YAML, JSON or TOML body, by Content-Type).

        Department admins publish for their own industries, admins for any. 201 when created, 200
        when the identical version was already published, 409 when that version exists with other
        content or the version is not greater than the latest, 400 listing every problem.
        """
        media_type = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
        fmt = BODY_FORMATS.get(media_type)
        if fmt is None:
            raise UnsupportedBody(
                f"send the checklist as {', '.join(BODY_FORMATS)} (got {media_type or 'no Content-Type'})",
                f"请以 YAML、JSON 或 TOML 提交检查表（Content-Type 为 {media_type or '空'}）",
            )
        body = await request.body()
        if fmt == "json":
            refuse_deep(body, msgpack=False)
        try:
            checklist = parse_checklist(body, fmt, source="request body")
        except ChecklistError as exc:
            raise checklist_error(exc) from exc
        except RecursionError as exc:  # the TOML and JSON parsers recurse per level (YAML limits it itself)
            raise too_deep() from exc
        refuse_nul(msgspec.to_builtins(checklist))  # PostgreSQL stores no U+0000 (core.http.nul)
        require_publisher(principal, checklist.industry)
        row, created = await publish_version(ctx, checklist, actor=principal.actor, source="api")
        return Response(publish_out(row, created), status_code=201 if created else 200)

    @get("/", operation_id="listChecklists")
    async def list(
        self,
        ctx: Context,
        principal: Principal,
        industry: Industry | None = None,
        include_retired: bool = True,
    ) -> list[ChecklistSummary]:
        """Checklists with their versions (newest first), within the caller's industries."""
        rows = await list_versions(ctx, principal, industry=industry, include_retired=include_retired)
        grouped: dict[str, list[VersionInfo]] = {}
        for row in rows:
            grouped.setdefault(row.checklist_id, []).append(version_info(row))
        summaries = []
        for checklist_id, versions in grouped.items():
            versions.reverse()  # newest first
            active = [v for v in versions if v.active]
            summaries.append(
                ChecklistSummary(
                    checklist_id=checklist_id,
                    title=versions[0].title,
                    industry=versions[0].industry,
                    latest_version=versions[0].version,
                    latest_active_version=active[0].version if active else None,
                    versions=versions,
                )
            )
        return summaries

    @get(
        "/bundle",
        operation_id="getChecklistBundle",
        responses={
            200: ResponseSpec(Bundle, description="The bundle (JSON shown; MessagePack of the same structure when Accept asks for it)"),
            304: ResponseSpec(None, description="Unchanged since the ETag sent in If-None-Match (no body)"),
        },
    )
    async def bundle(
        self,
        ctx: Context,
        principal: Principal,
        request: Request[Any, Any, Any],
        if_none_match: Annotated[str | None, Parameter(header="If-None-Match")] = None,
    ) -> Response[bytes]:
        """Every active version for the caller's industries, for offline use.

        JSON, or MessagePack when ``Accept`` asks for it; gzip when ``Accept-Encoding`` allows.
        Send the last ``ETag`` as ``If-None-Match``: an unchanged bundle is a bodiless 304.
        """
        media_type = request.accept.best_match([JSON, *MSGPACK_TYPES], default=JSON) or JSON
        suffix = "json" if media_type == JSON else "msgpack"
        headers = {"Vary": "Accept, Accept-Encoding", "Cache-Control": "no-cache"}
        etag = _representation_etag(await bundle_etag(ctx, principal), suffix)
        if etag_matches(if_none_match, etag):
            return Response(b"", status_code=304, headers={**headers, "ETag": etag})
        bundle = await build_bundle(ctx, principal)
        etag = _representation_etag(bundle.etag, suffix)
        content = msgspec.json.encode(bundle) if suffix == "json" else msgspec.msgpack.encode(bundle)
        return Response(content, media_type=media_type, headers={**headers, "ETag": etag})

    @get("/{checklist_id:str}/versions/{version:str}", operation_id="getChecklistVersion")
    async def get_version(self, ctx: Context, principal: Principal, checklist_id: str, version: str) -> Response[VersionOut]:
        """One version with its content; retired versions stay readable forever. 404 outside the caller's industries."""
        row = await get_visible_version(ctx, principal, checklist_id, version)
        return Response(version_out(row), headers={"ETag": f'"{row.content_hash}"'})

    @post("/{checklist_id:str}/versions/{version:str}/retire", operation_id="retireChecklistVersion", status_code=200)
    async def retire(self, ctx: Context, principal: Principal, checklist_id: str, version: str) -> VersionInfo:
        """Retire a version: no new inspections, not in bundles; never deleted."""
        return version_info(await retire_version(ctx, principal, checklist_id, version))


class CheckListController(Controller):
    path = "/api/v1/enterprises/{enterprise_id:str}/check-lists"
    tags = ["checklists"]

    @get("/", operation_id="listEnterpriseCheckLists")
    async def current(self, ctx: Context, principal: Principal, enterprise_id: str) -> list[VersionInfo]:
        """The enterprise's active 隐患排查清单 (generated from its risk register); 404 out of scope."""
        return [version_info(row) for row in await current_check_lists(ctx, principal, enterprise_id)]

    @post("/generate", operation_id="generateEnterpriseCheckLists", status_code=200)
    async def generate(self, ctx: Context, principal: Principal, enterprise_id: str) -> GenerateOut:
        """Generate the enterprise's 隐患排查清单 from its risk register: one per 管控层级 and frequency,
        a new version only where the register changed, lists without controls left retired. Run it
        after changing the register. Roles that write the register; 404 out of scope; 400
        ``risk_register`` when the register has no controls yet."""
        return await generate_check_lists(ctx, principal, enterprise_id)


def _representation_etag(etag: str, suffix: str) -> str:
    """JSON and MessagePack bodies differ, so each representation has its own strong ETag."""
    return f'{etag[:-1]}-{suffix}"'


ROUTES = [ChecklistController, CheckListController]
