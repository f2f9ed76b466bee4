"""Push: store every record of a batch exactly once, answering accepted / duplicate / conflict / rejected.

Per record: decode, hash, check the ledger (same id + same hash: ``duplicate``; same id + other
hash: rejected ``id_in_use``), apply the record and write its ledger row, all-or-nothing. A
rejected record leaves nothing behind; its payload is kept in quarantine in a transaction of its
own. A stale hazard update becomes a kept conflict. Two pushes of one record racing each other
meet at the ledger's primary key: the loser sees ``duplicate``.

Submissions go through the group commit (``sync.push.group_commit``): consecutive submissions, from
this request and from others waiting, are validated one by one and the accepted ones written
together in one transaction (``_store_group``). Should that transaction fail on a constraint (a
race with another instance, a reused hazard id), it is rolled back and each of its records is
stored on its own (``sync.push.ingest``), which is also the path of hazard updates and re-ingests.
A temporary database failure (locked, full) is not a verdict on the record: it aborts the request
with 503 and the tablet retries; records already stored then answer ``duplicate``. A transaction
PostgreSQL aborted to break a deadlock with another instance storing the same records is run again
first: it then meets the other's committed rows.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import msgspec
from sqlalchemy.exc import DBAPIError
from sqlmodel.ext.asyncio.session import AsyncSession

from core.access.permissions import require
from core.access.scope import Principal
from core.context import Context
from core.errors import AppError, InvalidInput
from core.ids import canonical_uuid
from core.storage.database import is_transient, lost_race
from core.storage.write_set import WriteSet
from sync.attachments import AttachmentStore
from sync.codec import decode_raw, nul_in_record, raw_to_builtins
from sync.device import require_device
from sync.push.accepted import notify_plugins
from sync.push.group_commit import GroupCommit, group_commit_for, turns_of
from sync.push.group_reads import GroupReads, read_group
from sync.push.identity import record_hash
from sync.push.ingest import RACE_RETRIES, ingest, record_refs
from sync.push.ledger import SyncRecord, ledger_row
from sync.push.problems import error_path
from sync.push.record_heads import independent, read_heads
from sync.push.submission_ingest import accept_submission
from sync.push.verdicts import id_in_use, internal_rejection, reject, replay
from sync.review.quarantine import supersede_in_session
from sync.wire import ItemAnswer, PushOut, PushRecord, PushResult, SubmissionRecord

log = logging.getLogger("anjian.sync")
_PG_GROUPS = 4


@dataclass(eq=False)
class Pending:
    """One decoded record waiting in the group commit, and the verdict it gets there."""

    ctx: Context
    principal: Principal
    plugins: Any
    record: PushRecord
    digest: str
    result: PushResult | None = None
    stored: dict[str, Any] | None = None  # the submission row, when accepted by a group (plugins are told after)
    ticket: int | None = None  # its part's turn ticket, when its batch was cut into parts


async def push_batch(ctx: Context, principal: Principal, plugins: Any, raws: list[msgspec.Raw], content_type: str | None) -> PushOut:
    """Store every record of a batch; one result per record, in order."""
    require(principal.role, "sync.push")
    require_device(principal)
    # PostgreSQL takes several writers: a batch of independent records finding them idle is cut into
    # parts, each decoded and validated in its turn and written while the next one is worked on.
    group_commit = group_commit_for(ctx.db, _store_pending, parallel=1 if ctx.db.is_sqlite else _PG_GROUPS)
    parts = group_commit.parts(len(raws))
    if parts > 1 and not independent(read_heads(raws, content_type) or ()):
        parts = 1
    if parts == 1:
        stored = await _store_part(ctx, principal, plugins, raws, content_type, group_commit, None)
    else:
        chunks = group_commit.cut(raws, parts)
        tickets = [group_commit.turns.ticket() for _ in chunks]  # drawn now: the first part goes first
        outcomes = await asyncio.gather(
            *(_store_part(ctx, principal, plugins, chunk, content_type, group_commit, ticket) for chunk, ticket in zip(chunks, tickets, strict=True)),
            return_exceptions=True,
        )
        for outcome in outcomes:
            if isinstance(outcome, BaseException):
                raise outcome  # e.g. 503: the tablet retries, the parts already stored answer duplicate
        stored = [entry for outcome in outcomes for entry in outcome]  # type: ignore[union-attr]
    store = AttachmentStore(ctx.settings)
    out = []
    for index, (result, item) in enumerate(stored):
        if item is not None:
            if item.stored is not None:
                await notify_plugins(plugins, item.stored)
            if result.status == "accepted" or result.first_status == "accepted":
                result.missing_attachments = store.missing(record_refs(item.record))
        result.index = index
        out.append(result)
    return PushOut(results=out, server_time=ctx.clock.now())


async def _store_part(
    ctx: Context, principal: Principal, plugins: Any, raws: list[msgspec.Raw], content_type: str | None, group_commit: GroupCommit[Pending],
    ticket: int | None,
) -> list[tuple[PushResult, Pending | None]]:
    """Decode records (a part of a batch with a ``ticket``: in its turn) and store them through the
    group commit; each record's result with its pending entry (None: rejected as malformed)."""
    decoded: list[PushResult | Pending] = []
    async with group_commit.turns.take(ticket) if ticket is not None else contextlib.nullcontext():
        for position, raw in enumerate(raws):
            if position and ticket is not None:
                await asyncio.sleep(0)  # let the parts before this one send their rows meanwhile
            record = await _decode(ctx, principal, raw, content_type)
            decoded.append(record if isinstance(record, PushResult) else Pending(ctx, principal, plugins, record, record_hash(record), ticket=ticket))
    await group_commit.submit([item for item in decoded if isinstance(item, Pending)], alone=ticket is not None)
    stored: list[tuple[PushResult, Pending | None]] = []
    for item in decoded:
        if isinstance(item, PushResult):
            stored.append((item, None))
        else:
            assert item.result is not None
            stored.append((item.result, item))
    return stored


