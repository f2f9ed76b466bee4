"""Reading documents back: one by id, those of an inspection, a page of them; always in scope.

A document is visible to whoever may see its enterprise (``Principal.sees_enterprise``); anyone
else gets the 404 of a document that does not exist.
"""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.access.permissions import require
from core.access.scope import Principal
from core.context import Context
from core.enterprises.records import Enterprise
from core.errors import NotFound, not_found
from core.inspections.records import Inspection
from core.wire import Page
from plugins.documents.records import DocumentSignature, EnforcementDocument
from plugins.documents.signatures import awaiting, signature_out
from plugins.documents.wire import DocumentOut


def document_missing() -> NotFound:
    return not_found("document", "文书")


async def load_visible(session: AsyncSession, principal: Principal, document_id: str) -> EnforcementDocument:
    """The document, if the caller may see its enterprise; 404 otherwise."""
    row = await session.get(EnforcementDocument, document_id.strip().lower())
    enterprise = await session.get(Enterprise, row.enterprise_id) if row is not None else None
    if row is None or enterprise is None or not principal.sees_enterprise(enterprise):
        raise document_missing()
    return row


async def signatures_of(session: AsyncSession, document_ids: list[str]) -> dict[str, list[DocumentSignature]]:
    out: dict[str, list[DocumentSignature]] = {document_id: [] for document_id in document_ids}
    if document_ids:
        rows = (await session.exec(
            select(DocumentSignature).where(col(DocumentSignature.document_id).in_(document_ids)).order_by(col(DocumentSignature.signed_at), col(DocumentSignature.role))
        )).all()
        for row in rows:
            out[row.document_id].append(row)
    return out


def document_out(row: EnforcementDocument, signatures: list[DocumentSignature]) -> DocumentOut:
    """The API view: the stored row, its signatures and the boxes still awaited (none once voided)."""
    waiting = awaiting(row.content, {s.role for s in signatures}) if row.status == "issued" else []
    order = {box["role"]: index for index, box in enumerate(row.content.get("signature_boxes", []))}
    signatures = sorted(signatures, key=lambda s: (order.get(s.role, len(order)), s.signed_at))
    return DocumentOut(
        id=row.id, type=row.type_code, title=row.title, number=row.number, status=row.status, authority_id=row.authority_id,
        year=row.year, seq=row.seq, inspection_id=row.inspection_id, enterprise_id=row.enterprise_id, hazard_ids=list(row.hazard_ids),
        content=row.content, content_hash=row.content_hash, signatures=[signature_out(row.content, s) for s in signatures],
        awaiting=waiting, supersedes=row.supersedes, voided_reason=row.voided_reason, voided_by=row.voided_by, voided_at=row.voided_at,
        issued_by=row.issued_by, issued_at=row.issued_at,
    )


async def out_of(session: AsyncSession, rows: list[EnforcementDocument]) -> list[DocumentOut]:
    signatures = await signatures_of(session, [row.id for row in rows])
    return [document_out(row, signatures[row.id]) for row in rows]


async def get_document(ctx: Context, principal: Principal, document_id: str) -> DocumentOut:
    """One document; 404 when absent or its enterprise is out of scope."""
    require(principal.role, "document.read")
    async with ctx.db.read() as session:
        row = await load_visible(session, principal, document_id)
        return (await out_of(session, [row]))[0]


async def list_for_inspection(ctx: Context, principal: Principal, inspection_id: str) -> list[DocumentOut]:
    """Every document of an inspection (voided ones too), in the order they were issued; 404 when
    the inspection is absent or its enterprise out of scope."""
    require(principal.role, "document.read")
    async with ctx.db.read() as session:
        inspection = await session.get(Inspection, inspection_id.strip().lower())
        enterprise = await session.get(Enterprise, inspection.enterprise_id) if inspection is not None else None
        if inspection is None or enterprise is None or not principal.sees_enterprise(enterprise):
            raise not_found("inspection", "检查记录")
        rows = (await session.exec(
            select(EnforcementDocument).where(col(EnforcementDocument.inspection_id) == inspection.id)
            .order_by(col(EnforcementDocument.issued_at), col(EnforcementDocument.number))
        )).all()
        return await out_of(session, list(rows))


MAX_PAGE_SIZE = 200


async def list_documents(
    ctx: Context, principal: Principal, *, enterprise_id: str | None = None, inspection_id: str | None = None, type_code: str | None = None,
    status: str | None = None, year: int | None = None, page: int = 1, page_size: int = 50,
) -> Page[DocumentOut]:
    """Documents of enterprises in scope, newest first, narrowed by the filters given; ``total``
    counts only those."""
    require(principal.role, "document.read")
    conditions = principal.enterprise_conditions()
    wanted = [
        (EnforcementDocument.enterprise_id, enterprise_id.strip().lower() if enterprise_id else None),
        (EnforcementDocument.inspection_id, inspection_id.strip().lower() if inspection_id else None),
        (EnforcementDocument.type_code, type_code), (EnforcementDocument.status, status), (EnforcementDocument.year, year),
    ]
    conditions += [col(column) == value for column, value in wanted if value is not None]
    joined = col(EnforcementDocument.enterprise_id) == col(Enterprise.id)
    async with ctx.db.read() as session:
        total = (await session.exec(select(func.count()).select_from(EnforcementDocument).join(Enterprise, joined).where(*conditions))).one()
        rows = (await session.exec(
            select(EnforcementDocument).join(Enterprise, joined).where(*conditions)
            .order_by(col(EnforcementDocument.issued_at).desc(), col(EnforcementDocument.seq).desc(), col(EnforcementDocument.id))
            .offset((page - 1) * page_size).limit(page_size)
        )).all()
        return Page(items=await out_of(session, list(rows)), total=total, page=page, page_size=page_size)
