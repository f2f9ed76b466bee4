"""A stored document as the renderer's :class:`DocumentContent`, and its PDF.

The snapshot holds the filled blocks and the images by sha256; here the signature and photo images
are read from the attachment files, the signatures filled into their boxes, what is still awaited
listed (printed 待签), and a voided document given its reason (stamped 作废). The PDF renderer
(``plugins.documents.pdf``) knows nothing of storage.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from typing import Any

import msgspec

from core.access.permissions import require
from core.access.scope import Principal
from core.context import Context
from core.errors import Conflict
from core.storage.attachment_files import attachment_path
from plugins.documents.content import Block, CaseFileCover, DocumentContent, Photo, SignatureBox
from plugins.documents.records import DocumentSignature, EnforcementDocument
from plugins.documents.signatures import box_title
from plugins.documents.views import load_visible, signatures_of


def _image(data_dir: str, sha256: str) -> bytes | None:
    path = attachment_path(data_dir, sha256)
    try:
        return path.read_bytes()
    except OSError:
        return None  # not (completely) uploaded yet


def document_content(row: EnforcementDocument, signatures: list[DocumentSignature], data_dir: str) -> DocumentContent:
    """Everything the renderer needs; reads the images (call off the event loop)."""
    content: dict[str, Any] = row.content
    signed = {s.role: s for s in signatures}
    boxes: list[SignatureBox] = []
    awaiting: list[str] = []
    for box in content.get("signature_boxes", []):
        signature = signed.get(box["role"])
        image = _image(data_dir, signature.sha256) if signature is not None else None
        if box.get("required") and image is None:
            awaiting.append(box_title(box) + ("（签名图片尚未上传）" if signature is not None else ""))
        boxes.append(SignatureBox(
            label=box["label"], name=signature.name if signature is not None else box.get("name", ""), image=image,
            signed_at=signature.signed_at if signature is not None else None, extra=box.get("extra", ""),
        ))
    photos = []
    for photo in content.get("photos", []):
        image = _image(data_dir, photo["sha256"])
        if image is not None:
            photos.append(Photo(image=image, caption=photo.get("caption", "")))
    voided = row.status == "voided"
    return DocumentContent(
        authority=content["authority"], title=content["title"], number=content["number"],
        blocks=msgspec.convert(content["blocks"], list[Block]), signatures=boxes, photos=photos, closing=content.get("closing", ""),
        issued_at=datetime.fromisoformat(content["issued_at"]), voided_reason=(row.voided_reason or "作废") if voided else None,
        awaiting=[] if voided else awaiting, copies_note=content.get("copies_note", ""),
    )


def pdf_renderer() -> tuple[Callable[[DocumentContent], bytes], Callable[[CaseFileCover], bytes]]:
    """``(render_document, render_case_cover)``; 409 ``pdf_unavailable`` when the renderer is not installed."""
    try:
        from plugins.documents.pdf import render_case_cover, render_document  # its own package, imported when first needed
    except ImportError as exc:
        raise Conflict("PDF rendering is not available on this server", "本服务器暂不能生成 PDF 文书", code="pdf_unavailable") from exc
    return render_document, render_case_cover


def render_stored(render: Callable[[DocumentContent], bytes], row: EnforcementDocument, signatures: list[DocumentSignature], data_dir: str) -> bytes:
    """The PDF of a stored document (blocking: reads images, renders)."""
    return render(document_content(row, signatures, data_dir))


def _render(row: EnforcementDocument, signatures: list[DocumentSignature], data_dir: str) -> bytes:
    render_document, _ = pdf_renderer()
    return render_stored(render_document, row, signatures, data_dir)


async def document_pdf(ctx: Context, principal: Principal, document_id: str) -> tuple[EnforcementDocument, bytes]:
    """The document (in scope, else 404) and its PDF, rendered on a worker thread."""
    require(principal.role, "document.read")
    async with ctx.db.read() as session:
        row = await load_visible(session, principal, document_id)
        signatures = (await signatures_of(session, [row.id]))[row.id]
    return row, await asyncio.to_thread(_render, row, signatures, ctx.settings.data_dir)
