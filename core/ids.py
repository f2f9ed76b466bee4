"""Record ids: UUID strings. Tablets generate their own; the server generates the rest."""

from __future__ import annotations

import os
import uuid


def new_id() -> str:
    """A fresh random (version 4) UUID as its canonical string. Written out rather than
    ``str(uuid.uuid4())``, which builds a UUID object only to print it: twice the cost, and a
    submission takes a dozen ids."""
    raw = bytearray(os.urandom(16))
    raw[6] = raw[6] & 0x0F | 0x40  # version 4
    raw[8] = raw[8] & 0x3F | 0x80  # RFC 4122 variant
    h = raw.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def canonical_uuid(value: str) -> str | None:
    """The canonical lower-case form of a UUID string, or None if it is not one."""
    try:
        return str(uuid.UUID(value))
    except (ValueError, AttributeError, TypeError):
        return None
