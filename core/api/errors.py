"""One exception handler turning every error into the JSON body {code, message, message_zh?, field?}.

Decoding errors name the field path; a locked or full database is a retryable 503 with
Retry-After; anything unexpected is logged and answered as a generic 500 without internals.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, ValidationException
from sqlalchemy.exc import DBAPIError, OperationalError

from core.errors import AppError, RetryLater

log = logging.getLogger("anjian.errors")
_PATH = re.compile(r"at `\$\.?([^`]*)`")
_UNKNOWN = re.compile(r"unknown field `([^`]*)`")
_RETRYABLE = ("database is locked", "disk is full", "database or disk is full", "no space left", "deadlock detected", "could not serialize")


def _json(status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> Response[dict[str, Any]]:
    return Response(content=body, status_code=status, media_type=MediaType.JSON, headers=headers)


def _field_path(message: str) -> str | None:
    """The dotted field path a msgspec message is about ("… - at `$.a.b`", "unknown field `x`")."""
    match = _PATH.search(message)
    parts = [match.group(1)] if match and match.group(1) else []
    unknown = _UNKNOWN.search(message)
    if unknown:
        parts.append(unknown.group(1))
    return ".".join(parts) or None


def app_error_handler(_: Request, exc: AppError) -> Response[dict[str, Any]]:
    """Our own errors carry everything the body needs."""
    return _json(exc.status_code, exc.to_body(), exc.headers)


def validation_handler(_: Request, exc: ValidationException) -> Response[dict[str, Any]]:
    """Litestar/msgspec decoding errors: find the field path and say what is wrong."""
    detail = exc.detail or "invalid request"
    field = None
    message = detail
    for extra in exc.extra or []:
        if isinstance(extra, dict):
            message = str(extra.get("message") or message)
            key = extra.get("key")
            field = _field_path(message) or (key if key not in (None, "data") else None)
            break
    field = field or _field_path(detail)
    body = {"code": "validation_error", "message": message, "message_zh": f"请求数据不合法：{message}"}
    if field:
        body["field"] = field
        body["message_zh"] = f"字段 {field} 不合法：{message}"
    return _json(400, body)


def http_error_handler(_: Request, exc: HTTPException) -> Response[dict[str, Any]]:
    """Framework errors (404 route, 405, 413 …) in the same body shape."""
    status = exc.status_code
    if status == 400 and "malformed" in str(exc.detail).lower():
        return _json(400, {"code": "malformed_body", "message": str(exc.detail), "message_zh": f"请求体格式错误（不是合法的JSON/MessagePack）：{exc.detail}"})
    zh = {404: "资源不存在", 405: "不支持该请求方法", 413: "请求体过大", 415: "不支持的内容类型", 401: "未登录或令牌无效", 403: "无权访问"}
    body = {"code": f"http_{status}", "message": str(exc.detail), "message_zh": zh.get(status, str(exc.detail))}
    return _json(status, body, getattr(exc, "headers", None))


def database_error_handler(request: Request, exc: DBAPIError) -> Response[dict[str, Any]]:
    """A locked or full database is temporary: nothing was stored, the client should retry."""
    text = str(exc).lower()
    if isinstance(exc, OperationalError) or any(marker in text for marker in _RETRYABLE):
        if any(marker in text for marker in _RETRYABLE):
            error = RetryLater("database busy or full; nothing was stored, retry later", "数据库繁忙或空间不足，本次未保存，请稍后重试", headers={"Retry-After": "5"})
            return _json(error.status_code, error.to_body(), error.headers)
    return internal_error_handler(request, exc)


def internal_error_handler(request: Request, exc: Exception) -> Response[dict[str, Any]]:
    """A bug: log it with the path, answer without internals."""
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return _json(500, {"code": "internal_error", "message": "internal server error", "message_zh": "服务器内部错误"})


EXCEPTION_HANDLERS = {
    AppError: app_error_handler,
    ValidationException: validation_handler,
    HTTPException: http_error_handler,
    DBAPIError: database_error_handler,
    Exception: internal_error_handler,
}
