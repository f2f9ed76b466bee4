"""The ``upload_expiry`` job: remove unfinished attachment uploads nobody has touched for a while.

A tablet that starts uploads and never finishes them would otherwise keep their bytes for good
(and its quota full). A partial file untouched for ``upload_expiry_hours`` (ANJIAN_UPLOAD_EXPIRY_HOURS,
48 by default) is removed; the tablet that still wants it sees ``HEAD`` answer 404 and starts
again. One audit entry lists what a run removed.

The job lives beside the store it cleans, in sync/, which core must not import: ``server.py``
adds ``UPLOAD_EXPIRY_JOB`` to the job catalogue (``core.scheduler.catalogue.add_job``).
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Any

from core.context import Context
from core.scheduler.catalogue import JobSpec, hour_period
from core.storage.audit_log import SYSTEM, append_audit
from sync.attachments import AttachmentStore

_LISTED = 200  # uploads named in the audit entry; the counts cover all


def _sweep(store: AttachmentStore, cutoff: float) -> tuple[list[dict[str, Any]], int]:
    removed: list[dict[str, Any]] = []
    total = 0
    for partial in store.partial_files():
        if partial.touched >= cutoff or store.in_use(partial):
            continue
        try:
            if partial.path.stat().st_mtime >= cutoff:  # touched since it was listed
                continue
            partial.path.unlink()
        except FileNotFoundError:
            continue
        total += partial.size
        owner = partial.owner
        removed.append({"sha256": partial.sha256, "user_id": owner.user_id if owner else None, "device_id": owner.device_id if owner else None, "bytes": partial.size})
    return removed, total


async def expire_uploads(ctx: Context, now: datetime) -> dict[str, Any]:
    """Remove partial uploads last touched before ``now - upload_expiry_hours``; what was removed."""
    store = AttachmentStore(ctx.settings)
    cutoff = (now - timedelta(hours=ctx.settings.upload_expiry_hours)).timestamp()
    # Listing and removing files is disk work: off the event loop.
    removed, total = await asyncio.to_thread(_sweep, store, cutoff)
    if removed:
        async with ctx.db.write() as session:
            await append_audit(
                session, actor=SYSTEM, action="attachment_uploads_expired", entity="attachment", at=now,
                after={"count": len(removed), "bytes": total, "expiry_hours": ctx.settings.upload_expiry_hours, "uploads": removed[:_LISTED]},
            )
    return {"removed": len(removed), "bytes": total}


UPLOAD_EXPIRY_JOB = JobSpec(
    "upload_expiry",
    "清理超时未完成的附件上传 (remove unfinished attachment uploads past ANJIAN_UPLOAD_EXPIRY_HOURS)",
    expire_uploads,
    hour_period,
    {"minute": 40},
)
