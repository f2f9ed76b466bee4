"""Answering ``GET /api/v1/attachments/{sha256}`` once the caller may see the file (docs/sync.md).

A stored attachment never changes (its name is the sha256 of its content), so its entity tag is
that digest, strong: ``If-None-Match`` naming it answers 304 without a body, and a tablet that
already holds a photo never downloads it again. A single byte range (``Range: bytes=a-b``,
``bytes=a-``, ``bytes=-n``) answers 206 with ``Content-Range``: a PDF viewer or a resumed download
on a weak connection asks for parts. A range that starts past the end answers 416 with
``Content-Range: bytes */<size>``. What RFC 9110 lets a server ignore is ignored (a malformed
header, several ranges, an ``If-Range`` that is not the current tag): the whole file, 200.

The media type is read from the file's first bytes (JPEG, PNG, WebP, GIF, HEIC, PDF), else
``application/octet-stream``; ``X-Content-Type-Options: nosniff`` keeps a browser from guessing
anything else (an uploaded HTML or SVG file is never served as such).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import anyio
from litestar import Response
from litestar.datastructures import ETag
from litestar.response import File, Stream
from litestar.response.base import ASGIResponse

from core.errors import AppError

CHUNK = 64 * 1024
_RANGE = re.compile(r"^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$", re.IGNORECASE)
_TAG = re.compile(r'\s*(?:W/)?"([^"]*)"\s*')


class RangeNotSatisfiable(AppError):
    """The requested range lies beyond the file (RFC 9110 §15.5.17)."""

    status_code = 416
    code = "range_not_satisfiable"


# (magic at offset, media type): the formats tablets send (photos, signatures) and documents.
_MAGIC: tuple[tuple[int, bytes, str], ...] = (
    (0, b"\xff\xd8\xff", "image/jpeg"),
    (0, b"\x89PNG\r\n\x1a\n", "image/png"),
    (0, b"GIF87a", "image/gif"),
    (0, b"GIF89a", "image/gif"),
    (0, b"%PDF-", "application/pdf"),
)


def media_type_of(head: bytes) -> str:
    """The media type the first bytes of a file declare, else ``application/octet-stream``."""
    for offset, magic, media_type in _MAGIC:
        if head[offset:offset + len(magic)] == magic:
            return media_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1", b"msf1"):
        return "image/heic"
    return "application/octet-stream"


def etag_matches(if_none_match: str | None, digest: str) -> bool:
    """Whether ``If-None-Match`` names this file (``*``, or its tag; weak comparison, as the header wants)."""
    if not if_none_match:
        return False
    if if_none_match.strip() == "*":
        return True
    return any(match.group(1) == digest for part in if_none_match.split(",") if (match := _TAG.fullmatch(part)))


def byte_range(header: str | None, size: int) -> tuple[int, int] | None:
    """The inclusive (first, last) byte of a single satisfiable range; None to send the whole file.

    Raises :class:`RangeNotSatisfiable` for a well-formed range that selects nothing of the file."""
    if not header:
        return None
    match = _RANGE.match(header)
    if match is None:
        return None  # malformed or several ranges: ignored
    first_text, last_text = match.groups()
    if not first_text and not last_text:
        return None
    if not first_text:  # the last n bytes
        suffix = int(last_text)
        if suffix == 0 or size == 0:
            raise _unsatisfiable(size)
        return max(size - suffix, 0), size - 1
    first = int(first_text)
    if last_text and int(last_text) < first:
        return None  # invalid: ignored
    if first >= size:
        raise _unsatisfiable(size)
    return first, min(int(last_text), size - 1) if last_text else size - 1


def _unsatisfiable(size: int) -> RangeNotSatisfiable:
    return RangeNotSatisfiable(
        f"the requested range lies outside the attachment's {size} bytes", f"请求的字节范围超出附件大小（{size} 字节）",
        field="Range", headers={"Content-Range": f"bytes */{size}", "Accept-Ranges": "bytes"},
    )


class _Part(Stream):
    """A streamed byte range with its own media type: Litestar's ``Stream`` lets the handler's
    declared media type (``application/octet-stream``, for the OpenAPI document) win over its own."""

    def to_asgi_response(self, *args: Any, **kwargs: Any) -> ASGIResponse:
        kwargs["media_type"] = self.media_type
        return super().to_asgi_response(*args, **kwargs)


async def _read(path: Path, first: int, last: int) -> AsyncIterator[bytes]:
    remaining = last - first + 1
    async with await anyio.open_file(path, "rb") as handle:
        await handle.seek(first)
        while remaining > 0:
            chunk = await handle.read(min(CHUNK, remaining))
            if not chunk:
                return
            remaining -= len(chunk)
            yield chunk


def _media_type(path: Path) -> str:
    with path.open("rb") as handle:
        return media_type_of(handle.read(16))


async def attachment_response(path: Path, digest: str, *, range_header: str | None, if_none_match: str | None, if_range: str | None) -> Response:
    """The response for a visible stored file: 304, 206, 416 (raised) or 200."""
    common = {
        "Cache-Control": "private, max-age=31536000, immutable", "X-Content-Type-Options": "nosniff", "Accept-Ranges": "bytes",
        "ETag": f'"{digest}"',
    }
    if etag_matches(if_none_match, digest):
        return Response(b"", status_code=304, headers=common)
    size = (await anyio.Path(path).stat()).st_size
    media_type = await anyio.to_thread.run_sync(_media_type, path)
    if if_range is not None and if_range.strip() != f'"{digest}"':
        range_header = None  # the client's copy is another file (or dated): send the whole
    wanted = byte_range(range_header, size)
    if wanted is None:
        disposition = "attachment" if media_type == "application/octet-stream" else "inline"
        headers = {k: v for k, v in common.items() if k != "ETag"}
        return File(path, filename=digest, media_type=media_type, etag=ETag(value=digest), content_disposition_type=disposition, headers=headers)
    first, last = wanted
    return _Part(
        _read(path, first, last), status_code=206, media_type=media_type,
        headers={**common, "Content-Range": f"bytes {first}-{last}/{size}", "Content-Length": str(last - first + 1)},
    )
