"""Issuing a document: gather the facts, refuse if any required one is missing, then number it and
store it with the tablet's signatures, all in one transaction.

Nothing is numbered unless everything is there: every check (role, scope, request, facts) runs
before the write transaction, and the number is drawn inside it, so a refused or failed issue burns
no number. A correction (``corrects``) is a new number of the same type for the same inspection;
the corrected document is voided in the same transaction, naming the new number.
"""

from __future__ import annotations

import hashlib
from typing import Any

import msgspec
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.access.permissions import require
from core.access.scope import Principal
from core.context import Context
from core.errors import Conflict, InvalidInput, NotFound
from core.local_time import localized
from core.storage.audit_log import append_audit
from plugins.documents.catalogue import DocumentTypes
from plugins.documents.dates import date_text
from plugins.documents.facts import Gathered, gather
from plugins.documents.filling import fill_body, fill_text, signature_boxes
from plugins.documents.numbering import format_number, next_seq
from plugins.documents.records import DocumentSignature, EnforcementDocument
from plugins.documents.requirements import absent_object, missing_facts, refuse_missing
from plugins.documents.signatures import match_tablet_signatures
from plugins.documents.type_schema import DocumentType
from plugins.documents.views import load_visible, out_of
from plugins.documents.voiding import ENTITY, already_voided, mark_voided
from plugins.documents.wire import DocumentIn, DocumentOut


def content_hash(content: dict[str, Any]) -> str:
    """sha256 of the snapshot as compact JSON with sorted keys (the same content, the same hash)."""
    return hashlib.sha256(msgspec.json.encode(content, order="sorted")).hexdigest()


def number_taken(number: str) -> Conflict:
    """409: the number is held by another authority's document (two authorities once shared a short
    name); rolled back with everything else, so this authority's sequence keeps no gap."""
    return Conflict(
        f"document number {number} is already used by another authority's document: give each authority its own short name",
        f"文书编号 {number} 已被其他执法机关的文书使用，请为各执法机关设置不同的简称", field="authority", code="number_taken",
    )


async def refuse_second(session: AsyncSession, definition: DocumentType, inspection_id: str, corrected: EnforcementDocument | None) -> None:
    """409 ``already_issued`` when the inspection has a document of this type in force besides the
    one being corrected: a second 现场检查记录 is a correction, never a parallel record."""
    in_force = (await session.exec(
        select(EnforcementDocument).where(
            col(EnforcementDocument.inspection_id) == inspection_id, col(EnforcementDocument.type_code) == definition.code,
            col(EnforcementDocument.status) == "issued",
        )
    )).all()
    other = next((row for row in in_force if corrected is None or row.id != corrected.id), None)
    if other is not None:
        raise Conflict(
            f"the inspection already has {definition.title} {other.number} in force: issue a correction of it (corrects)",
            f"该检查已有有效的{definition.title}（{other.number}），如需更改请出具更正文书（corrects）",
            field="corrects", code="already_issued", extra={"number": other.number, "document_id": other.id},
        )


def find_type(types: DocumentTypes, code: str) -> DocumentType:
    """The type ``code``; 400 naming ``type`` (with the known codes) otherwise."""
    definition = types.get(code)
    if definition is None:
        known = ", ".join(types.codes)
        raise InvalidInput(f"unknown document type {code!r} (known: {known})", f"未知的文书种类 {code}（可选：{known}）", field="type", code="unknown_document_type")
    return definition


async def _corrected(ctx: Context, principal: Principal, data: DocumentIn, definition: DocumentType) -> EnforcementDocument:
    """The document a correction replaces: in scope, in force, of the same type and inspection."""
    async with ctx.db.read() as session:
        try:
            row = await load_visible(session, principal, data.corrects or "")
        except NotFound as exc:
            exc.field = "corrects"
            raise
    if row.status != "issued":
        raise already_voided(row)
    if row.type_code != definition.code or row.inspection_id != data.inspection_id.strip().lower():
        raise InvalidInput(
            f"a correction must be a {row.type_code} of inspection {row.inspection_id}, like {row.number}",
            f"更正文书须与被更正的 {row.number} 种类相同、属于同一检查", field="corrects", code="correction_mismatch",
        )
    return row


