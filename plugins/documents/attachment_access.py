"""Whether the caller may read a stored attachment, asked by sync (which plugins may not import).

A signature added to a document names an uploaded image by sha256; the caller must be one who may
read it (its uploader, or one who may see a record referencing it: ``sync/attachment_access.py``).
``server.py`` wires sync's check in with :func:`provide_attachment_access`, as it wires the
inspection reader (``plugins.documents.sources``). Without it a signature is refused, never
accepted unchecked.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from core.access.scope import Principal
from core.context import Context

AttachmentAccess = Callable[[Context, Principal, str], Awaitable[bool]]


class _Access:
    check: AttachmentAccess | None = None


def provide_attachment_access(check: AttachmentAccess) -> None:
    """Wire the check of who may read an attachment (``server.py`` hands sync's ``may_see`` in)."""
    _Access.check = check


def attachment_access() -> AttachmentAccess | None:
    return _Access.check
