"""HTTP API of 执法文书: issue, read, print, void and sign documents; an inspection's documents and
its 电子案卷; the issuing authorities; the document types on offer.

Handlers are thin: every role and scope check is in the service functions they call. The document
types were collected once at start-up (``state.document_types``, ``server.py``).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Annotated, Literal
from urllib.parse import quote

from litestar import Controller, Response, get, post, put
from litestar.datastructures import State
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import Parameter
from litestar.response import Stream

from core.access.permissions import require
from core.access.scope import Principal
from core.context import Context
from core.wire import Page
from plugins.documents.authorities import list_authorities, put_authority
from plugins.documents.case_file import CaseFile, export_case_file
from plugins.documents.issuing import issue_document
from plugins.documents.penalties.api import PenaltyController
from plugins.documents.rendering import document_pdf
from plugins.documents.signing import add_signature
from plugins.documents.views import MAX_PAGE_SIZE, get_document, list_documents, list_for_inspection
from plugins.documents.voiding import void_document
from plugins.documents.wire import AuthorityIn, AuthorityOut, DocumentIn, DocumentOut, DocumentTypeOut, SignatureIn, VoidIn

_CHUNK = 1 << 20
# PDFs and zips are compressed already: gzip again would cost CPU for nothing (server.py's
# compression config skips handlers with this opt).
RegionCode = Annotated[str, Parameter(pattern=r"^\d{6}$", description="六位省、市或县级行政区划代码")]


def attachment_disposition(filename: str, fallback: str) -> str:
    """``Content-Disposition`` naming a file in Chinese (RFC 6266 ``filename*``) with an ASCII fallback."""
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


async def _chunks(case_file: CaseFile) -> AsyncIterator[bytes]:
    try:
        while chunk := await asyncio.to_thread(case_file.file.read, _CHUNK):
            yield chunk
    finally:
        case_file.file.close()


class DocumentController(Controller):
    path = "/api/v1/documents"
    tags = ["documents"]

    @post("/", operation_id="issueDocument", status_code=201)
    async def issue(self, ctx: Context, state: State, principal: Principal, data: DocumentIn) -> DocumentOut:
        """Issue a numbered document of ``type`` for an inspection in scope (``corrects``: replacing one).

        The number is drawn only when every required fact is there: 409 ``missing_facts`` names
        each missing one (``missing[]``: field, reason, reason_zh), and no number is used up.
        404 for an inspection out of scope; 403 for roles that may not issue; 400 for a bad field."""
        return await issue_document(ctx, state.document_types, principal, data)

    @get("/", operation_id="listDocuments")
    async def list(
        self,
        ctx: Context,
        principal: Principal,
        enterprise_id: Annotated[str | None, Parameter(max_length=36, description="企业")] = None,
        inspection_id: Annotated[str | None, Parameter(max_length=36, description="检查")] = None,
        type: Annotated[str | None, Parameter(max_length=64, description="文书种类，如 rectification_order")] = None,
        status: Annotated[Literal["issued", "voided"] | None, Parameter(description="状态：issued 有效 / voided 作废")] = None,
        year: Annotated[int | None, Parameter(ge=2000, le=2999, description="编号年度")] = None,
        page: Annotated[int, Parameter(ge=1)] = 1,
        page_size: Annotated[int, Parameter(ge=1, le=MAX_PAGE_SIZE)] = 50,
    ) -> Page[DocumentOut]:
        """Documents of enterprises in scope, newest first; ``total`` counts only those."""
        return await list_documents(
            ctx, principal, enterprise_id=enterprise_id, inspection_id=inspection_id, type_code=type, status=status, year=year,
            page=page, page_size=page_size,
        )

    @get("/{document_id:str}", operation_id="getDocument")
    async def read(self, ctx: Context, principal: Principal, document_id: str) -> DocumentOut:
        """One document with its content snapshot, signatures and the signatures still awaited; 404
        when absent or its enterprise is out of scope."""
        return await get_document(ctx, principal, document_id)

    @get("/{document_id:str}/pdf", operation_id="getDocumentPdf", media_type="application/pdf", opt={"uncompressed": True})
    async def pdf(self, ctx: Context, principal: Principal, document_id: str) -> Response[bytes]:
        """The document as an A4 PDF (file named after its number); a voided one stamped 作废, an
        unsigned box printed 待签."""
        row, data = await document_pdf(ctx, principal, document_id)
        disposition = attachment_disposition(f"{row.number}.pdf", f"{row.type_code}-{row.year}-{row.seq}.pdf")
        return Response(content=data, media_type="application/pdf", headers={"Content-Disposition": disposition})

    @post("/{document_id:str}/void", operation_id="voidDocument", status_code=200)
    async def void(self, ctx: Context, principal: Principal, document_id: str, data: VoidIn) -> DocumentOut:
        """作废 with a reason: the document is kept, never edited, and printed stamped 作废; a
        correction is a new document (``corrects``). 409 ``document_voided`` when void already."""
        return await void_document(ctx, principal, document_id, data)

    @post("/{document_id:str}/signatures", operation_id="signDocument", status_code=201)
    async def sign(self, ctx: Context, principal: Principal, document_id: str, data: SignatureIn) -> DocumentOut:
        """Fill signature box ``role`` with an uploaded image (``sha256``, uploaded first through
        ``/api/v1/attachments``). 400 for an unknown box or an image the caller cannot read; 409
        when the box is signed already or the document is void."""
        return await add_signature(ctx, principal, document_id, data)


class InspectionDocumentsController(Controller):
    path = "/api/v1/inspections"
    tags = ["documents"]

    @get("/{inspection_id:str}/documents", operation_id="listInspectionDocuments")
    async def documents(self, ctx: Context, principal: Principal, inspection_id: str) -> list[DocumentOut]:
        """Every document of an inspection (voided ones too) in the order issued; 404 when the
        inspection is absent or out of scope. The tablet asks this after a push."""
        return await list_for_inspection(ctx, principal, inspection_id)

    @get("/{inspection_id:str}/case-file", operation_id="getInspectionCaseFile", media_type="application/zip", opt={"uncompressed": True})
    async def case_file(self, ctx: Context, principal: Principal, inspection_id: str) -> Stream:
        """The 电子案卷 as a zip: 卷内目录, the documents' PDFs, photos, signatures, the submission,
        the hazards' histories, the audit entries and ``manifest.json`` (sha256 of every file). Audited."""
        built = await export_case_file(ctx, principal, inspection_id)
        headers = {
            "Content-Disposition": attachment_disposition(built.filename, f"case-file-{inspection_id[:36]}.zip"),
            "Content-Length": str(built.size), "X-Manifest-SHA256": built.manifest_sha256,
        }
        return Stream(_chunks(built), media_type="application/zip", headers=headers)


