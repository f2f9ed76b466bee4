"""Files the console's pages show: photos and signatures (attachments) and document PDFs.

``/files/{sha256}`` answers exactly what ``GET /api/v1/attachments/{sha256}`` answers — the same
visibility (``sync.attachment_service.readable_file``: the uploader, or whoever may see a record
that references the file; 404 for anyone else, as for a file never uploaded) and the same response
(media type read from the bytes, ETag, ranges) — to the signed-in console user.
``/documents/{id}/pdf`` is the documents plugin's PDF, with its scope and role checks.
"""

from __future__ import annotations

from urllib.parse import quote

from litestar import Request, Response, get

from core.access.scope import Principal
from core.context import Context
from plugins.documents.rendering import document_pdf
from sync import attachment_service
from sync.attachment_download import attachment_response
from sync.attachments import AttachmentStore


@get("/files/{sha256:str}", name="console_file", opt={"uncompressed": True})
async def attachment(request: Request, ctx: Context, principal: Principal, sha256: str) -> Response:
    """A photo or signature the user may see (404 otherwise)."""
    store = AttachmentStore(ctx.settings)
    digest = store.check_sha(sha256)
    path = await attachment_service.readable_file(ctx, principal, store, digest)
    return await attachment_response(
        path, digest, range_header=request.headers.get("range"), if_none_match=request.headers.get("if-none-match"), if_range=request.headers.get("if-range"),
    )


@get("/documents/{document_id:str}/pdf", name="console_document_pdf", opt={"uncompressed": True})
async def document(ctx: Context, principal: Principal, document_id: str) -> Response[bytes]:
    """An enforcement document as PDF, opened in the browser (file named after its number)."""
    row, data = await document_pdf(ctx, principal, document_id)
    fallback = f"{row.type_code}-{row.year}-{row.seq}.pdf"
    disposition = f"inline; filename=\"{fallback}\"; filename*=UTF-8''{quote(f'{row.number}.pdf', safe='')}"
    return Response(content=data, media_type="application/pdf", headers={"Content-Disposition": disposition})


ROUTES = [attachment, document]
