"""Issuing 执法文书 from an inspection: the inspection's documents with a button per type, the issue
form of one type (also a correction's, prefilled from the document it corrects), and the 电子案卷.

The form shows what the service would put on the document before anything is numbered: it runs
the plugin's own fact gathering (``plugins.documents.facts.gather``, read-only) and lists the facts
still missing. Posting calls ``issue_document`` — the service of ``POST /api/v1/documents`` — so a
``409 missing_facts`` lists every missing fact in Chinese beside the form, and no number is burned.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from typing import Any

from litestar import Request, Response, get, post
from litestar.response import Redirect, Stream, Template

from core.access.permissions import allowed, require
from core.access.scope import Principal
from core.context import Context
from core.errors import AppError, NotFound, not_found
from core.hazards.service import get_hazard_detail
from plugins.documents.api import attachment_disposition
from plugins.documents.case_file import CaseFile, export_case_file
from plugins.documents.facts import gather
from plugins.documents.issuing import find_type, issue_document
from plugins.documents.penalties.views import list_penalties
from plugins.documents.requirements import Missing, absent_object, missing_facts
from plugins.documents.type_schema import DocumentType
from plugins.documents.views import get_document, list_for_inspection
from plugins.documents.wire import MEASURE_LABELS, DocumentIn
from sync.readback.reading import read_inspection
from sync.readback.wire import InspectionReadOut
from web.console import forms
from web.console.pages.documents_shared import SOURCE_NOTES, STATUS_LABELS, decode, document_types
from web.console.views import render

_LIST_FIELDS = ("hazard_ids", "measures")
_TEXT_FIELDS = ("facilities", "period_start", "period_end", "basis", "penalty_id", "corrects")


async def inspection_of(ctx: Context, principal: Principal, inspection_id: str) -> InspectionReadOut:
    """The inspection read back as ``GET /api/v1/inspections/{id}`` reads it; 404 out of scope."""
    found = await read_inspection(ctx, principal, inspection_id[:64])
    if found is None:
        raise not_found("inspection", "检查记录")
    return found


async def panel(request: Request, ctx: Context, principal: Principal, inspection: InspectionReadOut) -> dict[str, Any]:
    """The inspection page's 执法文书 section: its documents, the types an officer may issue, its
    行政处罚 cases, and what this user may do with them."""
    documents = await list_for_inspection(ctx, principal, inspection.id)
    cases = []
    if allowed(principal.role, "penalty.read"):
        found = await list_penalties(ctx, principal, enterprise_id=inspection.enterprise_id, page_size=200)
        cases = [case for case in found.items if case.inspection_id == inspection.id]
    return {
        "inspection": inspection, "documents": documents, "types": document_types(request).described(), "statuses": STATUS_LABELS,
        "may_issue": allowed(principal.role, "document.issue"), "may_export": allowed(principal.role, "case_file.export"),
        "cases": cases, "may_file": allowed(principal.role, "penalty.manage"),
    }


@get("/inspections/{inspection_id:str}/documents", name="console_inspection_documents")
async def inspection_documents(request: Request, ctx: Context, principal: Principal, inspection_id: str) -> Template:
    """An inspection's documents and penalty cases, with the issue buttons (also inlined on the inspection page)."""
    inspection = await inspection_of(ctx, principal, inspection_id)
    return render(request, principal, "documents_inspection.html", section="documents", **await panel(request, ctx, principal, inspection))


async def _hazards(ctx: Context, principal: Principal, inspection: InspectionReadOut) -> list[Any]:
    hazards = []
    for hazard_id in inspection.hazard_ids:
        try:
            hazards.append((await get_hazard_detail(ctx, principal, hazard_id)).hazard)
        except NotFound:
            continue
    return hazards


async def _preview(ctx: Context, principal: Principal, definition: DocumentType, data: DocumentIn, corrects: str | None) -> tuple[Any, list[Missing]]:
    """What the service would gather now, and which required facts it lacks (None when the request
    itself is refused: the post will say why)."""
    try:
        gathered = await gather(ctx, principal, definition, data, ctx.clock.now(), corrects)
    except AppError:
        return None, []
    missing = missing_facts(definition, gathered.values)
    if gathered.authority is None and not any(m.field == "authority" for m in missing):
        missing.insert(0, absent_object("authority"))
    return gathered, missing


_ROW = re.compile(r"^(\w+)\[(\d+)\]")
_HINTS = {
    "authority": "请管理员为该企业所在地区设置执法机关（文书执法机关）。",
    "inspectors": "执法人员的执法证号由管理员在用户信息中登记；协同检查人员由平板提交时填写。",
    "hazards": "隐患的整改期限在隐患页面“下达限期整改”时填写；依据来自检查表。",
    "enterprise": "请在一企一档中补全企业信息。",
    "penalty": "行政处罚决定书须由已作出决定的行政处罚案件生成。",
}


def explain(missing: list[Missing], values: dict[str, Any] | None) -> list[dict[str, str]]:
    """Each missing fact in Chinese, naming the row it is about (which officer, which hazard) and
    where it is filled in."""
    out = []
    for item in missing:
        about = ""
        match = _ROW.match(item.field)
        if match and values is not None:
            rows = values.get(match.group(1)) or []
            index = int(match.group(2))
            if index < len(rows):
                row = rows[index]
                about = f"执法人员 {row.get('name', '')}" if match.group(1) == "inspectors" else f"第{index + 1}项：{row.get('description') or row.get('text') or ''}"
        head = (match.group(1) if match else item.field).split(".")[0]
        out.append({"field": item.field, "reason": item.reason_zh, "about": about, "hint": _HINTS.get(head, "")})
    return out


