"""Re-ingesting a quarantined record (admin): stored again as the inspector who pushed it, with the
stored payload or a corrected one, and the quarantine row closed (audited).

One function for ``POST /api/v1/sync/quarantine/{id}/reingest`` and the console's 同步审核 page, so
both apply the same checks: the row exists and is open, its user is still active, a payload kept
with a NUL stand-in is re-ingested only corrected. A record that is still refused raises its
problems (400 naming the field) and the row stays open.
"""

from __future__ import annotations

from typing import Any

import msgspec

from core.access.permissions import require
from core.access.scope import Principal
from core.access.users import User
from core.context import Context
from core.errors import Conflict, InvalidInput, not_found
from core.http.nul import is_nul_stand_in
from sync.attachments import AttachmentStore
from sync.codec import decode
from sync.push.ingest import ingest
from sync.review.quarantine import mark_resolved
from sync.review.quarantine_table import QuarantinedRecord
from sync.wire import PushRecord, PushResult


async def reingest_quarantined(
    ctx: Context, principal: Principal, plugins: Any, row_id: str, *, payload: dict[str, Any] | None = None, note: str = ""
) -> PushResult:
    """Ingest quarantined row ``row_id`` again (``payload`` replaces the stored record when given)."""
    require(principal.role, "sync.review")
    async with ctx.db.read() as session:
        row = await session.get(QuarantinedRecord, row_id)
        user = await session.get(User, row.user_id) if row else None
    if row is None:
        raise not_found("quarantined record", "隔离记录")
    if row.status != "open":
        raise Conflict(f"quarantined record is already {row.status}", f"该隔离记录已处理（{row.status}）", code="already_resolved")
    if user is None or not user.active:
        raise InvalidInput("the record's user no longer exists or is inactive", "该记录的提交人已不存在或已停用", code="user_inactive")
    if payload is None and is_nul_stand_in(row.payload):
        raise InvalidInput(
            "the record held a NUL character (U+0000): re-ingest it with a corrected payload",
            "该记录含有空字符（U+0000），请提供修正后的记录（payload）再重新入库", field="payload", code="nul_character",
        )
    record = decode(msgspec.json.encode(payload if payload is not None else row.payload), "application/json", PushRecord)
    author = Principal(
        user_id=user.id, username=user.username, role=user.role, region_code=user.region_code, grid_code=user.grid_code,
        industries=tuple(user.industries), enterprise_id=user.enterprise_id, device_id=row.device_id,
    )
    result = await ingest(ctx, author, plugins, AttachmentStore(ctx.settings), record, keep_rejected=False)
    if result.status != "duplicate" or row.status == "open":
        await mark_resolved(ctx, principal, row_id, status="reingested", note=note or f"re-ingested: {result.status}", expect_open=False)
    return result
