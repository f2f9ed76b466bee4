"""The audit entry and the chain's anchors as the API shows them."""

from __future__ import annotations

from datetime import datetime

import msgspec


class AuditOut(msgspec.Struct, kw_only=True):
    seq: int
    at: datetime
    actor_id: str | None
    actor_name: str
    action: str
    entity: str
    entity_id: str
    before: dict | None
    after: dict | None
    hash: str


class AnchorOut(msgspec.Struct, kw_only=True):
    """A signed head of the chain: entry ``seq`` had ``hash`` at ``at``; ``mac`` is HMAC-SHA256."""

    id: int
    seq: int
    hash: str
    at: datetime
    mac: str


class AnchorTaken(msgspec.Struct, kw_only=True):
    """Whether an anchor was taken now (false: nothing appended since the last one) and which."""

    anchored: bool
    anchor: AnchorOut | None
