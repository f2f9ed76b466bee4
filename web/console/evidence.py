"""Photos uploaded with a console form (整改证据), stored where a tablet's go.

The bytes go through sync's attachment store (``sync.attachments``: content-addressed under
``data_dir/attachments``, the sha256 verified) and the uploader is recorded
(``sync.attachment_uploaders``, audited), so the photos are then referenced by the hazard step
exactly as a tablet's are, and shown to whoever may see the hazard (``sync.attachment_access``).

A browser form sends a whole file at once, so there is no resumable upload: the partial-file layout
the store keeps per uploader and device is given a stand-in device per console session
(``console-<session id>``), and each file is finished within the request. Only images are taken
(JPEG, PNG, WebP, GIF, HEIC, read from the bytes, not from the name), at most ``MAX_PHOTOS`` a form.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator

from litestar.datastructures import UploadFile

from core.access.scope import Principal
from core.context import Context
from core.errors import InvalidInput
from sync.attachment_download import media_type_of
from sync.attachment_uploaders import record_upload
from sync.attachments import AttachmentStore, Owner, TooLarge

IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/webp", "image/gif", "image/heic"})
MAX_PHOTOS = 10


async def _once(content: bytes) -> AsyncIterator[bytes]:
    yield content


async def store_photos(ctx: Context, principal: Principal, uploads: list[UploadFile], field: str = "evidence") -> list[str]:
    """Store the uploaded images and return their sha256 digests, in order; 400 naming ``field``
    for a file that is not an image or too many files, 413 for one over the size limit."""
    if len(uploads) > MAX_PHOTOS:
        raise InvalidInput(f"at most {MAX_PHOTOS} photos at once", f"一次最多上传 {MAX_PHOTOS} 张照片", field=field)
    store = AttachmentStore(ctx.settings)
    contents: list[tuple[str, bytes]] = []
    for upload in uploads:  # every file checked before any is stored
        content = await upload.read()
        name = upload.filename or ""
        if len(content) > store.max_bytes:
            raise TooLarge(f"{name} exceeds {store.max_bytes} bytes", f"照片 {name} 超过大小上限（{store.max_bytes // (1024 * 1024)} MB）", field=field)
        if media_type_of(content[:16]) not in IMAGE_TYPES:
            raise InvalidInput(f"{name} is not a photo (JPEG, PNG, WebP, GIF or HEIC)", f"文件 {name} 不是照片：只能上传 JPEG、PNG、WebP、GIF 或 HEIC 图片", field=field)
        contents.append((name, content))
    owner = Owner(principal.user_id, f"console-{principal.session_id}")
    digests: list[str] = []
    for _, content in contents:
        digest = hashlib.sha256(content).hexdigest()
        if store.complete_size(digest) is None:
            await store.receive(digest, owner, _once(content), offset=0, total=len(content), length=len(content), now=ctx.clock.now())
        await record_upload(ctx, principal, digest, len(content))
        digests.append(digest)
    return list(dict.fromkeys(digests))
