"""One exception handler turning every error into the JSON body {code, message, message_zh?, field?}.

Decoding errors name the field path; a locked or full database is a retryable 503 with
Retry-After; anything unexpected is logged and answered as a generic 500 without internals.
"""

from __future__ import annotations

import errno
import logging
from typing import Any

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, ValidationException
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from core.errors import AppError, RetryLater, field_path_of
from core.storage.database import is_transient

log = logging.getLogger("anjian.errors")


def _json(status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> Response[dict[str, Any]]:
    return Response(content=body, status_code=status, media_type=MediaType.JSON, headers=headers)


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
            key = extra.get("key") if extra.get("key") not in (None, "data") else None
            named = field_path_of(message)
            # Litestar splits "… missing required field `x` - at `$.a[0]`" into the message and
            # key "a[0]"; the named field is relative to that key.
            field = f"{key}.{named}" if key and named and not named.startswith(key) else named or key
            break
    field = field or field_path_of(detail)
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


def database_error_handler(request: Request, exc: DBAPIError | PoolTimeout) -> Response[dict[str, Any]]:
    """A locked or full database, a lost connection or an exhausted pool is temporary: the
    transaction was rolled back, the client should retry (records already stored answer
    ``duplicate``)."""
    if is_transient(exc):
        log.warning("temporary database failure on %s %s: %s", request.method, request.url.path, exc)
        error = RetryLater("database busy, full or unreachable; retry later (anything already stored answers as a duplicate)", "数据库繁忙、空间不足或连接中断，请稍后重试（已保存的记录重试时答复为重复，不会重复保存）", headers={"Retry-After": "5"})
        return _json(error.status_code, error.to_body(), error.headers)
    return internal_error_handler(request, exc)


def os_error_handler(request: Request, exc: OSError) -> Response[dict[str, Any]]:
    """A full disk while writing a file (an attachment, an export) is temporary like a full database."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        log.warning("disk full on %s %s: %s", request.method, request.url.path, exc)
        error = RetryLater("disk full; nothing was completed, retry later", "服务器磁盘空间不足，本次未完成，请稍后重试", headers={"Retry-After": "30"})
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
    PoolTimeout: database_error_handler,
    OSError: os_error_handler,
    Exception: internal_error_handler,
}
