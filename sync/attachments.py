"""Content-addressed attachments (photos, signatures): ``data_dir/attachments/ab/cdef…``.

An upload goes to ``<path>.partial`` and is appended chunk by chunk as bytes arrive, so an
interrupted upload keeps what was received and resumes from there (``Upload-Offset`` or
``Content-Range: bytes start-end/total``). When the declared length is reached the sha256 is
verified and the file renamed into place; a mismatch discards the partial file.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
from collections.abc import AsyncIterator
from pathlib import Path

from core.errors import AppError, Conflict, InvalidInput
from core.settings import Settings

SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
_CONTENT_RANGE = re.compile(r"^bytes (\d+)-(\d+)/(\d+|\*)$")


class TooLarge(AppError):
    status_code = 413
    code = "attachment_too_large"


class UploadState:
    """How much of an attachment has arrived."""

    def __init__(self, received: int, complete: bool) -> None:
        self.received = received
        self.complete = complete


class AttachmentStore:
    """Files under the data directory, one per sha256."""

    _locks: dict[str, asyncio.Lock] = {}

    def __init__(self, settings: Settings) -> None:
        self.root = Path(settings.data_dir) / "attachments"
        self.max_bytes = settings.attachment_max_bytes

    @staticmethod
    def check_sha(sha256: str) -> str:
        """The lower-case hex digest, or a 400 naming the path parameter."""
        value = sha256.lower()
        if not SHA256_RE.match(value):
            raise InvalidInput("sha256 must be 64 hex characters", "附件摘要必须是64位十六进制sha256", field="sha256")
        return value

    def path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256[2:]

    def _partial(self, sha256: str) -> Path:
        return self.path(sha256).with_name(self.path(sha256).name + ".partial")

    def state(self, sha256: str) -> UploadState:
        """Complete, or how many bytes of a partial upload are kept."""
        final = self.path(sha256)
        if final.exists():
            return UploadState(final.stat().st_size, True)
        partial = self._partial(sha256)
        return UploadState(partial.stat().st_size if partial.exists() else 0, False)

    def missing(self, refs: list[str]) -> list[str]:
        """The referenced digests not (completely) stored yet."""
        return [ref for ref in refs if not self.path(ref).exists()]

    async def receive(self, sha256: str, chunks: AsyncIterator[bytes], *, offset: int | None, total: int | None) -> UploadState:
        """Append ``chunks`` at ``offset`` (must equal what is kept) and finish at ``total`` bytes.

        ``total`` None means the body is the rest of the file.
        """
        if total is not None and total > self.max_bytes:
            raise TooLarge(f"attachment exceeds {self.max_bytes} bytes", f"附件超过大小上限 {self.max_bytes} 字节")
        lock = self._locks.setdefault(sha256, asyncio.Lock())
        async with lock:
            state = self.state(sha256)
            if state.complete:
                async for _ in chunks:
                    pass
                return state
            start = offset or 0
            if start != state.received:
                raise Conflict(
                    f"upload offset {start} does not match the {state.received} bytes received; resume from there",
                    f"续传位置 {start} 与已接收的 {state.received} 字节不符，请从已接收处继续",
                    code="offset_mismatch",
                    headers={"Upload-Offset": str(state.received)},
                    extra={"received": state.received},
                )
            partial = self._partial(sha256)
            partial.parent.mkdir(parents=True, exist_ok=True)
            size = state.received
            with partial.open("ab") as handle:
                try:
                    async for chunk in chunks:
                        size += len(chunk)
                        if size > self.max_bytes or (total is not None and size > total):
                            handle.truncate(state.received)
                            raise TooLarge(f"attachment exceeds {total or self.max_bytes} bytes", f"附件超过声明或允许的大小（{total or self.max_bytes} 字节）")
                        handle.write(chunk)
                        handle.flush()
                finally:
                    # Whatever arrived before a broken connection is kept for the resume.
                    os.fsync(handle.fileno())
            # Without a declared total, a body that arrived whole is the rest of the file.
            whole = total if total is not None else size
            if size < whole:
                return UploadState(size, False)
            return self._finish(sha256, partial)

    def _finish(self, sha256: str, partial: Path) -> UploadState:
        digest = hashlib.sha256()
        with partial.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        if digest.hexdigest() != sha256:
            partial.unlink(missing_ok=True)
            raise InvalidInput(
                f"content does not match sha256 {sha256} (got {digest.hexdigest()}); upload it again",
                "附件内容与sha256摘要不符，已丢弃，请重新上传",
                field="sha256",
                code="hash_mismatch",
            )
        final = self.path(sha256)
        os.replace(partial, final)
        return UploadState(final.stat().st_size, True)


def parse_range(content_range: str | None, upload_offset: str | None, upload_length: str | None) -> tuple[int | None, int | None]:
    """(offset, total) from ``Content-Range`` or ``Upload-Offset``/``Upload-Length`` headers."""
    if content_range:
        match = _CONTENT_RANGE.match(content_range.strip())
        if not match:
            raise InvalidInput("Content-Range must be 'bytes start-end/total'", "Content-Range 格式应为 bytes 起-止/总长", field="Content-Range")
        total = None if match.group(3) == "*" else int(match.group(3))
        return int(match.group(1)), total
    try:
        offset = int(upload_offset) if upload_offset else None
        total = int(upload_length) if upload_length else None
    except ValueError as exc:
        raise InvalidInput("Upload-Offset and Upload-Length must be integers", "Upload-Offset 和 Upload-Length 必须是整数", field="Upload-Offset") from exc
    if (offset is not None and offset < 0) or (total is not None and total < 0):
        raise InvalidInput("negative offset or length", "续传位置或长度不能为负", field="Upload-Offset")
    return offset, total