class AuthorityController(Controller):
    path = "/api/v1/document-authorities"
    tags = ["documents"]

    @get("/", operation_id="listDocumentAuthorities")
    async def list(self, ctx: Context, principal: Principal) -> list[AuthorityOut]:
        """The issuing authorities (文书执法机关) by region: each covers its region's subtree, the
        closest one to an enterprise issues its documents."""
        return await list_authorities(ctx, principal)

    @put("/{region_code:str}", operation_id="putDocumentAuthority", status_code=200,
         responses={201: ResponseSpec(AuthorityOut, description="Created: the region had no authority yet")})
    async def put(self, ctx: Context, principal: Principal, region_code: RegionCode, data: AuthorityIn) -> Response[AuthorityOut]:
        """Set the authority of a province, city or county (201 when new): its name, the short name
        numbers carry, the 复议机关 and 人民法院 named in the appeal wording. Admins only; audited."""
        require(principal.role, "document.authority")
        out, created = await put_authority(ctx, principal.actor, region_code, data)
        return Response(content=out, status_code=201 if created else 200)


class DocumentTypeController(Controller):
    path = "/api/v1/document-types"
    tags = ["documents"]

    @get("/", operation_id="listDocumentTypes")
    async def list(self, state: State, principal: Principal) -> list[DocumentTypeOut]:
        """The document types on offer (built-in and from plugins): what each is made from, what it
        requires before a number is drawn, its signature boxes."""
        require(principal.role, "document.read")
        return state.document_types.described()


ROUTES = [DocumentController, InspectionDocumentsController, AuthorityController, DocumentTypeController, PenaltyController]
