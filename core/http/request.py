"""The request class of the app: litestar's, with hostile bodies refused before they are used.

Litestar decodes a handler's ``data`` through ``Request.json()`` (or ``msgpack()``); overriding
those two is the one place every route's body passes, and only bodies that will be decoded are
read (an attachment upload streams past untouched). The body is refused when it nests too deep
(before decoding, ``core.http.nesting``) or holds a NUL character (``core.http.nul``).
"""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.types import Empty

from core.http.nesting import refuse_deep
from core.http.nul import JSON_NUL, refuse_nul


class GuardedRequest(Request[Any, Any, Any]):
    """``json()`` and ``msgpack()`` refuse too deep bodies and NUL characters (400, field named)."""

    __slots__ = ()

    async def json(self) -> Any:
        """The decoded JSON body, checked the first time it is decoded."""
        if self._json is Empty and self._connection_state.json is Empty:
            body = await self.body()
            refuse_deep(body, msgpack=False)
            value = await super().json()
            if JSON_NUL in body:  # JSON spells U+0000 only so: most bodies need no walk
                refuse_nul(value)
            return value
        return await super().json()

    async def msgpack(self) -> Any:
        """The decoded MessagePack body, checked the first time it is decoded."""
        if self._msgpack is Empty and self._connection_state.msgpack is Empty:
            refuse_deep(await self.body(), msgpack=True)
            value = await super().msgpack()
            refuse_nul(value)
            return value
        return await super().msgpack()
