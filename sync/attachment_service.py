"""What the attachment endpoints do (docs/sync.md, "Attachments"), between HTTP and the store.

A finished attachment is shown (``HEAD`` complete, ``GET``, a ``PUT`` answered complete at once)
only to whoever may see it (``sync.attachment_access``); to anyone else it is unknown, exactly
like a file never uploaded, and a ``PUT`` of theirs is an upload of their own that ends with the
content verified (after which they are one of its uploaders). Unfinished uploads are the
uploader's own (user and device): nobody else's request can see or touch them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

from core.access.scope import Principal
from core.context import Context
from core.errors import not_found
from sync.attachment_access import may_see
from sync.attachment_uploaders import record_upload
from sync.attachments import AttachmentStore, Owner, UploadState


def _owner(principal: Principal) -> Owner | None:
    return Owner(principal.user_id, principal.device_id) if principal.device_id else None


async def _visible_size(ctx: Context, principal: Principal, store: AttachmentStore, sha256: str) -> int | None:
    size = store.complete_size(sha256)
    if size is None or not await may_see(ctx, principal, sha256):
        return None
    return size


async def upload_state(ctx: Context, principal: Principal, store: AttachmentStore, sha256: str) -> UploadState:
    """What the caller may know has arrived: the finished file if visible, else their own partial."""
    size = await _visible_size(ctx, principal, store, sha256)
    if size is not None:
        return UploadState(size, True)
    return store.partial_state(sha256, _owner(principal))


async def upload(
    ctx: Context, principal: Principal, store: AttachmentStore, sha256: str, chunks: AsyncIterator[bytes],
    *, offset: int | None, total: int | None, length: int | None,
) -> UploadState:
    """Receive (part of) an upload by a device session; the caller's upload, whoever else sent the same."""
    size = await _visible_size(ctx, principal, store, sha256)
    if size is not None:
        async for _ in chunks:  # uploading an attachment again is harmless
            pass
        return UploadState(size, True)
    owner = _owner(principal)
    assert owner is not None  # the endpoint requires a device session
    state = await store.receive(sha256, owner, chunks, offset=offset, total=total, length=length, now=ctx.clock.now())
    if state.complete:
        await record_upload(ctx, principal, sha256, state.received)
    return state


async def readable_file(ctx: Context, principal: Principal, store: AttachmentStore, sha256: str) -> Path:
    """The stored file, or 404 (the same for a file not stored and one the caller may not see)."""
    if await _visible_size(ctx, principal, store, sha256) is None:
        raise not_found("attachment", "附件")
    return store.path(sha256)
