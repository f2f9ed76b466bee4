"""One application error hierarchy; the server turns each into the JSON error body.

Every error carries a stable ``code``, an English ``message``, a Chinese ``message_zh`` (users read
Chinese first) and, for bad input, the ``field`` path it is about.
"""

from __future__ import annotations

import re
from typing import Any

_AT_PATH = re.compile(r"at `\$\.?([^`]*)`")
_NAMED_FIELD = re.compile(r"(?:unknown|missing required|invalid) field `([^`]*)`")


class AppError(Exception):
    """Base of every error a user may see."""

    status_code = 400
    code = "bad_request"

    def __init__(
        self,
        message: str,
        message_zh: str | None = None,
        *,
        field: str | None = None,
        code: str | None = None,
        extra: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.message_zh = message_zh
        self.field = field
        if code:
            self.code = code
        self.extra = extra or {}
        self.headers = headers or {}

    def to_body(self) -> dict[str, Any]:
        """The JSON error body: {code, message, message_zh?, field?, …extra}."""
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.message_zh:
            body["message_zh"] = self.message_zh
        if self.field:
            body["field"] = self.field
        body.update(self.extra)
        return body


class InvalidInput(AppError):
    """Input that is well-formed but wrong; ``field`` names where."""

    status_code = 400
    code = "invalid_input"


class Unauthorized(AppError):
    """No valid credentials."""

    status_code = 401
    code = "unauthorized"


class Forbidden(AppError):
    """The caller's role may not take this action."""

    status_code = 403
    code = "forbidden"


class NotFound(AppError):
    """The record does not exist, or is outside the caller's scope (its existence is not leaked)."""

    status_code = 404
    code = "not_found"


class Conflict(AppError):
    """The request conflicts with the current state (a used id, a stale version, a bad transition)."""

    status_code = 409
    code = "conflict"


class TooManyRequests(AppError):
    """Slow down: e.g. an account locked after repeated failed logins."""

    status_code = 429
    code = "too_many_requests"


class RetryLater(AppError):
    """A temporary condition (database locked, disk full): nothing was stored; retry."""

    status_code = 503
    code = "retry_later"


def not_found(what: str, what_zh: str) -> NotFound:
    """The one 404 used for both absent and out-of-scope records."""
    return NotFound(f"{what} not found", f"{what_zh}不存在或无权访问")


def field_path_of(message: str) -> str | None:
    """The field path a msgspec validation message is about.

    msgspec says "… - at `$.a[0].b`", "Object contains unknown field `x`" or "Object missing required
    field `x`"; a body's own check says "invalid field `x`" (``core.wire.invalid_field``). The latter
    three are relative to the path, when one is given.
    """
    at = _AT_PATH.search(message)
    parts = [at.group(1)] if at and at.group(1) else []
    named = _NAMED_FIELD.search(message)
    if named:
        parts.append(named.group(1))
    return ".".join(parts) or None
