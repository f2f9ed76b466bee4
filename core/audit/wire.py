"""The audit entry as the API shows it."""

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
