"""What changed between two versions of one checklist: sections and items added, removed, changed
(field by field) and moved.

Items are matched by ``code`` (unique across a checklist, ``checklists.validation``), sections by
their ``code``. An item is *moved* when it changed section, or when its place in the checklist's
order changed relative to the other items both versions share (the longest common order stays put,
so moving one item does not mark its neighbours). Values are shown as text, so the console and a
CLI can print a change without knowing the schema.
"""

from __future__ import annotations

import difflib
from typing import Any, Literal

import msgspec

from checklists.schema import Answer, Checklist, Item, LegalBasis, Section

Status = Literal["added", "removed", "changed"]


class FieldChange(msgspec.Struct, frozen=True, kw_only=True):
    """One field whose value differs; ``before`` / ``after`` are display text ("" for nothing)."""

    field: str
    before: str
    after: str


class SectionDiff(msgspec.Struct, frozen=True, kw_only=True):
    """A section added, removed, or changed (its fields, or its place among the sections)."""

    code: str
    title: str  # the newer title (the removed section's own)
    status: Status
    moved: bool = False
    position_before: int | None = None  # 1-based
    position_after: int | None = None
    fields: list[FieldChange] = msgspec.field(default_factory=list)


class ItemDiff(msgspec.Struct, frozen=True, kw_only=True):
    """An item added, removed, or changed (its fields, its section or its place)."""

    code: str
    text: str  # the newer text (the removed item's own)
    status: Status
    section_before: str | None = None
    section_after: str | None = None
    position_before: int | None = None  # 1-based within its section
    position_after: int | None = None
    moved: bool = False
    fields: list[FieldChange] = msgspec.field(default_factory=list)


class ChecklistDiff(msgspec.Struct, frozen=True, kw_only=True):
    """Everything that differs from version ``before`` to version ``after``."""

    checklist_id: str
    before: str
    after: str
    header: list[FieldChange]
    sections: list[SectionDiff]
    items: list[ItemDiff]

    @property
    def empty(self) -> bool:
        return not (self.header or self.sections or self.items)

    def count(self, status: Status) -> int:
        """How many items have ``status``."""
        return sum(1 for item in self.items if item.status == status)

    @property
    def moved_count(self) -> int:
        return sum(1 for item in self.items if item.moved)


def diff_checklists(before: Checklist, after: Checklist) -> ChecklistDiff:
    """The differences from ``before`` to ``after`` (two versions, usually of the same checklist)."""
    return ChecklistDiff(
        checklist_id=after.id,
        before=before.version,
        after=after.version,
        header=_header_changes(before, after),
        sections=_section_changes(before.sections, after.sections),
        items=_item_changes(before, after),
    )


# --- display text of values ------------------------------------------------------------------------


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def _flag(value: bool) -> str:
    return "是" if value else "否"


def _basis(basis: list[LegalBasis]) -> str:
    return "；".join(f"{entry.document} {entry.article}".strip() for entry in basis)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return _flag(value)
    if isinstance(value, float | int):
        return _number(value)
    if value is None:
        return ""
    if isinstance(value, list):
        return "、".join(_text(entry) for entry in value)
    if isinstance(value, msgspec.Struct):
        return msgspec.json.encode(value).decode("utf-8")
    return str(value)


def _changes(pairs: list[tuple[str, str, str]]) -> list[FieldChange]:
    return [FieldChange(field=name, before=old, after=new) for name, old, new in pairs if old != new]


# --- the parts ---------------------------------------------------------------------------------------


def _header_changes(before: Checklist, after: Checklist) -> list[FieldChange]:
    def values(c: Checklist) -> list[tuple[str, str]]:
        return [
            ("title", c.title), ("industry", c.industry), ("general", _flag(c.general)), ("description", c.description),
            ("applies_to.scales", _text(c.applies_to.scales)), ("applies_to.high_risk_flags", _text(c.applies_to.high_risk_flags)),
            ("applies_to.sectors", _text(c.applies_to.sectors)), ("applies_to.enterprises", _text(c.applies_to.enterprises)),
            ("sources", "；".join(" ".join(p for p in (s.document, s.number, s.issued_by, s.effective) if p) for s in c.sources)),
            ("total_points", _number(c.total_points)),
        ]
    return _changes([(name, old, new) for (name, old), (_, new) in zip(values(before), values(after), strict=True)])


def _moved_codes(before: list[str], after: list[str]) -> set[str]:
    """Codes (present in both lists) outside the longest order the two lists share."""
    common = set(before) & set(after)
    old = [code for code in before if code in common]
    new = [code for code in after if code in common]
    kept: set[str] = set()
    for block in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_matching_blocks():
        kept.update(old[block.a:block.a + block.size])
    return common - kept


def _section_changes(before: list[Section], after: list[Section]) -> list[SectionDiff]:
    old = {section.code: (index, section) for index, section in enumerate(before, 1)}
    new = {section.code: (index, section) for index, section in enumerate(after, 1)}
    moved = _moved_codes(list(old), list(new))
    out: list[SectionDiff] = []
    for code, (position, section) in new.items():
        if code not in old:
            out.append(SectionDiff(code=code, title=section.title, status="added", position_after=position))
            continue
        old_position, old_section = old[code]
        fields = _changes([("title", old_section.title, section.title), ("points", _number(old_section.points), _number(section.points))])
        if fields or code in moved:
            out.append(SectionDiff(code=code, title=section.title, status="changed", moved=code in moved,
                                   position_before=old_position, position_after=position, fields=fields))
    for code, (position, section) in old.items():
        if code not in new:
            out.append(SectionDiff(code=code, title=section.title, status="removed", position_before=position))
    return out


def _answer_values(answer: Answer) -> list[tuple[str, str]]:
    return [("answer.kind", answer.kind), ("answer.min", _number(answer.min)), ("answer.max", _number(answer.max)),
            ("answer.unit", answer.unit), ("answer.allow_na", _flag(answer.allow_na))]


def _item_values(item: Item) -> list[tuple[str, str]]:
    return [
        ("text", item.text), *_answer_values(item.answer), ("required", _flag(item.required)),
        ("photo_required", _flag(item.photo_required)), ("basis", _basis(item.basis)), ("major_hazard", _flag(item.major_hazard)),
        ("rectification_days", str(item.rectification_days)), ("points", _number(item.points)), ("guidance", item.guidance),
    ]


def _placed(checklist: Checklist) -> dict[str, tuple[str, int, Item]]:
    """Item code -> (section code, 1-based place in its section, item)."""
    return {item.code: (section.code, index, item) for section in checklist.sections for index, item in enumerate(section.items, 1)}


def _item_changes(before: Checklist, after: Checklist) -> list[ItemDiff]:
    old, new = _placed(before), _placed(after)
    reordered = _moved_codes(list(old), list(new))
    out: list[ItemDiff] = []
    for code, (section, position, item) in new.items():
        if code not in old:
            out.append(ItemDiff(code=code, text=item.text, status="added", section_after=section, position_after=position))
            continue
        old_section, old_position, old_item = old[code]
        fields = _changes([(name, a, b) for (name, a), (_, b) in zip(_item_values(old_item), _item_values(item), strict=True)])
        moved = old_section != section or code in reordered
        if fields or moved:
            out.append(ItemDiff(code=code, text=item.text, status="changed", section_before=old_section, section_after=section,
                                position_before=old_position, position_after=position, moved=moved, fields=fields))
    for code, (section, position, item) in old.items():
        if code not in new:
            out.append(ItemDiff(code=code, text=item.text, status="removed", section_before=section, position_before=position))
    return out
