"""Adding a signature after issue: the enterprise's representative (or an inspector) signs on the
spot, the tablet uploads the image, and ``POST /api/v1/documents/{id}/signatures`` names it.

The image must be an uploaded attachment the caller may read (its uploader, or one who may see a
record referencing it), complete on the server; the box must exist and be unsigned; a voided
document takes no signature. The document itself is not changed: signatures are rows of their own.
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from core.access.permissions import require
from core.access.scope import Principal
from core.context import Context
from core.errors import Conflict, InvalidInput
from core.storage.attachment_files import attachment_path
from core.storage.audit_log import append_audit
from plugins.documents.attachment_access import attachment_access
from plugins.documents.records import DocumentSignature
from plugins.documents.signatures import box_title
from plugins.documents.views import load_visible, out_of
from plugins.documents.voiding import ENTITY, already_voided
from plugins.documents.wire import DocumentOut, SignatureIn


async def _check_attachment(ctx: Context, principal: Principal, sha256: str) -> None:
    """400 ``unknown_attachment`` alike for an image that is absent, incomplete or not the caller's
    to read, so a digest learnt elsewhere reveals nothing."""
    check = attachment_access()
    readable = check is not None and attachment_path(ctx.settings.data_dir, sha256).exists() and await check(ctx, principal, sha256)
    if not readable:
        raise InvalidInput(
            f"no uploaded attachment {sha256} that you may read: upload the signature image first",
            f"未找到可读取的已上传附件 {sha256}，请先上传签名图片", field="sha256", code="unknown_attachment",
        )


async def add_signature(ctx: Context, principal: Principal, document_id: str, data: SignatureIn) -> DocumentOut:
    """Sign box ``data.role`` of a document in scope with an uploaded image; audited.

    403 for roles that may not issue documents; 404 out of scope; 400 ``role`` for a box the
    document does not have, ``sha256`` for an image the caller cannot read; 409 when the box is
    signed already or the document is void."""
    require(principal.role, "document.issue")
    sha256 = data.sha256.lower()
    async with ctx.db.read() as session:
        row = await load_visible(session, principal, document_id)
    boxes = {box["role"]: box for box in row.content.get("signature_boxes", [])}
    if data.role not in boxes:
        raise InvalidInput(
            f"document {row.number} has no signature box {data.role!r} (boxes: {', '.join(boxes) or 'none'})",
            f"文书 {row.number} 没有签名栏 {data.role}（可选：{'、'.join(boxes) or '无'}）", field="role", code="unknown_signature_box",
        )
    await _check_attachment(ctx, principal, sha256)
    now = ctx.clock.now()
    async with ctx.db.write() as session:
        row = await load_visible(session, principal, document_id)
        if row.status != "issued":
            raise already_voided(row)
        taken = (await session.exec(select(DocumentSignature).where(col(DocumentSignature.document_id) == row.id, col(DocumentSignature.role) == data.role))).first()
        if taken is not None:
            raise Conflict(
                f"box {data.role} of document {row.number} is signed already (by {taken.name})",
                f"文书 {row.number} 的“{box_title(boxes[data.role])}”已签名（{taken.name}）", field="role", code="already_signed",
            )
        session.add(DocumentSignature(document_id=row.id, role=data.role, name=data.name.strip(), sha256=sha256, source="api", signed_at=now, signed_by=principal.user_id))
        try:
            await session.flush()
        except IntegrityError as exc:  # PostgreSQL: another request signed the box since the check above
            raise Conflict(
                f"box {data.role} of document {row.number} was signed meanwhile", f"文书 {row.number} 的该签名栏刚刚已被签名",
                field="role", code="already_signed",
            ) from exc
        await append_audit(
            session, actor=principal.actor, action="document.sign", entity=ENTITY, entity_id=row.id, at=now,
            after={"number": row.number, "role": data.role, "name": data.name.strip(), "sha256": sha256},
        )
        return (await out_of(session, [row]))[0]
