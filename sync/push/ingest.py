"""Storing one decoded record in a transaction of its own: the path of hazard updates, re-ingests
and the submissions of a group that failed to commit (``sync.push.batch``).

The record is checked against the ledger (same id + same hash: ``duplicate``; same id + other
hash: rejected ``id_in_use``), applied and its ledger row written, all-or-nothing. Whatever goes
wrong with it is its own verdict and never its neighbours': the database refusing one of its
values rejects it (``value_not_storable``), a bug rejects it (``internal_error``), both kept in
quarantine; only a temporary failure (locked, full, lost connection) aborts the request with 503.
"""

from __future__ import annotations

import logging
from typing import Any

import msgspec
from sqlalchemy.exc import DBAPIError, IntegrityError

from core.access.scope import Principal
from core.context import Context
from core.errors import AppError, Conflict
from core.storage.database import is_transient, lost_race
from core.storage.write_set import WriteSet
from sync.attachments import AttachmentStore
from sync.push.accepted import notify_plugins
from sync.push.hazard_updates import apply_hazard_update, evidence_refs
from sync.push.identity import record_hash
from sync.push.ledger import SyncRecord, ledger_row
from sync.push.submission_ingest import accept_submission, attachment_refs
from sync.push.verdicts import InternalRejection, id_in_use, internal_rejection, keep_conflict, reject_or_raise, replay, storage_refusal
from sync.review.quarantine import supersede_in_session
from sync.wire import HazardUpdateRecord, PushRecord, PushResult, SubmissionRecord

log = logging.getLogger("anjian.sync")
RACE_RETRIES = 3  # attempts of a transaction PostgreSQL aborted to break a deadlock


def record_refs(record: PushRecord) -> list[str]:
    """The attachments a stored record references (``missing_attachments`` lists those not received):
    a submission's photos and signatures, a hazard update's evidence."""
    return attachment_refs(record) if isinstance(record, SubmissionRecord) else evidence_refs(record)


def _failure_verdict(record_id: str, exc: Exception, may_retry: bool) -> AppError | None:
    """What an unexpected failure storing one record means: None to store it again (PostgreSQL broke
    a deadlock), raised again when temporary (503: the tablet retries the batch), else that record's
    rejection: the database refusing one of its values, or a bug; never its neighbours' failure."""
    if may_retry and lost_race(exc):
        return None
    if is_transient(exc):
        raise exc
    if isinstance(exc, DBAPIError):
        log.warning("the database refused record %s: %s", record_id, exc.orig)
        return storage_refusal()
    log.error("ingesting record %s failed", record_id, exc_info=exc)
    return internal_rejection(exc)


async def ingest(
    ctx: Context, principal: Principal, plugins: Any, store: AttachmentStore, record: PushRecord, *, keep_rejected: bool = True, notify: bool = True
) -> PushResult:
    """Store one decoded record exactly once, in a transaction of its own. With
    ``keep_rejected=False`` a rejection raises instead; ``notify=False`` leaves telling plugins to the caller."""
    digest = record_hash(record)
    kind = "submission" if isinstance(record, SubmissionRecord) else "hazard_update"
    payload = msgspec.to_builtins(record)
    for attempt in range(RACE_RETRIES):
        now = ctx.clock.now()
        try:
            async with ctx.db.write() as session:
                existing = await session.get(SyncRecord, record.id)
                if existing is not None:
                    if existing.content_hash != digest:
                        raise id_in_use(record.id)
                    result = await replay(existing)
                    if result.first_status == "accepted":
                        result.missing_attachments = store.missing(record_refs(record))
                    return result
                writes = WriteSet()
                row = None
                if isinstance(record, SubmissionRecord):
                    outcome, row = await accept_submission(session, writes, ctx, principal, record, digest, now)
                else:
                    outcome = await apply_hazard_update(session, ctx, principal, record, now)
                writes.insert(SyncRecord, ledger_row(record_id=record.id, kind=kind, content_hash=digest, status="accepted", user_id=principal.user_id, device_id=principal.device_id, received_at=now, outcome=outcome))
                await writes.flush(session)
                await supersede_in_session(session, ctx, record.id)
        except IntegrityError:
            # A concurrent push of the same record committed first; look again.
            if attempt + 1 < RACE_RETRIES:
                continue
            log.exception("record %s kept failing on integrity", record.id)
            return await reject_or_raise(ctx, principal, record.id, kind, payload, digest, InternalRejection("could not store the record (integrity)", "记录无法保存（数据完整性冲突），已转入隔离区由管理员处理"), keep_rejected)
        except Conflict as exc:
            if exc.code == "id_in_use" and attempt + 1 < RACE_RETRIES:
                # Read the ledger again: another instance may have committed this very record
                # (with its hazards) after this attempt read the ledger and before it read the ids.
                continue
            if exc.code == "stale_version" and isinstance(record, HazardUpdateRecord):
                try:
                    return await keep_conflict(ctx, principal, record, digest, exc)
                except IntegrityError:
                    continue  # a concurrent push of the same update won; look again
                except AppError as again:
                    return await reject_or_raise(ctx, principal, record.id, kind, payload, digest, again, keep_rejected)
                except Exception as failure:  # noqa: BLE001 - e.g. the database refusing a value of the update
                    error = _failure_verdict(record.id, failure, attempt + 1 < RACE_RETRIES)
                    if error is None:
                        continue
                    return await reject_or_raise(ctx, principal, record.id, kind, payload, digest, error, keep_rejected)
            return await reject_or_raise(ctx, principal, record.id, kind, payload, digest, exc, keep_rejected)
        except AppError as exc:
            if exc.code == "id_in_use" and attempt + 1 < RACE_RETRIES:
                continue  # several taken ids at once (``RecordProblems``): read the ledger again, as above
            return await reject_or_raise(ctx, principal, record.id, kind, payload, digest, exc, keep_rejected)
        except Exception as exc:  # noqa: BLE001 - a bug must not lose an inspector's work
            error = _failure_verdict(record.id, exc, attempt + 1 < RACE_RETRIES)
            if error is None:
                continue  # a deadlock with a concurrent push of the same record: look again
            return await reject_or_raise(ctx, principal, record.id, kind, payload, digest, error, keep_rejected)
        result = PushResult(
            id=record.id, status="accepted", kind=kind, received_at=now, hazard_ids=list(outcome.get("hazard_ids", [])), inspection_id=outcome.get("inspection_id"),
        )
        result.missing_attachments = store.missing(record_refs(record))
        if isinstance(record, SubmissionRecord):
            if notify and row is not None:
                await notify_plugins(plugins, row)
        return result
    raise AssertionError("unreachable")
