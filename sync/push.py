"""Push: store each record of a batch on its own, answering accepted / duplicate / conflict / rejected.

Per record: decode, hash, then one write transaction that checks the ledger (same id + same hash:
``duplicate``; same id + other hash: rejected ``id_in_use``), applies the record and writes its
ledger row. A failure rolls back only that record; the rejected payload is then kept in
quarantine in a transaction of its own. A stale hazard update becomes a kept conflict. Two pushes
of one record racing each other meet at the ledger's primary key: the loser sees ``duplicate``.
A temporary database failure (locked, full) is not a verdict on the record: it aborts the request
with 503 and the tablet retries; records already stored then answer ``duplicate``.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

import msgspec
from sqlalchemy.exc import IntegrityError, OperationalError

from core.audit import append_audit
from core.context import Context
from core.errors import AppError, Conflict, Forbidden, InvalidInput
from core.permissions import require
from core.scope import Principal
from sync.attachments import AttachmentStore
from sync.codec import decode_raw, field_path, raw_to_builtins
from sync.conflict_table import SyncConflict
from sync.hazard_updates import apply_hazard_update
from sync.identity import record_hash
from sync.ledger import SyncRecord
from sync.quarantine import quarantine
from sync.submission_ingest import accept_submission, attachment_refs
from sync.submissions import Submission
from sync.wire import HazardUpdateRecord, ItemAnswer, PushOut, PushRecord, PushResult, SubmissionRecord

log = logging.getLogger("anjian.sync")
_RACE_RETRIES = 3


class InternalRejection(AppError):
    """A bug met while ingesting: the record is kept in quarantine for an admin, never lost."""

    code = "internal_error"


def require_device(principal: Principal) -> None:
    """Sync is for enrolled tablets: the session must have been opened with a device id."""
    if not principal.device_id:
        raise Forbidden(
            "sync needs a device session: log in with device_id",
            "同步只能在已登记的平板上进行：请在登录时提供设备编号（device_id）",
            code="device_required",
        )


async def push_batch(ctx: Context, principal: Principal, plugins: Any, raws: list[msgspec.Raw], content_type: str | None) -> PushOut:
    """Store every record of a batch; one result per record, in order."""
    require(principal.role, "sync.push")
    require_device(principal)
    store = AttachmentStore(ctx.settings)
    results = []
    for index, raw in enumerate(raws):
        result = await push_raw(ctx, principal, plugins, store, raw, content_type)
        result.index = index
        results.append(result)
    return PushOut(results=results, server_time=ctx.clock.now())


async def push_raw(ctx: Context, principal: Principal, plugins: Any, store: AttachmentStore, raw: msgspec.Raw, content_type: str | None) -> PushResult:
    """Decode one record (a malformed one is rejected with its field path) and ingest it."""
    try:
        record = decode_raw(raw, content_type, PushRecord)
    except (msgspec.ValidationError, msgspec.DecodeError) as exc:
        payload = raw_to_builtins(raw, content_type)
        record_id = payload.get("id") if isinstance(payload, dict) and isinstance(payload.get("id"), str) else None
        kind = payload.get("kind") if isinstance(payload, dict) and isinstance(payload.get("kind"), str) else None
        path = field_path(str(exc)) or _unknown_field(str(exc))
        if path and "..." in path:
            path = _answer_path(payload, path)
        error = InvalidInput(str(exc), f"记录格式不合法：{exc}", field=path, code="invalid_record")
        return await _reject(ctx, principal, record_id or "", kind, payload, None, error)
    return await ingest(ctx, principal, plugins, store, record)


def _answer_path(payload: Any, path: str) -> str:
    """msgspec names dict keys ``[...]``; find which answer it was (the only keyed map in a record)."""
    answers = payload.get("answers") if isinstance(payload, dict) else None
    if not path.startswith("answers...") or not isinstance(answers, dict):
        return path
    for code, answer in answers.items():
        try:
            msgspec.convert(answer, ItemAnswer)
        except msgspec.ValidationError as exc:
            inner = field_path(str(exc)) or _unknown_field(str(exc))
            return f"answers.{code}" + (f".{inner}" if inner else "")
    return "answers"


def _unknown_field(message: str) -> str | None:
    if "unknown field `" in message:
        return message.split("unknown field `", 1)[1].split("`", 1)[0]
    if "tag" in message.lower() and "kind" in message:
        return "kind"
    return None


async def ingest(
    ctx: Context, principal: Principal, plugins: Any, store: AttachmentStore, record: PushRecord, *, keep_rejected: bool = True
) -> PushResult:
    """Store one decoded record exactly once. With ``keep_rejected=False`` a rejection raises instead."""
    digest = record_hash(record)
    kind = "submission" if isinstance(record, SubmissionRecord) else "hazard_update"
    payload = msgspec.to_builtins(record)
    for attempt in range(_RACE_RETRIES):
        now = ctx.clock.now()
        try:
            async with ctx.db.write() as session:
                existing = await session.get(SyncRecord, record.id)
                if existing is not None:
                    if existing.content_hash != digest:
                        raise Conflict(
                            f"id {record.id} is already used by a different record",
                            f"编号 {record.id} 已被另一条内容不同的记录使用，不能覆盖",
                            field="id",
                            code="id_in_use",
                        )
                    return await _replay(ctx, store, existing, record)
                if isinstance(record, SubmissionRecord):
                    outcome = await accept_submission(session, ctx, principal, record, digest, now)
                else:
                    outcome = await apply_hazard_update(session, ctx, principal, record, now)
                session.add(SyncRecord(id=record.id, kind=kind, content_hash=digest, status="accepted", user_id=principal.user_id, device_id=principal.device_id, received_at=now, outcome=outcome))
        except IntegrityError:
            # A concurrent push of the same record committed first; look again.
            if attempt + 1 < _RACE_RETRIES:
                continue
            log.exception("record %s kept failing on integrity", record.id)
            return await _reject_or_raise(ctx, principal, record.id, kind, payload, digest, InternalRejection("could not store the record (integrity)", "记录无法保存（数据完整性冲突），已转入隔离区由管理员处理"), keep_rejected)
        except Conflict as exc:
            if exc.code == "stale_version" and isinstance(record, HazardUpdateRecord):
                try:
                    return await _keep_conflict(ctx, principal, record, digest, exc)
                except IntegrityError:
                    continue  # a concurrent push of the same update won; look again
                except Conflict as again:
                    return await _reject_or_raise(ctx, principal, record.id, kind, payload, digest, again, keep_rejected)
            return await _reject_or_raise(ctx, principal, record.id, kind, payload, digest, exc, keep_rejected)
        except AppError as exc:
            return await _reject_or_raise(ctx, principal, record.id, kind, payload, digest, exc, keep_rejected)
        except OperationalError:
            raise  # locked or full database: 503, the tablet retries the batch
        except Exception as exc:  # noqa: BLE001 - a bug must not lose an inspector's work
            log.exception("ingesting record %s failed", record.id)
            error = InternalRejection(f"the server could not process this record ({type(exc).__name__})", "服务器处理该记录时出错，记录已转入隔离区由管理员处理")
            return await _reject_or_raise(ctx, principal, record.id, kind, payload, digest, error, keep_rejected)
        result = PushResult(id=record.id, status="accepted", kind=kind, received_at=now, hazard_ids=list(outcome.get("hazard_ids", [])))
        if isinstance(record, SubmissionRecord):
            result.missing_attachments = store.missing(attachment_refs(record))
            await _notify(ctx, plugins, record.id)
        return result
    raise AssertionError("unreachable")


async def _replay(ctx: Context, store: AttachmentStore, existing: SyncRecord, record: PushRecord) -> PushResult:
    result = PushResult(
        id=existing.id, status="duplicate", kind=existing.kind, first_status=existing.status, received_at=existing.received_at,
        hazard_ids=list(existing.outcome.get("hazard_ids", [])), conflict_id=existing.outcome.get("conflict_id"),
    )
    if isinstance(record, SubmissionRecord):
        result.missing_attachments = store.missing(attachment_refs(record))
    return result


async def _keep_conflict(ctx: Context, principal: Principal, record: HazardUpdateRecord, digest: str, exc: Conflict) -> PushResult:
    """Keep a stale update with the server's state; the tablet gets the current hazard."""
    current = exc.extra.get("current") or {}
    now = ctx.clock.now()
    async with ctx.db.write() as session:
        existing = await session.get(SyncRecord, record.id)
        if existing is not None:
            if existing.content_hash != digest:
                raise Conflict(f"id {record.id} is already used by a different record", f"编号 {record.id} 已被另一条内容不同的记录使用，不能覆盖", field="id", code="id_in_use")
            return await _replay(ctx, AttachmentStore(ctx.settings), existing, record)
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


