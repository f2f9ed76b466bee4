"""Verifying the audit chain: recompute every hash in order and name the first broken entry."""

from __future__ import annotations

import msgspec
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.storage.audit_log import GENESIS_HASH, AuditEntry, columns_of, entry_hash


class ChainReport(msgspec.Struct):
    """Result of verifying the chain: ``ok``, how many entries, and the first broken one if any."""

    ok: bool
    entries: int
    broken_seq: int | None = None
    reason: str | None = None


async def verify_chain(session: AsyncSession, *, batch: int = 5000) -> ChainReport:
    """Recompute every hash in order; report the first entry whose hash or link does not match."""
    prev = GENESIS_HASH
    count = 0
    last_seq = 0
    while True:
        rows = (
            await session.exec(
                select(AuditEntry).where(col(AuditEntry.seq) > last_seq).order_by(col(AuditEntry.seq)).limit(batch)
            )
        ).all()
        if not rows:
            return ChainReport(ok=True, entries=count)
        for entry in rows:
            count += 1
            if entry.prev_hash != prev:
                return ChainReport(False, count, entry.seq, "link to the previous entry is broken (an entry was removed or reordered)")
            if entry_hash(prev, columns_of(entry)) != entry.hash:
                return ChainReport(False, count, entry.seq, "content does not match its hash (the entry was edited)")
            prev = entry.hash
            last_seq = entry.seq or last_seq
