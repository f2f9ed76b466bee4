"""What a document says of a checklist item: its text and its legal basis (依据), read from the
exact version the inspection (or hazard) pinned, never from a newer one."""

from __future__ import annotations

import re
from typing import Any

import msgspec

from checklists.schema import Checklist, Item, LegalBasis
from checklists.versions import get_version
from core.context import Context
from core.errors import NotFound

_HAS_CJK = re.compile(r"[\u4e00-\u9fff]")


def basis_text(basis: list[LegalBasis]) -> str:
    """``《危险化学品安全管理条例》第二十四条；GB 15603``: titles in 《》, standards' codes as they are."""
    parts = []
    for entry in basis:
        document = entry.document.strip()
        if _HAS_CJK.search(document) and not document.startswith("《"):
            document = f"《{document}》"
        parts.append(f"{document}{entry.article.strip()}")
    return "；".join(part for part in parts if part)


def answer_failed(item: Item, result: str | None, value: Any) -> bool:
    """Failed: marked ``fail``, or a measured value outside the item's range (as sync judges it)."""
    if result == "fail":
        return True
    if item.answer.kind != "number" or not isinstance(value, (int, float)) or isinstance(value, bool):
        return False
    low, high = item.answer.min, item.answer.max
    return (low is not None and value < low) or (high is not None and value > high)


class PinnedChecklists:
    """Checklist versions read once per issue (a document's findings and hazards share one)."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self._versions: dict[tuple[str, str], Checklist | None] = {}
        self._items: dict[tuple[str, str], dict[str, Item]] = {}

    async def checklist(self, checklist_id: str | None, version: str | None) -> Checklist | None:
        if not checklist_id or not version:
            return None
        key = (checklist_id, version)
        if key not in self._versions:
            try:
                row = await get_version(self.ctx, checklist_id, version)
            except NotFound:
                self._versions[key] = None
            else:
                self._versions[key] = msgspec.json.decode(row.content, type=Checklist)
        return self._versions[key]

    async def item(self, checklist_id: str | None, version: str | None, code: str | None) -> Item | None:
        checklist = await self.checklist(checklist_id, version)
        if checklist is None or code is None:
            return None
        key = (checklist.id, checklist.version)
        if key not in self._items:
            self._items[key] = {item.code: item for item in checklist.items()}
        return self._items[key].get(code)
