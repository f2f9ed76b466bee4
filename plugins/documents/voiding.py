"""Voiding a document (作废): it is kept with its number, reason, who and when, never edited or
deleted; its PDF is stamped 作废. A correction voids the document it corrects the same way, in the
transaction that issues the correcting one (``plugins.documents.issuing``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from core.access.permissions import require
from core.access.scope import Principal
from core.context import Context
from core.errors import Conflict, InvalidInput
from core.storage.audit_log import append_audit
from plugins.documents.records import EnforcementDocument
from plugins.documents.views import load_visible, out_of
from plugins.documents.wire import DocumentOut, VoidIn

ENTITY = "enforcement_document"


def already_voided(row: EnforcementDocument) -> Conflict:
    return Conflict(
        f"document {row.number} is already void ({row.voided_reason})", f"文书 {row.number} 已作废（{row.voided_reason}）",
        code="document_voided", extra={"number": row.number},
    )


async def mark_voided(session: AsyncSession, row: EnforcementDocument, *, by: str | None, reason: str, at: datetime) -> EnforcementDocument:
    """Void ``row`` (read in any session) if it is still in force and return it as now stored; 409
    when another request voided it first (the UPDATE only matches an issued row, so two voids or
    corrections of one document cannot both succeed)."""
    result = await session.exec(  # type: ignore[call-overload]
        update(EnforcementDocument)
        .where(col(EnforcementDocument.id) == row.id, col(EnforcementDocument.status) == "issued")
        .values(status="voided", voided_reason=reason, voided_by=by, voided_at=at)
        .execution_options(synchronize_session=False)
    )
    stored = await session.get(EnforcementDocument, row.id, populate_existing=True)
    assert stored is not None  # documents are never deleted
    if result.rowcount != 1:
        raise already_voided(stored)
    return stored


async def void_document(ctx: Context, principal: Principal, document_id: str, data: VoidIn) -> DocumentOut:
    """Void a document in scope with a reason (required, ≤300 characters); audited.

    403 for roles that may not void; 404 out of scope; 400 ``reason`` when blank; 409 when void already."""
    require(principal.role, "document.void")
    reason = data.reason.strip()
    if not reason:
        raise InvalidInput("a reason is required", "必须填写作废原因", field="reason")
    now = ctx.clock.now()
    async with ctx.db.write() as session:
        row = await load_visible(session, principal, document_id)
        if row.status != "issued":
            raise already_voided(row)
        row = await mark_voided(session, row, by=principal.user_id, reason=reason, at=now)
        await append_audit(
            session, actor=principal.actor, action="document.void", entity=ENTITY, entity_id=row.id, at=now,
            before={"status": "issued", "number": row.number}, after={"status": "voided", "number": row.number, "reason": reason},
        )
        return (await out_of(session, [row]))[0]
