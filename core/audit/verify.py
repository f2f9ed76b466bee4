"""Verifying the audit chain: recompute every hash in order, then hold the chain to its anchors.

The chain shows an entry edited, removed or reordered inside it; the anchors (``core.audit.anchors``)
show the newest entries removed and the chain rewritten from before an anchor on. The first
problem found is reported, naming the entry and, when an anchor caught it, the anchor.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import msgspec
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.audit.anchors import ANCHOR_ACTION, AnchorClaim, AuditAnchor, mac_verifies
from core.storage.audit_log import GENESIS_HASH, AuditEntry, columns_of, entry_hash


class ChainReport(msgspec.Struct):
    """Result of verifying the chain: ``ok``, how many entries, and the first problem if any.

    ``broken_anchor`` is the id of the anchor that caught the problem (None for a break inside the
    chain or for an anchor from a log); ``anchors`` counts the anchors checked; ``last_anchor_at``
    says how far back the proof against removal at the end reaches.
    """

    ok: bool
    entries: int
    broken_seq: int | None = None
    reason: str | None = None
    reason_zh: str | None = None
    broken_anchor: int | None = None
    anchors: int = 0
    last_anchor_seq: int | None = None
    last_anchor_at: datetime | None = None


def _name(anchor: AuditAnchor | AnchorClaim) -> tuple[str, str]:
    if isinstance(anchor, AuditAnchor):
        return f"anchor #{anchor.id} (seq {anchor.seq}, signed {anchor.at.isoformat()})", f"锚点 #{anchor.id}（第 {anchor.seq} 条，签于 {anchor.at.isoformat()}）"
    return f"logged anchor seq={anchor.seq} (signed {anchor.at.isoformat()})", f"日志中的锚点 seq={anchor.seq}（签于 {anchor.at.isoformat()}）"


def _anchor_id(anchor: AuditAnchor | AnchorClaim) -> int | None:
    return anchor.id if isinstance(anchor, AuditAnchor) else None


class _Check:
    """The anchors to hold the chain to, and what the walk has met of them."""

    def __init__(self, anchors: Sequence[AuditAnchor | AnchorClaim]) -> None:
        self.by_seq: dict[int, list[AuditAnchor | AnchorClaim]] = {}
        for anchor in anchors:
            self.by_seq.setdefault(anchor.seq, []).append(anchor)
        self.met: set[int] = set()
        self.anchor_entries: list[tuple[int, dict[str, Any]]] = []


async def verify_chain(
    session: AsyncSession, *, secret: str | None = None, logged: Sequence[AnchorClaim] = (), batch: int = 5000
) -> ChainReport:
    """Recompute every hash in order and check every anchor; report the first problem.

    With ``secret`` every anchor's MAC is checked (a forged or altered anchor fails); without it
    the anchors' entries are still checked. ``logged`` are anchors read from a shipped server log
    (``core.audit.anchors.parse_log``): they still stand when the table's were removed.
    """
    stored = list((await session.exec(select(AuditAnchor).order_by(col(AuditAnchor.seq), col(AuditAnchor.id)))).all())
    every: list[AuditAnchor | AnchorClaim] = [*stored, *logged]
    last = stored[-1] if stored else None
    summary: dict[str, Any] = {"anchors": len(every), "last_anchor_seq": last.seq if last else None, "last_anchor_at": last.at if last else None}

    def fail(count: int, seq: int | None, reason: str, reason_zh: str, anchor: AuditAnchor | AnchorClaim | None = None) -> ChainReport:
        return ChainReport(False, count, seq, reason, reason_zh, _anchor_id(anchor) if anchor else None, **summary)

    if secret is not None:
        for anchor in every:
            if not mac_verifies(secret, anchor):
                name, name_zh = _name(anchor)
                return fail(0, anchor.seq, f"{name} does not verify with the server secret: forged or altered", f"{name_zh}无法用服务器密钥验证：锚点被伪造或篡改", anchor)

    check = _Check(every)
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
            break
        for entry in rows:
            count += 1
            seq = entry.seq or 0
            if entry.prev_hash != prev:
                return fail(count, seq, "link to the previous entry is broken (an entry was removed or reordered)", "与上一条的链接断开（有条目被删除或调换顺序）")
            if entry_hash(prev, columns_of(entry)) != entry.hash:
                return fail(count, seq, "content does not match its hash (the entry was edited)", "内容与其哈希不符（条目被修改）")
            for anchor in check.by_seq.get(seq, ()):
                if anchor.hash != entry.hash:
                    name, name_zh = _name(anchor)
                    return fail(count, seq, f"entry {seq} does not match {name}: the chain was rewritten", f"第 {seq} 条与{name_zh}不符：审计链被重写", anchor)
            check.met.add(seq)
            if entry.action == ANCHOR_ACTION and isinstance(entry.after, dict):
                check.anchor_entries.append((seq, entry.after))
            prev = entry.hash
            last_seq = seq

    for seq, anchors in check.by_seq.items():
        if seq not in check.met:
            name, name_zh = _name(anchors[0])
            return fail(count, seq, f"entry {seq} signed by {name} is missing: entries were removed", f"{name_zh}所签的第 {seq} 条不存在：有条目被删除", anchors[0])
    kept = {(a.id, a.seq, a.hash, a.mac) for a in stored}
    unmatched = [(seq, after) for seq, after in check.anchor_entries if (after.get("id"), after.get("seq"), after.get("hash"), after.get("mac")) not in kept]
    if unmatched:  # an anchor taken while the walk ran has its row committed after the table was read
        ids = [after.get("id") for _, after in unmatched if isinstance(after.get("id"), int)]
        late = (await session.exec(select(AuditAnchor).where(col(AuditAnchor.id).in_(ids)))).all() if ids else []
        kept |= {(a.id, a.seq, a.hash, a.mac) for a in late}
    for seq, after in unmatched:
        if (after.get("id"), after.get("seq"), after.get("hash"), after.get("mac")) not in kept:
            return fail(
                count, seq, f"entry {seq} records anchor #{after.get('id')}, which is missing from the anchor table or altered",
                f"第 {seq} 条记录的锚点 #{after.get('id')} 已从锚点表中删除或被修改",
            )
    return ChainReport(True, count, **summary)
