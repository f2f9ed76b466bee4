"""Anchors of the audit chain (审计日志锚点): the chain's head, signed with the server secret.

The hash chain alone proves that no entry *inside* it was edited, removed or reordered. It cannot
show that the newest entries were removed (what is left is still a valid chain), nor that every
hash from some entry on was recomputed after an edit. An anchor is ``(seq, hash, at, mac)``: the
head entry's number and hash when it was taken, and an HMAC-SHA256 of the three with a key derived
from the server secret. ``core.audit.verify`` then requires the entry at every anchored ``seq`` to
exist with that hash, and every MAC to verify: removing anchored entries or rewriting the chain
from before an anchor is detected; anything after the last anchor is not (docs/architecture.md,
"Audit").

Anchors are kept three times: in their own table, as an ``audit_anchored`` entry of the chain
(so a removed anchor row is noticed while its entry stands) and as an INFO line of the server log
(``audit anchor seq=… hash=… at=… mac=…``), which a deployment ships off the server and
``anjian audit verify --anchors-from LOG`` checks too. The ``audit_anchor`` job takes one every
hour; ``POST /api/v1/audit/anchors`` and ``anjian audit anchor`` take one on demand.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import msgspec
from sqlalchemy import BigInteger, Column, Integer, String
from sqlmodel import Field, SQLModel, col, select

from core.context import Context
from core.storage.audit_log import SYSTEM, Actor, AuditEntry, append_audit, lock_sequences
from core.storage.db_types import UTCDateTime

log = logging.getLogger("anjian.audit")

ANCHOR_ACTION = "audit_anchored"
_SEQ_TYPE = BigInteger().with_variant(Integer(), "sqlite")
_KEY_LABEL = b"anjian audit anchor v1"  # the anchor key is derived, so it signs nothing else
_LOG_LINE = re.compile(r"audit anchor seq=(\d+) hash=([0-9a-f]{64}) at=(\S+) mac=([0-9a-f]{64})")


class AuditAnchor(SQLModel, table=True):
    """One signed head of the audit chain: entry ``seq`` had ``hash`` at ``at``."""

    __tablename__ = "audit_anchor"

    id: int | None = Field(default=None, sa_column=Column(_SEQ_TYPE, primary_key=True, autoincrement=True))
    seq: int = Field(sa_column=Column(_SEQ_TYPE, nullable=False, index=True))
    hash: str = Field(sa_column=Column(String(64), nullable=False))
    at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    mac: str = Field(sa_column=Column(String(64), nullable=False))


class AnchorClaim(msgspec.Struct, frozen=True, kw_only=True):
    """An anchor read from somewhere else than the table (a shipped server log)."""

    seq: int
    hash: str
    at: datetime
    mac: str


def _canonical_at(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def anchor_mac(secret: str, seq: int, head_hash: str, at: datetime) -> str:
    """HMAC-SHA256 of (seq, hash, at) with a key derived from the server secret."""
    key = hmac.new(secret.encode(), _KEY_LABEL, hashlib.sha256).digest()
    message = f"{seq}\n{head_hash}\n{_canonical_at(at)}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def mac_verifies(secret: str, anchor: AuditAnchor | AnchorClaim) -> bool:
    """Whether the anchor was signed with this secret (constant-time comparison)."""
    return hmac.compare_digest(anchor_mac(secret, anchor.seq, anchor.hash, anchor.at), anchor.mac)


def log_line(anchor: AuditAnchor | AnchorClaim) -> str:
    """The server-log form of an anchor, read back by ``parse_log``."""
    return f"audit anchor seq={anchor.seq} hash={anchor.hash} at={_canonical_at(anchor.at)} mac={anchor.mac}"


def parse_log(lines: Iterable[str]) -> list[AnchorClaim]:
    """Every anchor line in a server log (other lines and malformed times are skipped)."""
    claims = []
    for line in lines:
        match = _LOG_LINE.search(line)
        if match is None:
            continue
        try:
            at = datetime.fromisoformat(match.group(3))
        except ValueError:
            continue
        if at.tzinfo is None:
            continue
        claims.append(AnchorClaim(seq=int(match.group(1)), hash=match.group(2), at=at, mac=match.group(4)))
    return claims


async def take_anchor(ctx: Context, actor: Actor = SYSTEM) -> AuditAnchor | None:
    """Sign the chain's head now; None when there is nothing new since the last anchor.

    The head is read under the chain's append lock, so no entry can slip in between the read and
    the anchor's own entry; the anchor row and that entry commit together.
    """
    now = ctx.clock.now()
    async with ctx.db.write() as session:
        await lock_sequences(session)
        head = (await session.exec(select(AuditEntry).order_by(col(AuditEntry.seq).desc()).limit(1))).first()
        if head is None or head.seq is None:
            return None
        last = (await session.exec(select(AuditAnchor).order_by(col(AuditAnchor.seq).desc()).limit(1))).first()
        # Idle: the head is the last anchor itself, or that anchor's own entry.
        if last is not None and (head.seq == last.seq or (head.seq == last.seq + 1 and head.action == ANCHOR_ACTION)):
            return None
        anchor = AuditAnchor(seq=head.seq, hash=head.hash, at=now, mac=anchor_mac(ctx.secret, head.seq, head.hash, now))
        session.add(anchor)
        await session.flush()
        await append_audit(
            session, actor=actor, action=ANCHOR_ACTION, entity="audit_anchor", entity_id=str(anchor.id), at=now,
            after={"id": anchor.id, "seq": anchor.seq, "hash": anchor.hash, "at": _canonical_at(now), "mac": anchor.mac},
        )
    log.info(log_line(anchor))
    return anchor


async def anchor_job(ctx: Context, now: datetime) -> dict[str, Any]:
    """The hourly ``audit_anchor`` job: sign the head if anything was appended since the last anchor."""
    anchor = await take_anchor(ctx)
    return {"anchored": anchor is not None, "seq": anchor.seq if anchor else None}


async def list_anchors(ctx: Context, *, limit: int = 100) -> list[AuditAnchor]:
    """The newest anchors first."""
    async with ctx.db.read() as session:
        return list((await session.exec(select(AuditAnchor).order_by(col(AuditAnchor.id).desc()).limit(limit))).all())