async def _form_view(
    request: Request, ctx: Context, principal: Principal, inspection: InspectionReadOut, definition: DocumentType, values: dict[str, Any],
    *, status_code: int = 200, error: AppError | None = None,
) -> Template:
    corrected = await get_document(ctx, principal, values["corrects"]) if values.get("corrects") else None
    data = DocumentIn(type=definition.code, inspection_id=inspection.id, penalty_id=values.get("penalty_id") or None)
    preview, missing = await _preview(ctx, principal, definition, data, corrected.number if corrected else None)
    if error is None and "hazard_ids" not in values:
        values["hazard_ids"] = list(corrected.hazard_ids) if corrected else [h.id for h in preview.hazards] if preview else []
    refused = [Missing(**m) for m in error.extra.get("missing", [])] if error is not None and error.code == "missing_facts" else []
    decided = []
    if definition.source == "penalty" and allowed(principal.role, "penalty.read"):
        decided = [c for c in (await list_penalties(ctx, principal, enterprise_id=inspection.enterprise_id, status="decided", page_size=200)).items
                   if c.inspection_id in (None, inspection.id)]
    context = {
        "inspection": inspection, "definition": definition, "values": values, "corrected": corrected, "preview": preview, "missing": missing,
        "refused": explain(refused, preview.values if preview else None), "pending": explain(missing, preview.values if preview else None), "hazards": await _hazards(ctx, principal, inspection), "measure_labels": MEASURE_LABELS, "decided": decided,
        "source_note": SOURCE_NOTES.get(definition.source, ""), "error": error,
    }
    return render(request, principal, "document_new.html", section="documents", status_code=status_code, **context)


@get("/inspections/{inspection_id:str}/documents/new", name="console_document_new")
async def new_document(request: Request, ctx: Context, principal: Principal, inspection_id: str, type: str = "", corrects: str = "") -> Template:
    """The issue form of one type for this inspection (``corrects``: a correction of that document)."""
    require(principal.role, "document.issue")
    inspection = await inspection_of(ctx, principal, inspection_id)
    definition = find_type(document_types(request), type)
    values: dict[str, Any] = {"corrects": corrects.strip()[:64]} if corrects.strip() else {}
    return await _form_view(request, ctx, principal, inspection, definition, values)


def _values(form: Any) -> dict[str, Any]:
    values: dict[str, Any] = {name: forms.text(form, name) for name in ("type", *_TEXT_FIELDS)}
    for name in _LIST_FIELDS:
        raw = form.getall(name, []) if hasattr(form, "getall") else []
        values[name] = [forms.text({name: v}, name) for v in raw if isinstance(v, str) and v.strip()]
    return values


def _request_of(values: dict[str, Any], inspection_id: str) -> DocumentIn:
    raw: dict[str, Any] = {"type": values["type"], "inspection_id": inspection_id, "hazard_ids": values["hazard_ids"], "measures": values["measures"]}
    for name in _TEXT_FIELDS:
        if values[name]:
            raw[name] = values[name]
    return decode(raw, DocumentIn)


@post("/inspections/{inspection_id:str}/documents", name="console_document_issue")
async def issue(request: Request, ctx: Context, principal: Principal, inspection_id: str) -> Response[Any]:
    """Issue (or correct) through the API's ``issue_document``; a refusal beside the form, nothing numbered."""
    form = await request.form()
    values = _values(form)
    require(principal.role, "document.issue")
    inspection = await inspection_of(ctx, principal, inspection_id)
    definition = find_type(document_types(request), values["type"])
    try:
        document = await issue_document(ctx, document_types(request), principal, _request_of(values, inspection.id))
    except NotFound:
        raise  # a case or document out of scope: the same 404 page as one that does not exist
    except AppError as exc:
        return await _form_view(request, ctx, principal, inspection, definition, values, status_code=exc.status_code, error=exc)
    return Redirect(f"/documents/{document.id}?done=issued", status_code=303)


async def _chunks(case_file: CaseFile) -> AsyncIterator[bytes]:
    try:
        while chunk := await asyncio.to_thread(case_file.file.read, 1 << 20):
            yield chunk
    finally:
        case_file.file.close()


@get("/inspections/{inspection_id:str}/case-file", name="console_case_file", opt={"uncompressed": True})
async def case_file(ctx: Context, principal: Principal, inspection_id: str) -> Stream:
    """The 电子案卷 zip, as ``GET /api/v1/inspections/{id}/case-file`` (audited there)."""
    built = await export_case_file(ctx, principal, inspection_id[:64])
    headers = {
        "Content-Disposition": attachment_disposition(built.filename, f"case-file-{inspection_id[:36]}.zip"),
        "Content-Length": str(built.size), "X-Manifest-SHA256": built.manifest_sha256,
    }
    return Stream(_chunks(built), media_type="application/zip", headers=headers)


ROUTES = [inspection_documents, new_document, issue, case_file]
