"""The login lockout: decided before a password is checked, counted atomically, per name × client.

Why this shape:
- Parallel guesses. Reading a failure count, checking the password and then writing the count let
  19 wrong passwords and the right one, sent at once, all be checked (and the success then cleared
  the count). Now a check is first *reserved* in one write transaction — the row locked on
  PostgreSQL, the write lock on SQLite — and refused when as many checks are running as failures
  are left, so no more than ``login_max_failures`` passwords are ever checked per lockout.
- Locking others out. The count belongs to the attempted name *and* the client address: five wrong
  guesses lock that name for that address, not for its owner elsewhere.
- Enumeration. An unknown name takes the same path (counted, slowed, locked, audited), keyed on
  the name as typed, so every answer is the same whether the user exists or not.

A check that never reports back (its process died) stops counting after ``PENDING_TIMEOUT``;
failures are forgotten once the lockout period passes without an attempt. Each reservation deletes a
few counters that have been idle that long, so unknown names cannot grow the table for ever.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, or_
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.access.login_counters import LoginCounter
from core.context import Context
from core.errors import TooManyRequests
from core.ids import new_id
from core.storage.audit_log import SYSTEM, append_audit

PENDING_TIMEOUT = timedelta(seconds=60)
MAX_FAILURE_DELAY = 5.0
_PRUNE_BATCH = 20
_KEY_LENGTH = 64  # both columns
_ROW_RACE_RETRIES = 5  # insert-then-lock rounds when a concurrent success deletes the row between them


def key(username: str, client: str) -> tuple[str, str]:
    """The counter's key for a login attempt (both parts cut to their column's length)."""
    return username[:_KEY_LENGTH], client[:_KEY_LENGTH]


def _locked(until: datetime, now: datetime) -> TooManyRequests:
    seconds = int((until - now).total_seconds()) + 1
    return TooManyRequests(
        f"account locked after repeated failed logins; try again in {seconds} s",
        f"登录失败次数过多，账号已锁定，请 {seconds} 秒后再试",
        code="account_locked",
        headers={"Retry-After": str(seconds)},
    )


def _crowded() -> TooManyRequests:
    return TooManyRequests(
        "too many logins for this account are being checked at once from this address; try again in a moment",
        "该账号的登录请求过于集中，请稍后再试",
        code="login_in_progress",
        headers={"Retry-After": "1"},
    )


async def refuse_if_locked(ctx: Context, username: str, client: str, now: datetime) -> None:
    """429 ``account_locked`` for a locked name × client, read without a write or a hash (a
    locked-out guesser costs one indexed read per request)."""
    username, client = key(username, client)
    async with ctx.db.read() as session:
        until = (await session.exec(select(LoginCounter.locked_until).where(LoginCounter.username == username, LoginCounter.client == client))).first()
    if until is not None and until > now:
        raise _locked(until, now)


async def reserve(ctx: Context, username: str, client: str, now: datetime) -> None:
    """Count one password check as running, or refuse it before it runs: 429 ``account_locked``
    while locked, 429 ``login_in_progress`` while as many checks are running as failures are left."""
    username, client = key(username, client)
    async with ctx.db.write() as session:
        counter = await _counter_for_update(session, username, client, now)
        if counter.locked_until is not None and counter.locked_until > now:
            raise _locked(counter.locked_until, now)
        _forget_stale(counter, ctx, now)
        if counter.failures + counter.pending >= ctx.settings.login_max_failures:
            raise _crowded()
        counter.pending += 1
        counter.last_attempt_at = now
        session.add(counter)
        pruned = await _prune(session, ctx, now, keep=counter.id)
        await append_audit(
            session, actor=SYSTEM, action="login_attempt", entity="login_counter", entity_id=counter.id, at=now,
            after={"username": username, "client": client, "failures": counter.failures, "pending": counter.pending, "pruned": pruned},
        )


async def record_failure(ctx: Context, username: str, client: str, now: datetime, user_id: str | None) -> int:
    """The reserved check failed: count it, lock at ``login_max_failures``; the failures so far."""
    username, client = key(username, client)
    async with ctx.db.write() as session:
        counter = await _counter_for_update(session, username, client, now)
        counter.pending = max(counter.pending - 1, 0)
        counter.failures += 1
        locked = counter.failures >= ctx.settings.login_max_failures
        if locked:
            counter.locked_until = now + timedelta(seconds=ctx.settings.login_lockout_seconds)
        counter.last_attempt_at = now
        session.add(counter)
        await append_audit(
            session, actor=SYSTEM, action="account_locked" if locked else "login_failed", entity="login_counter", entity_id=counter.id, at=now,
            after={
                "username": username, "client": client, "user_id": user_id, "failures": counter.failures,
                "locked_until": counter.locked_until.isoformat() if counter.locked_until else None,
            },
        )
        return counter.failures


async def clear(session: AsyncSession, username: str, client: str) -> int:
    """The reserved check passed: forget this name × client's failures and lock (inside the
    caller's write, whose audit entry records it); the failures there were."""
    username, client = key(username, client)
    counter = (await session.exec(_where(select(LoginCounter), username, client).with_for_update())).first()
    if counter is None:
        return 0
    failures = counter.failures
    if counter.pending <= 1:
        await session.delete(counter)
    else:  # other checks of this name × client are still running: keep counting them
        counter.pending -= 1
        counter.failures = 0
        counter.locked_until = None
        session.add(counter)
    return failures


