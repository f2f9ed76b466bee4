"""The checklist version a submission pinned, from the published versions (never re-implemented).

Published versions never change and are never removed, so a version once read is kept for the
database it came from (by its engine): a group of submissions used to spend a round trip per part
on reading the stored hash again. The parsed definition is shared by (id, version, hash).
"""

from __future__ import annotations

import weakref
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from checklists.canonical import from_canonical
from checklists.schema import Checklist
from checklists.tables import ChecklistVersion


class PinnedVersion:
    """A published version: its stored hash and the parsed definition."""

    def __init__(self, row_hash: str, checklist: Checklist) -> None:
        self.content_hash = row_hash
        self.checklist = checklist
        self.items = {item.code: item for item in checklist.items()}
        # For checking 120 answers a record: item order, required items, and the pass/fail items an
        # answer of pass or fail (nothing else) settles without a look at the item.
        self.order = {code: index for index, code in enumerate(self.items)}
        self.required = tuple(code for code, item in self.items.items() if item.required)
        self.plain_pass_fail = frozenset(code for code, item in self.items.items() if item.answer.kind == "pass_fail" and not item.photo_required)


# Parsed versions by (id, version, stored hash): a hash names one content, so entries never go stale.
_parsed: dict[tuple[str, str, str], PinnedVersion] = {}
_PARSED_MAX = 256


def _trim(cache: dict[Any, PinnedVersion]) -> None:
    """Keep at most ``_PARSED_MAX`` entries, dropping the oldest."""
    while len(cache) > _PARSED_MAX:
        cache.pop(next(iter(cache)))


# Versions read, by database engine and (id, version); an engine's entries go with it.
_published: weakref.WeakKeyDictionary[Engine, dict[tuple[str, str], PinnedVersion]] = weakref.WeakKeyDictionary()


async def find_pinned(session: AsyncSession, checklist_id: str, version: str, memo: dict[Any, Any] | None = None) -> PinnedVersion | None:
    """The published ``checklist_id`` @ ``version`` (retired ones included: old submissions pin them).

    A version this process read from the same database before is not read again. Otherwise reads
    the stored hash, and the content only when that version was not parsed before. ``memo`` (one
    per transaction) saves the read of a version not published (yet) for the records of a group.
    """
    key = (checklist_id, version)
    if memo is not None and key in memo:
        return memo[key]
    bind = session.sync_session.get_bind()
    known = _published.setdefault(bind, {}) if isinstance(bind, Engine) else {}
    if key in known:
        return known[key]
    where = (col(ChecklistVersion.checklist_id) == checklist_id, col(ChecklistVersion.version) == version)
    content_hash = (await session.exec(select(ChecklistVersion.content_hash).where(*where))).first()
    pinned = None
    if content_hash is not None:
        pinned = _parsed.get((checklist_id, version, content_hash))
        if pinned is None:
            content = (await session.exec(select(ChecklistVersion.content).where(*where))).one()
            pinned = _parsed[(checklist_id, version, content_hash)] = PinnedVersion(content_hash, from_canonical(content.encode("utf-8")))
            _trim(_parsed)
    if pinned is not None:
        known[key] = pinned
        _trim(known)
    if memo is not None:
        memo[key] = pinned
    return pinned
