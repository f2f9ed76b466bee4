"""Content-addressed attachments (photos, signatures): ``data_dir/attachments/ab/cdef…``.

An upload goes to a partial file of its own uploader, ``attachments/partial/<device>/<user>/<sha256>``
(user and device as they were when it started), appended chunk by chunk as bytes arrive, so an
interrupted upload keeps what was received and resumes from there (``Upload-Offset`` or
``Content-Range: bytes start-end/total``). When the declared length is reached the sha256 is
verified and the file renamed into place; a mismatch discards the partial file.

Partial files belong to their uploader: another user (or the same user on another tablet) has
its own, so nobody can append to, truncate or even see someone else's. Unfinished bytes count
against a per-device quota (``device_upload_quota_bytes``): the partial files under the device's
directory plus what requests of this process are still allowed to add; another instance's running
requests are seen only as the bytes they have written so far. The ``upload_expiry`` job
(``sync.upload_expiry``) removes partial files untouched for ``upload_expiry_hours``; every request
stamps its partial file's modification time with the server's clock for that.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from core.errors import AppError, Conflict, InvalidInput
from core.settings import Settings
from core.storage.attachment_files import attachment_path

SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
_CONTENT_RANGE = re.compile(r"^bytes (\d+)-(\d+)/(\d+|\*)$")
_SAFE_COMPONENT = re.compile(r"^[0-9A-Za-z-]{1,64}$")
PARTIAL_DIR = "partial"


class TooLarge(AppError):
    status_code = 413
    code = "attachment_too_large"


class QuotaExceeded(AppError):
    """The device's unfinished uploads would exceed its quota."""

    status_code = 413
    code = "upload_quota_exceeded"


class UploadState:
    """How much of an attachment has arrived."""

    def __init__(self, received: int, complete: bool) -> None:
        self.received = received
        self.complete = complete


class Owner(NamedTuple):
    """Whose partial upload: the user and the device the upload started from."""

    user_id: str
    device_id: str


class PartialFile(NamedTuple):
    """One unfinished upload on disk (``owner`` None: a file of the layout before owners)."""

    path: Path
    sha256: str
    owner: Owner | None
    size: int
    touched: float


def _component(value: str) -> str:
    """A path component for an id: the id itself when it is plain, else a digest of it."""
    return value if _SAFE_COMPONENT.match(value) else hashlib.sha256(value.encode()).hexdigest()[:32]


