"""The audit log (审计日志): append-only, each entry chained to the previous one by a hash.

An entry is written in the same transaction as the change it records, so there is never a change
without its entry. Appends are serialised (SQLite's write lock; a PostgreSQL advisory lock) so the
chain has no forks. ``core.audit.verify`` recomputes every hash and names the first broken entry.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import msgspec
from sqlalchemy import JSON, BigInteger, Column, Integer, String, text
from sqlmodel import Field, SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.storage.db_types import UTCDateTime

GENESIS_HASH = "0" * 64
_HEAD_KEY = "anjian.audit_chain_head"  # session.info: (transaction, hash of its last entry)
_LOCK_KEY = "anjian.sequence_lock"  # session.info: the transaction holding the advisory lock
_AUDIT_LOCK_KEY = 0x616E6A69616E01  # "anjian" + 1: the advisory lock serialising appends
# Change-sequence appends take the same lock (``lock_sequences``): one lock, so audit-then-change
# and change-then-audit transactions can never deadlock each other.
_SEQ_TYPE = BigInteger().with_variant(Integer(), "sqlite")


class AuditEntry(SQLModel, table=True):
    """Who did what to which record, when, with the before and after states."""

    __tablename__ = "audit_entry"

    seq: int | None = Field(default=None, sa_column=Column(_SEQ_TYPE, primary_key=True, autoincrement=True))
    at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    actor_id: str | None = Field(default=None, max_length=36, index=True)
    actor_name: str = Field(default="", max_length=64)
    action: str = Field(max_length=64, index=True)
    entity: str = Field(max_length=32)
    entity_id: str = Field(default="", max_length=128, index=True)
    before: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    after: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    prev_hash: str = Field(max_length=64)
    hash: str = Field(sa_column=Column(String(64), nullable=False, unique=True))


class Actor(msgspec.Struct, frozen=True):
    """Who acts: a user, or the system itself (scheduler, CLI)."""

    id: str | None
    name: str


SYSTEM = Actor(id=None, name="system")


def entry_hash(prev_hash: str, entry: Mapping[str, Any]) -> str:
    """The hash of an entry (given as its column values) linked to ``prev_hash``."""
    return linked_hash(unlinked_payload(entry), prev_hash)


def unlinked_payload(entry: Mapping[str, Any]) -> bytes:
    """What an entry's hash covers but the link to the previous entry: encoded before the chain's
    lock is taken, so that only the link and one sha256 are left for while it is held.

    The hashed document is the entry's JSON with sorted keys, ``prev`` among them; ``prev`` sorts
    last, so the document is this payload followed by ``"prev":"…"}``."""
    payload = msgspec.json.encode(
        {
            "at": entry["at"].isoformat(),
            "actor_id": entry["actor_id"],
            "actor_name": entry["actor_name"],
            "action": entry["action"],
            "entity": entry["entity"],
            "entity_id": entry["entity_id"],
            "before": entry["before"],
            "after": entry["after"],
        },
        order="sorted",
    )
    return payload[:-1] + b',"prev":"'


def linked_hash(payload: bytes, prev_hash: str) -> str:
    """The hash of an entry from its ``unlinked_payload`` and the hash it links to."""
    digest = hashlib.sha256(payload)
    digest.update(prev_hash.encode() + b'"}')
    return digest.hexdigest()


def columns_of(entry: AuditEntry) -> dict[str, Any]:
    """The hashed columns of a stored entry (what its hash covers, besides the link)."""
    return {name: getattr(entry, name) for name in ("at", "actor_id", "actor_name", "action", "entity", "entity_id", "before", "after")}


def snapshot(obj: Any, *, exclude: frozenset[str] = frozenset({"password_hash"})) -> dict[str, Any]:
    """A JSON-safe dict of a record for before/after (secrets left out)."""
    if isinstance(obj, dict) and exclude.isdisjoint(obj):
        return msgspec.to_builtins(obj)  # a new dict already: no copy first (staged rows, many per push)
    data = obj.model_dump() if hasattr(obj, "model_dump") else dict(obj)
    return msgspec.to_builtins({k: v for k, v in data.items() if k not in exclude})


async def append_audit(
    session: AsyncSession,
    *,
    actor: Actor,
    action: str,
    entity: str,
    entity_id: str = "",
    at: datetime,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append an entry in the caller's (write) transaction."""
    prev = await chain_head(session)
    entry = AuditEntry(
        at=at,
        actor_id=actor.id,
        actor_name=actor.name,
        action=action,
        entity=entity,
        entity_id=entity_id,
        before=before,
        after=after,
        prev_hash=prev,
        hash="",
    )
    entry.hash = entry_hash(prev, columns_of(entry))
    session.add(entry)
    await session.flush()
    remember_chain_head(session, entry.hash)
    return entry


def remember_chain_head(session: AsyncSession, head: str) -> None:
    """Note the hash of the transaction's last entry, so the next append needs no read."""
    session.info[_HEAD_KEY] = (session.sync_session.get_transaction(), head)


def _lock_to_take(session: AsyncSession) -> Any:
    """The PostgreSQL transaction that has yet to take the append lock, or None (SQLite, whose
    ``BEGIN IMMEDIATE`` already serialises writers, or a transaction that holds it)."""
    if session.bind is None or session.bind.dialect.name != "postgresql":
        return None
    transaction = session.sync_session.get_transaction()
    return None if session.info.get(_LOCK_KEY) is transaction else transaction


def chain_lock_key(session: AsyncSession) -> int | None:
    """The append lock's key when this PostgreSQL transaction has yet to take it (so it has read
    no chain head either), for a statement that takes it and chains entries itself
    (``core.storage.pg_bulk_insert.chained_statement``); else None."""
    return _AUDIT_LOCK_KEY if _lock_to_take(session) is not None else None


def note_chained(session: AsyncSession, head: str) -> None:
    """The transaction took the append lock and appended entries up to ``head`` in one statement."""
    session.info[_LOCK_KEY] = session.sync_session.get_transaction()
    remember_chain_head(session, head)


async def lock_sequences(session: AsyncSession) -> None:
    """PostgreSQL: take the transaction-level advisory lock that orders audit and change appends
    (once per transaction). SQLite's ``BEGIN IMMEDIATE`` already serialises writers."""
    transaction = _lock_to_take(session)
    if transaction is None:
        return
    await session.exec(text("SELECT pg_advisory_xact_lock(:k)").bindparams(k=_AUDIT_LOCK_KEY))  # type: ignore[call-overload]
    session.info[_LOCK_KEY] = transaction


async def chain_head(session: AsyncSession) -> str:
    """The hash the next entry links to.

    The first append of a transaction takes the chain's lock (SQLite's write lock is already held;
    PostgreSQL takes an advisory lock until commit) and reads the newest hash; later appends in
    the same transaction reuse the hash they just wrote instead of reading it again (a submission
    with hazards appends several entries).
    """
    transaction = session.sync_session.get_transaction()
    cached = session.info.get(_HEAD_KEY)
    if cached is not None and cached[0] is transaction:
        return cached[1]
    to_lock = _lock_to_take(session)
    if to_lock is not None:
        # Lock and read in one round trip, while every other writer waits (migration 0007).
        last = (await session.exec(text("SELECT anjian_lock_audit_head(:k)").bindparams(k=_AUDIT_LOCK_KEY))).scalar_one()  # type: ignore[call-overload]
        session.info[_LOCK_KEY] = to_lock
    else:
        last = (await session.exec(select(AuditEntry.hash).order_by(col(AuditEntry.seq).desc()).limit(1))).first()
    return last or GENESIS_HASH