async def _decode(ctx: Context, principal: Principal, raw: msgspec.Raw, content_type: str | None) -> PushRecord | PushResult:
    """The record, or the rejection of a malformed one (kept in quarantine, with its field path)."""
    try:
        record = decode_raw(raw, content_type, PushRecord)
    except (msgspec.ValidationError, msgspec.DecodeError) as exc:
        payload = raw_to_builtins(raw, content_type)
        record_id = payload.get("id") if isinstance(payload, dict) and isinstance(payload.get("id"), str) else None
        kind = payload.get("kind") if isinstance(payload, dict) and isinstance(payload.get("kind"), str) else None
        path = error_path(str(exc))
        if path and "..." in path:
            path = _answer_path(payload, path)
        error = InvalidInput(str(exc), f"记录格式不合法：{exc}", field=path, code="invalid_record")
        return await reject(ctx, principal, record_id or "", kind, payload, None, error)
    if (refusal := nul_in_record(raw, content_type, record)) is not None:
        # U+0000 (PostgreSQL stores none): this record's rejection alone, kept as received (sync.codec).
        kind = "submission" if isinstance(record, SubmissionRecord) else "hazard_update"
        return await reject(ctx, principal, record.id, kind, raw_to_builtins(raw, content_type), None, refusal)
    return record


async def _store_pending(items: list[Pending]) -> None:
    """The group commit's work: runs of submissions share a transaction; other records go alone, in order."""
    run: list[Pending] = []
    for item in items:
        if isinstance(item.record, SubmissionRecord):
            run.append(item)
            continue
        if run:
            await _store_group(run)
            run = []
        item.result = await ingest(item.ctx, item.principal, item.plugins, AttachmentStore(item.ctx.settings), item.record, notify=False)
    if run:
        await _store_group(run)


async def _store_group(items: list[Pending]) -> None:
    """Validate each submission and write the accepted ones in one transaction; rejections are
    quarantined after it. A constraint failure at write time rolls the group back and stores each
    record on its own instead."""
    ctx = items[0].ctx
    rejected: list[tuple[Pending, AppError]] = []
    for attempt in range(RACE_RETRIES):
        for item in items:
            item.result = item.stored = None  # verdicts of a rolled-back attempt are void
        try:
            async with ctx.db.write() as session:
                rejected = await _stage_group(session, ctx, items)
            break
        except Exception as exc:  # noqa: BLE001 - e.g. another instance stored one of the records first
            if lost_race(exc) and attempt + 1 < RACE_RETRIES:
                # PostgreSQL broke a deadlock with another instance storing the same records: this
                # attempt left nothing; the next one finds what the other committed.
                log.info("a group of %d submissions lost a race with a concurrent transaction; storing it again", len(items))
                continue
            if is_transient(exc):
                raise  # locked or full database, lost connection: 503 for every waiting request
            # The database refusing a row (a constraint race, a value too long) is expected now and
            # then; a Python error is a bug in the group's path, which the records survive (stored
            # one by one) but an operator must see.
            level = logging.INFO if isinstance(exc, DBAPIError) else logging.ERROR
            log.log(level, "a group of %d submissions failed to commit; storing each on its own", len(items), exc_info=True)
            for item in items:
                item.stored = None  # ingest tells plugins itself, from the row it stored
                item.result = await ingest(ctx, item.principal, item.plugins, AttachmentStore(ctx.settings), item.record)
            return
    for item, error in rejected:
        if error.code == "id_in_use":
            # The group read the ledger and the taken ids in separate statements: another instance
            # may have stored this very record in between. Alone, it reads the ledger again.
            item.result = await ingest(ctx, item.principal, item.plugins, AttachmentStore(ctx.settings), item.record)
            continue
        payload = msgspec.to_builtins(item.record)
        item.result = await reject(ctx, item.principal, item.record.id, "submission", payload, item.digest, error)


