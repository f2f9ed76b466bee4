"""Who may see a stored attachment: its uploaders, and whoever may see a record referencing it.

A finished attachment answers ``HEAD``/``GET`` only to a user who sent its whole content
(``sync.attachment_uploaders``) or who may see a record that references it:

- a submission (photos, answer photos, signatures) of an enterprise in the caller's scope: the
  same people who may read it back (``GET /api/v1/inspections/{id}``, ``sync.readback``), the
  enterprise's own users included; and always the caller's own submissions;
- a hazard (evidence, rectification evidence, the evidence of its history) in scope;
- an enforcement document's signature (``plugins.documents``) in scope, for roles reading documents.

Admins see every record, so every attachment. Anyone else gets exactly the answer for a file that
does not exist, so a sha256 learnt elsewhere reveals nothing.

References are found in the records' JSON columns by the quoted digest (``"<sha256>"``): a digest
is 64 hex characters, so the pattern holds no wildcard and matches a JSON string equal to it. Only
rows in the caller's scope are looked at (``Principal.enterprise_conditions``); the uploader check
runs first, so a tablet asking about its own uploads never scans. The documents plugin is handed
:func:`may_see` (``server.py``) to check a signature image before it is put on a document.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import Text, and_, cast, or_, true
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.access.permissions import allowed
from core.access.scope import Principal
from core.context import Context
from core.enterprises.records import Enterprise
from core.hazards.records import Hazard, HazardTransition
from plugins.documents.records import DocumentSignature, EnforcementDocument
from sync.attachment_uploaders import is_uploader
from sync.push.submissions import Submission


def _mentions(column: Any, sha256: str) -> Any:
    return cast(column, Text).like(f'%"{sha256}"%')


async def _exists(session: AsyncSession, query: Any) -> bool:
    return (await session.exec(query.limit(1))).first() is not None


async def _signed_on_document(session: AsyncSession, scope: list[Any], sha256: str) -> bool:
    """Whether ``sha256`` is a signature on a document of an enterprise in scope."""
    query = (
        select(DocumentSignature.id)
        .join(EnforcementDocument, col(EnforcementDocument.id) == col(DocumentSignature.document_id))
        .join(Enterprise, col(Enterprise.id) == col(EnforcementDocument.enterprise_id))
        .where(*scope, col(DocumentSignature.sha256) == sha256)
    )
    return await _exists(session, query)


async def may_see(ctx: Context, principal: Principal, sha256: str) -> bool:
    """Whether the caller may learn that ``sha256`` is stored and read it."""
    if principal.is_admin:
        return True  # admins see every record (and are spared the scan)
    async with ctx.db.read() as session:
        if await is_uploader(session, sha256, principal.user_id):
            return True
        scope = principal.enterprise_conditions()
        mentioned = or_(*(_mentions(c, sha256) for c in (Submission.photos, Submission.answers, Submission.signatures)))
        own = col(Submission.inspector_id) == principal.user_id
        seen = or_(and_(*scope), own) if scope else true()
        submissions = select(Submission.id).join(Enterprise, col(Enterprise.id) == col(Submission.enterprise_id)).where(seen, mentioned)
        if await _exists(session, submissions):
            return True
        if allowed(principal.role, "hazard.read"):
            hazards = (
                select(Hazard.id)
                .join(Enterprise, col(Enterprise.id) == col(Hazard.enterprise_id))
                .where(*scope, or_(_mentions(Hazard.evidence, sha256), _mentions(Hazard.rectification_evidence, sha256)))
            )
            if await _exists(session, hazards):
                return True
            history = (
                select(HazardTransition.id)
                .join(Hazard, col(Hazard.id) == col(HazardTransition.hazard_id))
                .join(Enterprise, col(Enterprise.id) == col(Hazard.enterprise_id))
                .where(*scope, _mentions(HazardTransition.evidence, sha256))
            )
            if await _exists(session, history):
                return True
        return allowed(principal.role, "document.read") and await _signed_on_document(session, scope, sha256)
