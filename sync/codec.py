"""Content negotiation for the tablet protocol: JSON or MessagePack, gzip request bodies.

Request: ``Content-Type: application/json`` (default) or ``application/msgpack`` /
``application/x-msgpack``; ``Content-Encoding: gzip`` is inflated with a limit on the inflated
size (a small compressed body must not become gigabytes). Response: MessagePack when ``Accept``
names it, else JSON; gzip of responses is the app's compression middleware.
"""

from __future__ import annotations

import functools
import zlib
from typing import Any, TypeVar

import msgspec
from litestar import Request, Response

from core.errors import AppError, InvalidInput
from core.http.nesting import refuse_deep, too_deep
from core.http.nul import JSON_NUL, dotted_path, find_nul, nul_refused

T = TypeVar("T")

MSGPACK_TYPES = ("application/msgpack", "application/x-msgpack", "application/vnd.msgpack")
JSON_TYPE = "application/json"


class PayloadTooLarge(AppError):
    status_code = 413
    code = "payload_too_large"


def _is_msgpack(header: str | None) -> bool:
    return bool(header) and any(t in header.lower() for t in MSGPACK_TYPES)  # type: ignore[union-attr]


def inflate(body: bytes, encoding: str | None, limit: int) -> bytes:
    """The body with ``Content-Encoding: gzip`` removed, refusing more than ``limit`` bytes inflated."""
    encoding = (encoding or "identity").strip().lower()
    if encoding in ("", "identity"):
        return body
    if encoding not in ("gzip", "x-gzip"):
        raise InvalidInput(f"unsupported Content-Encoding {encoding!r} (use gzip)", f"不支持的内容编码 {encoding}（请使用 gzip）", field="Content-Encoding", code="unsupported_encoding")
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(body, limit + 1)
    except zlib.error as exc:
        raise InvalidInput(f"body is not valid gzip: {exc}", "请求体不是合法的 gzip 数据", field="Content-Encoding", code="malformed_body") from exc
    if len(out) > limit or inflater.unconsumed_tail:
        raise PayloadTooLarge(f"inflated body exceeds {limit} bytes", f"解压后的请求体超过 {limit} 字节", code="payload_too_large")
    return out


async def read_body(request: Request, limit: int) -> bytes:
    """The raw request body, inflated."""
    return inflate(await request.body(), request.headers.get("content-encoding"), limit)


def decode(body: bytes, content_type: str | None, type_: type[T]) -> T:
    """Decode ``body`` as ``type_`` from JSON or MessagePack; errors name the field path. A body
    nested deeper than ``core.http.nesting.MAX_DEPTH`` is refused (400 ``too_deep``) unread: its
    raw records would be decoded one by one later, past any check here."""
    msgpack = _is_msgpack(content_type)
    refuse_deep(body, msgpack=msgpack)
    try:
        if msgpack:
            return msgspec.msgpack.decode(body, type=type_)
        return msgspec.json.decode(body, type=type_)
    except RecursionError as exc:  # cannot happen after the scan; never a 500 should it ever
        raise too_deep() from exc
    except msgspec.ValidationError as exc:
        raise InvalidInput(str(exc), f"请求数据不合法：{exc}", field=field_path(str(exc)), code="validation_error") from exc
    except msgspec.DecodeError as exc:
        raise InvalidInput(f"malformed body: {exc}", "请求体格式错误（不是合法的JSON/MessagePack）", code="malformed_body") from exc


@functools.cache
def _decoder(msgpack: bool, type_: Any) -> msgspec.json.Decoder | msgspec.msgpack.Decoder:  # type: ignore[type-arg]
    # A union type is compiled anew by every ``decode(type=...)`` call; a kept decoder compiles once.
    return msgspec.msgpack.Decoder(type_) if msgpack else msgspec.json.Decoder(type_)


def decode_raw(raw: msgspec.Raw, content_type: str | None, type_: type[T]) -> T:
    """Decode one raw element of a body (same format as the body)."""
    return _decoder(_is_msgpack(content_type), type_).decode(raw)  # type: ignore[no-any-return]


_JSON = msgspec.json.Encoder()


def nul_in_record(raw: msgspec.Raw, content_type: str | None, record: Any) -> InvalidInput | None:
    """The refusal of a decoded record holding U+0000 in any key or string, naming the first
    (``notes``, ``answers.CC-1.note``), or None. PostgreSQL stores no U+0000: the record is
    rejected alone and kept in quarantine (``core.http.nul.without_nul``).

    Costs nearly nothing when there is none: a JSON record spells U+0000 only as ``\\u0000``; a
    MessagePack one is encoded as JSON first (C speed) to look for the same."""
    text = bytes(raw) if not _is_msgpack(content_type) else _JSON.encode(record)
    if JSON_NUL not in text:
        return None
    path = find_nul(msgspec.to_builtins(record, str_keys=True))
    return None if path is None else nul_refused(dotted_path(path))


def raw_to_builtins(raw: msgspec.Raw, content_type: str | None) -> Any:
    """A raw element as plain data for safe keeping, or its text if it is not even decodable."""
    try:
        if _is_msgpack(content_type):
            return msgspec.to_builtins(msgspec.msgpack.decode(raw), str_keys=True)
        return msgspec.json.decode(raw)
    except (msgspec.DecodeError, TypeError, ValueError):
        return {"undecodable": bytes(raw).decode("utf-8", "replace")}


def field_path(message: str) -> str | None:
    """``answers.A1.result`` from msgspec's "… - at `$.answers['A1'].result`"."""
    marker = "at `$"
    start = message.find(marker)
    if start < 0:
        return None
    path = message[start + len(marker) :].split("`", 1)[0]
    path = path.replace("['", ".").replace("']", "").replace("[", ".").replace("]", "").lstrip(".")
    return path or None


def respond(request: Request, content: Any, status_code: int = 200, headers: dict[str, str] | None = None) -> Response[bytes]:
    """Encode ``content`` as the client asked (``Accept``)."""
    if _is_msgpack(request.headers.get("accept")):
        return Response(msgspec.msgpack.encode(content), status_code=status_code, media_type="application/msgpack", headers=headers)
    return Response(msgspec.json.encode(content), status_code=status_code, media_type=JSON_TYPE, headers=headers)