async def _stage_group(session: AsyncSession, ctx: Context, items: list[Pending]) -> list[tuple[Pending, AppError]]:
    """Inside the group's transaction: verdicts for every item, accepted rows written at the end."""
    now = ctx.clock.now()
    records = [item.record for item in items]
    # The enterprises are loaded once and handed to the checks below.
    known = await read_group(
        session,
        record_ids=list({r.id for r in records}),
        enterprise_ids=list({r.enterprise_id for r in records}),  # type: ignore[attr-defined]
        hazard_ids=list({canonical_uuid(h.id) or h.id for r in records for h in r.hazards if h.id}),  # type: ignore[attr-defined]
    )
    writes = WriteSet()
    # Groups validate one at a time, oldest first (``sync.push.group_commit``): its writes then overlap
    # the next group's validation.
    async with turns_of(ctx.db).take(items[0].ticket):
        rejected, staged = await _validate(session, ctx, items, known, writes, now)
    await writes.flush(session)
    for record_id in known.quarantined & staged:
        await supersede_in_session(session, ctx, record_id)
    return rejected


async def _validate(
    session: AsyncSession, ctx: Context, items: list[Pending], known: GroupReads, writes: WriteSet, now: datetime
) -> tuple[list[tuple[Pending, AppError]], set[str]]:
    """Each record's verdict, in order; accepted ones staged in ``writes``. Returns the rejected
    records and the ids of those accepted."""
    ledger, hazard_ids_in_use = known.ledger, known.hazard_ids_in_use
    staged: dict[str, dict[str, Any]] = {}  # ledger rows of the group's accepted records
    touched: set[str] = set()
    pinned_memo: dict[Any, Any] = {}
    rejected: list[tuple[Pending, AppError]] = []
    for position, item in enumerate(items):
        if position:
            # Let the loop run what is ready between records: validating awaits nothing that
            # suspends, and a group holding the append lock (PostgreSQL) waited for a whole
            # group's validation before it could send its rows and commit.
            await asyncio.sleep(0)
        record = item.record
        assert isinstance(record, SubmissionRecord)
        prior = ledger.get(record.id) or (SyncRecord(**staged[record.id]) if record.id in staged else None)
        if prior is not None:
            if prior.content_hash != item.digest:
                rejected.append((item, id_in_use(record.id)))
            else:
                item.result = await replay(prior)
            continue
        reads = {key for key in (record.replaces, record.assignment_id) if key}
        if reads & touched:
            await writes.flush(session)  # this record reads what an earlier one of the group staged
        record_writes = WriteSet()
        ids_in_use = set(hazard_ids_in_use)
        try:
            outcome, row = await accept_submission(
                session, record_writes, ctx, item.principal, record, item.digest, now, hazard_ids_in_use=ids_in_use, pinned_memo=pinned_memo,
                enterprises=known.enterprises,
            )
        except AppError as exc:
            rejected.append((item, exc))
            continue
        except Exception as exc:  # noqa: BLE001 - a bug must not lose an inspector's work
            if is_transient(exc):
                raise
            log.exception("ingesting record %s failed", record.id)
            rejected.append((item, internal_rejection(exc)))
            continue
        ledger_values = ledger_row(
            record_id=record.id, kind="submission", content_hash=item.digest, status="accepted", user_id=item.principal.user_id,
            device_id=item.principal.device_id, received_at=now, outcome=outcome,
        )
        record_writes.insert(SyncRecord, ledger_values)
        writes.extend(record_writes)
        hazard_ids_in_use = ids_in_use
        staged[record.id] = ledger_values
        touched.update({record.id, *reads})
        item.stored = row
        item.result = PushResult(
            id=record.id, status="accepted", kind="submission", received_at=now, hazard_ids=list(outcome["hazard_ids"]), inspection_id=outcome.get("inspection_id"),
        )
    return rejected, set(staged)


def _answer_path(payload: Any, path: str) -> str:
    """msgspec names dict keys ``[...]``; find which answer it was (the only keyed map in a record)."""
    answers = payload.get("answers") if isinstance(payload, dict) else None
    if not path.startswith("answers...") or not isinstance(answers, dict):
        return path
    for code, answer in answers.items():
        try:
            msgspec.convert(answer, ItemAnswer)
        except msgspec.ValidationError as exc:
            inner = error_path(str(exc))
            return f"answers.{code}" + (f".{inner}" if inner else "")
    return "answers"