async def _reject_or_raise(ctx: Context, principal: Principal, record_id: str, kind: str | None, payload: Any, digest: str | None, error: AppError, keep: bool) -> PushResult:
    if not keep:
        raise error
    return await _reject(ctx, principal, record_id, kind, payload, digest, error)


async def _reject(ctx: Context, principal: Principal, record_id: str, kind: str | None, payload: Any, digest: str | None, error: AppError) -> PushResult:
    kept = await quarantine(ctx, principal, record_id=record_id or None, kind=kind, payload=payload, content_hash=digest, error=error)
    return PushResult(
        id=record_id, status="rejected", kind=kind, code=error.code, field=error.field, message=error.message,
        message_zh=error.message_zh, received_at=ctx.clock.now(), quarantine_id=kept.id,
    )


async def _notify(ctx: Context, plugins: Any, submission_id: str) -> None:
    """Tell plugins after commit; a failing plugin is recorded by the registry, never surfaces here."""
    if plugins is None:
        return
    try:
        async with ctx.db.read() as session:
            row = await session.get(Submission, submission_id)
        if row is not None:
            await plugins.submission_accepted(accepted_submission(row))
    except Exception:  # noqa: BLE001 - the submission is stored; plugin trouble must not change the answer
        log.exception("notifying plugins of submission %s failed", submission_id)


class AcceptedSubmission(msgspec.Struct, frozen=True, kw_only=True):
    """What plugins are told about an accepted submission (``anjian_submission_accepted``)."""

    id: str
    enterprise_id: str
    checklist_id: str
    checklist_version: str
    checklist_hash: str
    inspector_id: str
    device_id: str | None
    started_at: datetime
    finished_at: datetime
    received_at: datetime
    answers: dict[str, Any]
    failed_items: list[str]
    hazard_ids: list[str]
    replaces: str | None


def accepted_submission(row: Submission) -> AcceptedSubmission:
    """The immutable plugin view of a stored submission."""
    return AcceptedSubmission(
        id=row.id, enterprise_id=row.enterprise_id, checklist_id=row.checklist_id, checklist_version=row.checklist_version,
        checklist_hash=row.checklist_hash, inspector_id=row.inspector_id, device_id=row.device_id, started_at=row.started_at,
        finished_at=row.finished_at, received_at=row.received_at, answers=dict(row.answers), failed_items=list(row.failed_items),
        hazard_ids=list(row.hazard_ids), replaces=row.replaces_id,
    )
