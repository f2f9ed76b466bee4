"""Keeping rejected records (quarantine) and resolving them: list, re-ingest, dismiss.

A rejected record is written here in its own transaction, so it survives the rollback of the
record itself; the tablet is told ``rejected`` and drops it from its outbox, never retrying
forever. An admin fixes and re-ingests it (as the inspector who made it) or dismisses it.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import col, func, select, update

from core.access.scope import Principal
from core.context import Context
from core.errors import AppError
from core.http.nul import escape_nul, without_nul
from core.storage.audit_log import append_audit, snapshot
from sync.review.quarantine_table import QuarantinedRecord


async def quarantine(
    ctx: Context,
    principal: Principal,
    *,
    record_id: str | None,
    kind: str | None,
    payload: Any,
    content_hash: str | None,
    error: AppError,
) -> QuarantinedRecord:
    """Keep a rejected record; the same record rejected again only bumps ``attempts``.

    U+0000 cannot be stored (PostgreSQL): texts keep it as the escape ``\\u0000``, a payload holding
    one is kept as its JSON text (``core.http.nul.without_nul``: exact, readable)."""
    now = ctx.clock.now()
    record_id, kind = record_id and escape_nul(record_id), kind and escape_nul(kind)
    payload = without_nul(payload)
    field = escape_nul(error.field)[:300] if error.field else None
    reason, reason_zh = escape_nul(error.message)[:2000], escape_nul(error.message_zh or "")[:2000] or None
    async with ctx.db.write() as session:
        existing = None
        if record_id is not None:
            existing = (
                await session.exec(
                    select(QuarantinedRecord).where(
                        col(QuarantinedRecord.record_id) == record_id,
                        col(QuarantinedRecord.user_id) == principal.user_id,
                        col(QuarantinedRecord.status) == "open",
                        col(QuarantinedRecord.content_hash) == content_hash if content_hash else col(QuarantinedRecord.content_hash).is_(None),
                    )
                )
            ).first()
        if existing is not None:
            existing.attempts += 1
            existing.last_received_at = now
            existing.code, existing.field = error.code, field
            existing.reason, existing.reason_zh = reason, reason_zh
            session.add(existing)
            return existing
        row = QuarantinedRecord(
            record_id=record_id[:128] if record_id else None,
            kind=kind[:32] if kind else None,
            content_hash=content_hash,
            user_id=principal.user_id,
            device_id=principal.device_id,
            payload=payload,
            code=error.code,
            field=field,
            reason=reason,
            reason_zh=reason_zh,
            received_at=now,
            last_received_at=now,
        )
        session.add(row)
        await session.flush()
        await append_audit(
            session, actor=principal.actor, action="sync_record_quarantined", entity="sync_quarantine", entity_id=row.id, at=now,
            after={"record_id": row.record_id, "kind": row.kind, "code": row.code, "field": row.field},
        )
        return row


async def supersede_in_session(session, ctx: Context, record_id: str) -> None:  # type: ignore[no-untyped-def]
    """A record with this id was accepted after all (a corrected resend): close its open quarantine rows."""
    await session.exec(
        update(QuarantinedRecord)
        .where(col(QuarantinedRecord.record_id) == record_id, col(QuarantinedRecord.status) == "open")
        .values(status="superseded", resolved_at=ctx.clock.now(), resolution_note="accepted on a later push")
    )  # type: ignore[call-overload]


async def list_quarantine(ctx: Context, *, status: str | None, limit: int, offset: int) -> tuple[list[QuarantinedRecord], int]:
    """Quarantined records, newest first (admins only; checked by the caller)."""
    conditions = [col(QuarantinedRecord.status) == status] if status else []
    async with ctx.db.read() as session:
        total = (await session.exec(select(func.count()).select_from(QuarantinedRecord).where(*conditions))).one()
        rows = (
            await session.exec(
                select(QuarantinedRecord).where(*conditions).order_by(col(QuarantinedRecord.received_at).desc(), col(QuarantinedRecord.id)).offset(offset).limit(limit)
            )
        ).all()
    return list(rows), total


async def mark_resolved(ctx: Context, principal: Principal, row_id: str, *, status: str, note: str, expect_open: bool = True) -> QuarantinedRecord:
    """Close a quarantine row as ``reingested`` or ``dismissed``, audited."""
    from core.errors import Conflict, not_found

    now = ctx.clock.now()
    async with ctx.db.write() as session:
        row = await session.get(QuarantinedRecord, row_id)
        if row is None:
            raise not_found("quarantined record", "隔离记录")
        if expect_open and row.status != "open":
            raise Conflict(f"quarantined record is already {row.status}", f"该隔离记录已处理（{row.status}）", code="already_resolved")
        before = snapshot(row)
        row.status = status
        row.resolved_at = now
        row.resolved_by = principal.user_id
        row.resolution_note = note[:500] or None
        session.add(row)
        await append_audit(
            session, actor=principal.actor, action=f"sync_quarantine_{status}", entity="sync_quarantine", entity_id=row.id, at=now,
            before=before, after=snapshot(row),
        )
        return row
