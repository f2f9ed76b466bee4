"""The answers a pushed record can get besides ``accepted``: a replay of the stored verdict
(``duplicate``), a kept conflict, a rejection kept in quarantine. Nothing a tablet sent is lost."""

from __future__ import annotations

from typing import Any

import msgspec

from core.access.scope import Principal
from core.context import Context
from core.errors import AppError, Conflict, InvalidInput
from core.storage.audit_log import append_audit
from sync.push.ledger import SyncRecord
from sync.push.problems import problems_of
from sync.review.conflict_table import SyncConflict
from sync.review.quarantine import quarantine
from sync.wire import HazardUpdateRecord, PushResult


class InternalRejection(AppError):
    """A bug met while ingesting: the record is kept in quarantine for an admin, never lost."""

    code = "internal_error"


def id_in_use(record_id: str) -> Conflict:
    return Conflict(
        f"id {record_id} is already used by a different record", f"编号 {record_id} 已被另一条内容不同的记录使用，不能覆盖",
        field="id", code="id_in_use",
    )


def storage_refusal() -> InvalidInput:
    """The database refused a value of the record (one the wire types let through): the record's
    own fault, so its rejection, kept for an admin; which value is in the server's log."""
    return InvalidInput(
        "the database refused a value of this record; it is kept in quarantine for an administrator",
        "数据库拒绝保存该记录中的某个值，记录已转入隔离区由管理员处理", code="value_not_storable",
    )


def internal_rejection(exc: Exception) -> InternalRejection:
    return InternalRejection(f"the server could not process this record ({type(exc).__name__})", "服务器处理该记录时出错，记录已转入隔离区由管理员处理")


async def replay(existing: SyncRecord) -> PushResult:
    return PushResult(
        id=existing.id, status="duplicate", kind=existing.kind, first_status=existing.status, received_at=existing.received_at,
        hazard_ids=list(existing.outcome.get("hazard_ids", [])), inspection_id=existing.outcome.get("inspection_id"), conflict_id=existing.outcome.get("conflict_id"),
    )


async def keep_conflict(ctx: Context, principal: Principal, record: HazardUpdateRecord, digest: str, exc: Conflict) -> PushResult:
    """Keep a stale update with the server's state; the tablet gets the current hazard."""
    current = exc.extra.get("current") or {}
    now = ctx.clock.now()
    async with ctx.db.write() as session:
        existing = await session.get(SyncRecord, record.id)
        if existing is not None:
            if existing.content_hash != digest:
                raise id_in_use(record.id)
            return await replay(existing)
        conflict = SyncConflict(
            record_id=record.id, hazard_id=record.hazard_id, enterprise_id=current.get("enterprise_id"), user_id=principal.user_id,
            device_id=principal.device_id, base_version=record.base_version, server_version=int(current.get("version", 0)),
            update=msgspec.to_builtins(record), server_state=current, created_at=now,
        )
        session.add(conflict)
        await session.flush()
        session.add(
            SyncRecord(
                id=record.id, kind="hazard_update", content_hash=digest, status="conflict", user_id=principal.user_id,
                device_id=principal.device_id, received_at=now, outcome={"conflict_id": conflict.id, "hazard_id": record.hazard_id},
            )
        )
        await append_audit(
            session, actor=principal.actor, action="sync_conflict_kept", entity="sync_conflict", entity_id=conflict.id, at=now,
            after={"record_id": record.id, "hazard_id": record.hazard_id, "base_version": record.base_version, "server_version": conflict.server_version},
        )
    return PushResult(
        id=record.id, status="conflict", kind="hazard_update", code="stale_version", field="base_version", message=exc.message,
        message_zh=exc.message_zh, received_at=now, conflict_id=conflict.id, current=current,
    )


async def reject_or_raise(ctx: Context, principal: Principal, record_id: str, kind: str | None, payload: Any, digest: str | None, error: AppError, keep: bool) -> PushResult:
    if not keep:
        raise error
    return await reject(ctx, principal, record_id, kind, payload, digest, error)


async def reject(ctx: Context, principal: Principal, record_id: str, kind: str | None, payload: Any, digest: str | None, error: AppError) -> PushResult:
    kept = await quarantine(ctx, principal, record_id=record_id or None, kind=kind, payload=payload, content_hash=digest, error=error)
    return PushResult(
        id=record_id, status="rejected", kind=kind, code=error.code, field=error.field, message=error.message,
        message_zh=error.message_zh, received_at=ctx.clock.now(), quarantine_id=kept.id, problems=problems_of(error),
    )