def snapshot(definition: DocumentType, gathered: Gathered, number: str, issued_at: Any) -> dict[str, Any]:
    """What the document says, as JSON: the filled blocks, the signature boxes, photos by sha256."""
    values = gathered.values
    authority = gathered.authority
    assert authority is not None
    return {
        "type": definition.code, "authority": authority.name, "title": definition.title, "number": number,
        "blocks": msgspec.to_builtins(fill_body(definition, values)),
        "signature_boxes": signature_boxes(definition, values),
        "photos": [{"sha256": sha, "caption": caption} for sha, caption in gathered.photos],
        "closing": fill_text(definition.closing, values), "copies_note": fill_text(definition.copies_note, values),
        "issued_at": issued_at.isoformat(), "issued_date": date_text(issued_at),
        "footer": {"address": authority.address, "phone": authority.phone},
    }


async def issue_document(ctx: Context, types: DocumentTypes, principal: Principal, data: DocumentIn) -> DocumentOut:
    """Issue a numbered document of ``data.type`` (see :class:`plugins.documents.wire.DocumentIn`).

    403 for roles that may not issue (or, for a correction, void); 404 for an inspection out of
    scope; 400 naming the field of a bad request; 409 ``missing_facts`` naming every missing fact."""
    require(principal.role, "document.issue")
    if data.corrects is not None:
        require(principal.role, "document.void")
    definition = find_type(types, data.type)
    now = ctx.clock.now()
    corrected = await _corrected(ctx, principal, data, definition) if data.corrects is not None else None
    gathered = await gather(ctx, principal, definition, data, now, corrected.number if corrected else None)
    missing = missing_facts(definition, gathered.values)
    if gathered.authority is None and not any(m.field == "authority" for m in missing):
        missing.insert(0, absent_object("authority"))  # no number without an issuing authority
    if missing:
        raise refuse_missing(definition, missing)
    authority = gathered.authority
    assert authority is not None
    year = localized(now).year
    facts = gathered.inspection
    async with ctx.db.write() as session:
        seq = await next_seq(session, authority.id, definition.code, year)
        if definition.once_per_inspection:  # after the counter's row lock: a concurrent issue has committed or waits
            await refuse_second(session, definition, facts.inspection_id, corrected)
        number = format_number(authority.short_name, definition.number_class, year, seq)
        content = snapshot(definition, gathered, number, now)
        row = EnforcementDocument(
            type_code=definition.code, title=definition.title, authority_id=authority.id, year=year, seq=seq, number=number,
            inspection_id=facts.inspection_id, enterprise_id=gathered.enterprise.id, region_code=gathered.enterprise.region_code,
            industries=list(gathered.enterprise.industries), hazard_ids=[h.id for h in gathered.hazards], content=content,
            content_hash=content_hash(content), status="issued", supersedes=corrected.id if corrected else None,
            issued_by=principal.user_id, issued_at=now,
        )
        session.add(row)
        try:
            await session.flush()
        except IntegrityError as exc:
            raise number_taken(number) from exc
        signed_at = facts.finished_at or facts.inspected_at
        recorder = facts.inspectors[0].user_id if facts.inspectors else principal.user_id
        attached = match_tablet_signatures(content["signature_boxes"], facts.signatures) if definition.tablet_signatures else []
        for box, signature in attached:
            session.add(DocumentSignature(document_id=row.id, role=box["role"], name=signature.name.strip() or box["name"], sha256=signature.sha256,
                                          source="tablet", signed_at=signed_at, signed_by=recorder))
        await session.flush()
        if corrected is not None:
            reason = f"已更正，见 {number}"
            await mark_voided(session, corrected, by=principal.user_id, reason=reason, at=now)
            await append_audit(
                session, actor=principal.actor, action="document.void", entity=ENTITY, entity_id=corrected.id, at=now,
                before={"status": "issued", "number": corrected.number}, after={"status": "voided", "number": corrected.number, "reason": reason, "corrected_by": row.id},
            )
        await append_audit(
            session, actor=principal.actor, action="document.issue", entity=ENTITY, entity_id=row.id, at=now,
            after={
                "type": row.type_code, "number": number, "authority_id": authority.id, "inspection_id": row.inspection_id,
                "enterprise_id": row.enterprise_id, "hazard_ids": row.hazard_ids, "content_hash": row.content_hash,
                "supersedes": row.supersedes, "signatures": [box["role"] for box, _ in attached],
            },
        )
        return (await out_of(session, [row]))[0]
