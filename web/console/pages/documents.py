"""文书: the documents in scope, one document as issued (its fields, signatures, PDF), voiding it and
signing a box — each through the documents plugin's service the API calls (``list_documents``,
``get_document``, ``void_document``, ``add_signature``), with the same role and scope checks.

Issuing from an inspection (and correcting) is ``documents_issue``; 行政处罚 cases are ``penalties``.
A refused void or signature shows the service's Chinese message beside its form and changes nothing.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get, post
from litestar.response import Redirect, Template

from core.access.permissions import allowed, require
from core.access.scope import Principal
from core.context import Context
from core.enterprises.service import EnterpriseFilter, list_enterprises
from core.errors import AppError, InvalidInput
from plugins.documents.signing import add_signature
from plugins.documents.views import get_document, list_documents
from plugins.documents.voiding import void_document
from plugins.documents.wire import SignatureIn, VoidIn
from web.console import forms
from web.console.evidence import store_photos
from web.console.pages import documents_issue, penalties
from web.console.pages.documents_shared import STATUS_LABELS, Paged, decode, document_types, enterprise_names, user_names, year_of
from web.console.views import render

PAGE_SIZE = 20
_FLASH = {"voided": "文书已作废。", "signed": "签名已添加。", "issued": "文书已出具。"}


async def _enterprise_filter(ctx: Context, principal: Principal, q: str, enterprise_id: str) -> tuple[str | None, list[Any]]:
    """The enterprise to narrow to: the one chosen, or the only one in scope matching ``q``; the
    candidates when several match (the user picks one)."""
    if enterprise_id:
        return enterprise_id, []
    if not q:
        return None, []
    if len(q) > 100:
        raise InvalidInput("q: at most 100 characters", "企业名称最多100个字", field="q")
    found = await list_enterprises(ctx, principal, EnterpriseFilter(q=q), page_size=20)
    if len(found.items) == 1:
        return found.items[0].id, []
    return "", found.items  # "" matches nothing: several (choose) or none


@get("/documents", name="console_documents")
async def documents_page(
    request: Request, ctx: Context, principal: Principal, type: str = "", status: str = "", year: str = "", q: str = "",
    enterprise_id: str = "", page: int = 1,
) -> Template:
    """Documents of enterprises in scope, newest first, 20 a page, with the API's filters."""
    types = document_types(request)
    query = {"type": type, "status": status, "year": year, "q": q, "enterprise_id": enterprise_id}
    context: dict[str, Any] = {"query": query, "types": types.described(), "statuses": STATUS_LABELS, "rows": None, "choices": [], "names": {}, "issuers": {}}
    try:
        if type and types.get(type) is None:
            raise InvalidInput("unknown document type", "未知的文书种类", field="type")
        if status and status not in STATUS_LABELS:
            raise InvalidInput("unknown status", "未知的文书状态", field="status")
        wanted, choices = await _enterprise_filter(ctx, principal, q.strip(), enterprise_id.strip()[:36])
        context["choices"] = choices
        if wanted == "":
            rows = None
        else:
            rows = await list_documents(ctx, principal, enterprise_id=wanted, type_code=type or None, status=status or None, year=year_of(year),
                                        page=max(page, 1), page_size=PAGE_SIZE)
    except InvalidInput as exc:
        return render(request, principal, "documents.html", section="documents", status_code=400, error=exc, **context)
    if rows is not None:
        context["rows"] = Paged.of(rows)
        context["names"] = await enterprise_names(ctx, principal, {d.enterprise_id for d in rows.items})
        context["issuers"] = await user_names(ctx, {d.issued_by for d in rows.items})
    return render(request, principal, "documents.html", section="documents", **context)


async def _document_view(request: Request, ctx: Context, principal: Principal, document_id: str, *, status_code: int = 200, **extra: Any) -> Template:
    document = await get_document(ctx, principal, document_id[:64])
    names = await enterprise_names(ctx, principal, {document.enterprise_id})
    people = await user_names(ctx, {document.issued_by, document.voided_by, *(s.signed_by for s in document.signatures)})
    signed = {s.role for s in document.signatures}
    open_boxes = [box for box in document.content.get("signature_boxes", []) if box["role"] not in signed]
    done = request.query_params.get("done", "")
    context: dict[str, Any] = {
        "document": document, "enterprise_name": names.get(document.enterprise_id, ""), "people": people, "open_boxes": open_boxes, "signed_by_role": {s.role: s for s in document.signatures},
        "statuses": STATUS_LABELS, "may_void": allowed(principal.role, "document.void"), "may_sign": allowed(principal.role, "document.issue"),
        "open_form": None, "values": {}, "flash": _FLASH.get(done),
    }
    context.update(extra)
    return render(request, principal, "document.html", section="documents", status_code=status_code, **context)


@get("/documents/{document_id:str}", name="console_document")
async def document_page(request: Request, ctx: Context, principal: Principal, document_id: str) -> Template:
    """One document in scope as issued: fields, signatures present and awaited, PDF, void and sign forms."""
    return await _document_view(request, ctx, principal, document_id)


@post("/documents/{document_id:str}/void", name="console_document_void")
async def void_page(request: Request, ctx: Context, principal: Principal, document_id: str) -> Response[Any]:
    """作废 with a reason and an explicit confirmation, through the API's ``void_document``."""
    form = await request.form()
    values = {"reason": forms.text(form, "reason")}
    require(principal.role, "document.void")  # the role first, as void_document checks it
    await get_document(ctx, principal, document_id[:64])  # then 404 out of scope
    try:
        if forms.text(form, "confirm") != "yes":
            raise InvalidInput("confirm the voiding", "请勾选“确认作废”后再提交", field="confirm")
        data = decode({"reason": values["reason"] or " "}, VoidIn)
        document = await void_document(ctx, principal, document_id[:64], data)
    except AppError as exc:
        return await _document_view(request, ctx, principal, document_id, status_code=exc.status_code, error=exc, open_form="void", values=values)
    return Redirect(f"/documents/{document.id}?done=voided", status_code=303)


@post("/documents/{document_id:str}/signatures", name="console_document_sign")
async def sign_page(request: Request, ctx: Context, principal: Principal, document_id: str) -> Response[Any]:
    """Sign one box with an uploaded image: stored like a tablet's upload, then the API's ``add_signature``."""
    form = await request.form()
    values = {"role": forms.text(form, "role"), "name": forms.text(form, "name")}
    require(principal.role, "document.issue")  # as add_signature, and before any image is stored
    await get_document(ctx, principal, document_id[:64])
    try:
        decode({**values, "sha256": "0" * 64}, SignatureIn)  # every field checked before the image is stored
        images = forms.files(form, "image")
        if len(images) != 1:
            raise InvalidInput("choose one signature image", "请选择一张签名图片", field="image")
        sha256 = (await store_photos(ctx, principal, images, field="image"))[0]
        document = await add_signature(ctx, principal, document_id[:64], decode({**values, "sha256": sha256}, SignatureIn))
    except AppError as exc:
        return await _document_view(request, ctx, principal, document_id, status_code=exc.status_code, error=exc, open_form="sign", values=values)
    return Redirect(f"/documents/{document.id}?done=signed", status_code=303)


ROUTES = [documents_page, document_page, void_page, sign_page, *documents_issue.ROUTES, *penalties.ROUTES]