class AttachmentStore:
    """Files under the data directory, one per sha256, and the partial uploads of each device."""

    _locks: dict[tuple[str, str, str], asyncio.Lock] = {}
    # Per device directory: what each running request of this process may still add.
    _reserved: dict[Path, dict[object, int]] = {}

    def __init__(self, settings: Settings) -> None:
        self.data_dir = settings.data_dir
        self.root = Path(settings.data_dir) / "attachments"
        self.max_bytes = settings.attachment_max_bytes
        self.quota = settings.device_upload_quota_bytes

    @staticmethod
    def check_sha(sha256: str) -> str:
        """The lower-case hex digest, or a 400 naming the path parameter."""
        value = sha256.lower()
        if not SHA256_RE.match(value):
            raise InvalidInput("sha256 must be 64 hex characters", "附件摘要必须是64位十六进制sha256", field="sha256")
        return value

    def path(self, sha256: str) -> Path:
        """Where the finished attachment lies (the layout core reads too)."""
        return attachment_path(self.data_dir, sha256)

    def _device_dir(self, device_id: str) -> Path:
        return self.root / PARTIAL_DIR / _component(device_id)

    def _partial(self, sha256: str, owner: Owner) -> Path:
        return self._device_dir(owner.device_id) / _component(owner.user_id) / sha256

    def _lock(self, sha256: str, owner: Owner) -> asyncio.Lock:
        return self._locks.setdefault((sha256, owner.user_id, owner.device_id), asyncio.Lock())

    def complete_size(self, sha256: str) -> int | None:
        """The stored attachment's size, or None when it is not (completely) stored."""
        try:
            return self.path(sha256).stat().st_size
        except FileNotFoundError:
            return None

    def partial_state(self, sha256: str, owner: Owner | None) -> UploadState:
        """How many bytes of ``owner``'s unfinished upload are kept (0: none)."""
        if owner is None:
            return UploadState(0, False)
        try:
            return UploadState(self._partial(sha256, owner).stat().st_size, False)
        except FileNotFoundError:
            return UploadState(0, False)

    def missing(self, refs: list[str]) -> list[str]:
        """The referenced digests not (completely) stored yet."""
        return [ref for ref in refs if not self.path(ref).exists()]

    def pending_bytes(self, device_id: str, *, excluding: Path | None = None, token: object = None) -> int:
        """Bytes of the device's unfinished uploads: its partial files, plus what other running
        requests of this process may still add (``excluding`` one file, ``token`` one request)."""
        device_dir = self._device_dir(device_id)
        on_disk = 0
        for path in device_dir.glob("*/*"):
            if path != excluding:
                try:
                    on_disk += path.stat().st_size
                except FileNotFoundError:
                    pass
        reserved = sum(n for t, n in self._reserved.get(device_dir, {}).items() if t is not token)
        return on_disk + reserved

    async def receive(
        self, sha256: str, owner: Owner, chunks: AsyncIterator[bytes], *, offset: int | None, total: int | None, length: int | None, now: datetime
    ) -> UploadState:
        """Append ``chunks`` at ``offset`` (must equal what ``owner`` has kept) and finish at ``total`` bytes.

        ``total`` None means the body is the rest of the file; ``length`` is the body's declared
        size (``Content-Length``), if any, reserved against the quota while the body arrives.
        ``now`` (the server's clock) stamps the partial file for the expiry job.
        """
        if total is not None and total > self.max_bytes:
            raise TooLarge(f"attachment exceeds {self.max_bytes} bytes", f"附件超过大小上限 {self.max_bytes} 字节")
        async with self._lock(sha256, owner):
            partial = self._partial(sha256, owner)
            received = self.partial_state(sha256, owner).received
            start = offset or 0
            if start != received:
                raise Conflict(
                    f"upload offset {start} does not match the {received} bytes received; resume from there",
                    f"续传位置 {start} 与已接收的 {received} 字节不符，请从已接收处继续",
                    code="offset_mismatch",
                    headers={"Upload-Offset": str(received)},
                    extra={"received": received},
                )
            token = object()
            device_dir = self._device_dir(owner.device_id)
            pending = self.pending_bytes(owner.device_id, excluding=partial, token=token)
            budget = max(self.quota - pending - received, 0)
            hard = min(self.max_bytes, total if total is not None else self.max_bytes)
            need = total - received if total is not None else (length if length is not None else min(hard - received, budget))
            if need > budget:
                raise QuotaExceeded(
                    f"this device's unfinished uploads would exceed its quota of {self.quota} bytes ({pending} bytes pending); finish or wait for them to expire",
                    f"本设备未完成的上传将超过配额 {self.quota} 字节（已占用 {pending} 字节）：请先完成已开始的上传，或等待其过期清理",
                    extra={"quota_bytes": self.quota, "pending_bytes": pending},
                )
            self._reserved.setdefault(device_dir, {})[token] = max(need, 0)
            try:
                size = await self._append(partial, chunks, received, hard=hard, allowed=received + max(need, 0), total=total)
            except BaseException:
                self._touch(partial, now)
                raise
            finally:
                self._reserved[device_dir].pop(token, None)
            # Without a declared total, a body that arrived whole is the rest of the file.
            whole = total if total is not None else size
            if size < whole:
                self._touch(partial, now)
                return UploadState(size, False)
            return self._finish(sha256, partial)

    async def _append(self, partial: Path, chunks: AsyncIterator[bytes], received: int, *, hard: int, allowed: int, total: int | None) -> int:
        partial.parent.mkdir(parents=True, exist_ok=True)
        size = received
        with partial.open("ab") as handle:
            try:
                async for chunk in chunks:
                    size += len(chunk)
                    if size > hard:
                        handle.truncate(received)
                        raise TooLarge(f"attachment exceeds {total or self.max_bytes} bytes", f"附件超过声明或允许的大小（{total or self.max_bytes} 字节）")
                    if size > allowed:
                        handle.truncate(received)
                        raise QuotaExceeded(
                            f"this device's unfinished uploads would exceed its quota of {self.quota} bytes",
                            f"本设备未完成的上传将超过配额 {self.quota} 字节：请先完成已开始的上传，或等待其过期清理",
                            extra={"quota_bytes": self.quota},
                        )
                    handle.write(chunk)
                    handle.flush()
            finally:
                # Whatever arrived before a broken connection is kept for the resume.
                os.fsync(handle.fileno())
        return size

    @staticmethod
    def _touch(partial: Path, now: datetime) -> None:
        """Stamp the partial file with the server's clock (what the expiry job compares); an
        empty one is removed, so an upload that kept nothing is unknown again."""
        try:
            if partial.stat().st_size == 0:
                partial.unlink(missing_ok=True)
            else:
                os.utime(partial, (now.timestamp(), now.timestamp()))
        except FileNotFoundError:
            pass

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
        final.parent.mkdir(parents=True, exist_ok=True)
        if final.exists():
            partial.unlink(missing_ok=True)  # someone else finished the same content first
        else:
            os.replace(partial, final)
        return UploadState(final.stat().st_size, True)

    def partial_files(self) -> Iterator[PartialFile]:
        """Every unfinished upload on disk, of every device (and of the layout before owners)."""
        for path in self.root.glob(f"{PARTIAL_DIR}/*/*/*"):
            try:
                stat = path.stat()
            except FileNotFoundError:
                continue
            yield PartialFile(path, path.name, Owner(path.parent.name, path.parent.parent.name), stat.st_size, stat.st_mtime)
        for path in self.root.glob("??/*.partial"):
            try:
                stat = path.stat()
            except FileNotFoundError:
                continue
            yield PartialFile(path, path.parent.name + path.name.removesuffix(".partial"), None, stat.st_size, stat.st_mtime)

    def in_use(self, partial: PartialFile) -> bool:
        """Whether a request of this process is writing to this partial file right now."""
        if partial.owner is None:
            return False
        lock = self._locks.get((partial.sha256, partial.owner.user_id, partial.owner.device_id))
        return lock is not None and lock.locked()


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


def declared_length(content_length: str | None) -> int | None:
    """The body's ``Content-Length`` as a number, or None when absent or not a plain integer."""
    if content_length is None or not content_length.strip().isdigit():
        return None
    return int(content_length.strip())
