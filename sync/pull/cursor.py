"""The opaque pull cursor: a position in the server's change sequence plus a hash of the scope.

Tablets store it and send it back unchanged. When the user's scope (role, region, grid,
industries, enterprise) changes, the hash no longer matches and the next pull starts over with
``reset: true``: the tablet drops its copy and takes a fresh full pull, so nothing that left the
scope lingers on it.
"""

from __future__ import annotations

import base64
import hashlib

import msgspec

from core.access.scope import Principal
from core.errors import InvalidInput

_VERSION = 1


class Position(msgspec.Struct, array_like=True):
    version: int
    seq: int
    scope: str


def scope_hash(principal: Principal) -> str:
    """A short hash of everything that decides what the user may see."""
    parts = [principal.user_id, principal.role, principal.region_code or "", principal.grid_code or "", ",".join(sorted(principal.industries)), principal.enterprise_id or ""]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def encode_cursor(seq: int, scope: str) -> str:
    return base64.urlsafe_b64encode(msgspec.msgpack.encode(Position(_VERSION, seq, scope))).decode().rstrip("=")


def decode_cursor(cursor: str) -> Position:
    """The position a cursor names; 400 (field ``cursor``) for anything not made by this server."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        position = msgspec.msgpack.decode(raw, type=Position)
    except (ValueError, msgspec.DecodeError) as exc:
        raise InvalidInput("cursor is not valid; start again without one", "同步游标无效，请不带游标重新同步", field="cursor", code="invalid_cursor") from exc
    if position.version != _VERSION or position.seq < 0:
        raise InvalidInput("cursor is from another protocol version; start again without one", "同步游标版本不符，请不带游标重新同步", field="cursor", code="invalid_cursor")
    return position