async def slow_down(ctx: Context, failures: int) -> None:
    """Wait before answering a failure: longer for each consecutive one (capped)."""
    delay = min(ctx.settings.login_failure_delay * (2 ** (failures - 1)), MAX_FAILURE_DELAY)
    if delay > 0:
        await asyncio.sleep(delay)


def _where(statement: Any, username: str, client: str) -> Any:
    return statement.where(LoginCounter.username == username, LoginCounter.client == client)


async def _counter_for_update(session: AsyncSession, username: str, client: str, now: datetime) -> LoginCounter:
    """The counter of ``username`` × ``client``, created if missing, locked until the transaction ends.

    ``INSERT … ON CONFLICT DO NOTHING`` waits for a concurrent insert of the same key instead of
    failing on it; ``FOR UPDATE`` then holds the row (SQLite's write lock already does both).
    On PostgreSQL a successful login elsewhere may delete the row between the two statements (the
    insert saw it, the locking read no longer does): then the pair runs again and inserts it."""
    insert = pg_insert if session.bind is not None and session.bind.dialect.name == "postgresql" else sqlite_insert
    for _ in range(_ROW_RACE_RETRIES):
        await session.exec(
            insert(LoginCounter.__table__)  # type: ignore[attr-defined, call-overload]
            .values(id=new_id(), username=username, client=client, failures=0, pending=0, last_attempt_at=now)
            .on_conflict_do_nothing(index_elements=["username", "client"])
        )
        locking_read = _where(select(LoginCounter), username, client).with_for_update().execution_options(populate_existing=True)
        counter = (await session.exec(locking_read)).first()
        if counter is not None:
            return counter
    raise TooManyRequests(
        "too many logins for this account are being handled at once; try again in a moment", "该账号的登录请求过于集中，请稍后再试",
        code="login_in_progress", headers={"Retry-After": "1"},
    )


def _forget_stale(counter: LoginCounter, ctx: Context, now: datetime) -> None:
    if counter.locked_until is not None and counter.locked_until <= now:
        counter.failures, counter.locked_until = 0, None
    if now - counter.last_attempt_at > timedelta(seconds=ctx.settings.login_lockout_seconds):
        counter.failures = 0
    if now - counter.last_attempt_at > PENDING_TIMEOUT:
        counter.pending = 0


async def _prune(session: AsyncSession, ctx: Context, now: datetime, keep: str) -> int:
    """Delete a few counters idle for longer than they matter (unknown names would pile up), not
    the caller's own (``keep``). Rows another transaction holds are skipped, not waited for: the
    caller already holds its own row, and waiting while holding it could deadlock with another
    reservation pruning the other way."""
    idle_before = now - max(timedelta(seconds=ctx.settings.login_lockout_seconds), PENDING_TIMEOUT)
    stale = (
        select(LoginCounter.id)
        .where(
            col(LoginCounter.last_attempt_at) < idle_before, col(LoginCounter.id) != keep,
            or_(col(LoginCounter.locked_until).is_(None), col(LoginCounter.locked_until) <= now),
        )
        .order_by(col(LoginCounter.last_attempt_at))
        .limit(_PRUNE_BATCH)
        .with_for_update(skip_locked=True)
    )
    result = await session.exec(delete(LoginCounter).where(col(LoginCounter.id).in_(stale)))  # type: ignore[call-overload]
    return int(result.rowcount or 0)
