"""The checklist version a submission pinned, from the published versions (never re-implemented).

Published versions never change, so the parsed definition is cached by (id, version, hash).
"""

from __future__ import annotations

from functools import lru_cache

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


@lru_cache(maxsize=256)
def _parse(checklist_id: str, version: str, content_hash: str, content: str) -> PinnedVersion:
    return PinnedVersion(content_hash, from_canonical(content.encode("utf-8")))


async def find_pinned(session: AsyncSession, checklist_id: str, version: str) -> PinnedVersion | None:
    """The published ``checklist_id`` @ ``version`` (retired ones included: old submissions pin them)."""
    row = (
        await session.exec(
            select(ChecklistVersion.content_hash, ChecklistVersion.content).where(
                col(ChecklistVersion.checklist_id) == checklist_id, col(ChecklistVersion.version) == version
            )
        )
    ).first()
    if row is None:
        return None
    return _parse(checklist_id, version, row[0], row[1])
