"""Record ids: UUID strings. Tablets generate their own; the server generates the rest."""

from __future__ import annotations

import uuid


def new_id() -> str:
    """A fresh random UUID as its canonical string."""
    return str(uuid.uuid4())


def canonical_uuid(value: str) -> str | None:
    """The canonical lower-case form of a UUID string, or None if it is not one."""
    try:
        return str(uuid.UUID(value))
    except (ValueError, AttributeError, TypeError):
        return None
