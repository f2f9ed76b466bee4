"""Every request has an id: the caller's ``X-Request-ID`` when it is sane, else a new one.

The id is echoed in the response's ``X-Request-ID``, set as ``core.http.log_lines.current_request_id`` for
every log line written while the request is handled, and written in the access log line
(``anjian.access``: method, path, status, milliseconds) when the response is done. A tablet or a
reverse proxy that sends its own id can so find the server's lines for one of its requests.

It wraps litestar's whole ASGI handler (``wrap``), outside routing and the error handler, so 404s,
refused tokens and errors carry the id too.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from typing import Any

from litestar.types import ASGIApp, Message, Receive, Scope, Send

from core.http.log_lines import current_request_id

HEADER = "x-request-id"
_HEADER_BYTES = HEADER.encode()
# What may come from outside into every log line: no spaces, quotes or control characters.
SANE = re.compile(r"^[A-Za-z0-9._:/+=-]{1,128}$")

access_log = logging.getLogger("anjian.access")


def request_id_from(headers: list[tuple[bytes, bytes]]) -> str:
    """The caller's id when it is sane, else a new random one (32 hex digits)."""
    for name, value in headers:
        if name == _HEADER_BYTES:
            text = value.decode("latin-1")
            if SANE.match(text):
                return text
            break
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Pure ASGI: sets the id, adds the response header, writes the access log line."""

    def __init__(self, app: ASGIApp, *, log_access: bool = True) -> None:
        self.app = app
        self.log_access = log_access

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = request_id_from(scope["headers"])  # type: ignore[arg-type]
        token = current_request_id.set(request_id)
        started = time.perf_counter()
        status = 500  # when the app fails before answering, the server answers 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", ()), (_HEADER_BYTES, request_id.encode())]  # type: ignore[typeddict-unknown-key]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            if self.log_access and access_log.isEnabledFor(logging.INFO):
                elapsed = (time.perf_counter() - started) * 1000
                client: Any = scope.get("client")
                access_log.info(
                    "%s %s %d %.1fms", scope["method"], scope["path"], status, elapsed,
                    extra={"method": scope["method"], "path": scope["path"], "status": status, "duration_ms": round(elapsed, 1),
                           "client": client[0] if client else None},
                )
            current_request_id.reset(token)


def wrap(app: Any, *, log_access: bool = True) -> None:
    """Put the middleware around ``app``'s whole ASGI handler (as litestar puts its CORS one)."""
    app.asgi_handler = RequestIdMiddleware(app.asgi_handler, log_access=log_access)
