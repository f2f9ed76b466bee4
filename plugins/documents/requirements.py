"""Which required facts are missing: every one at once, before any number is drawn.

A type file lists what it requires (``enterprise.address``, ``hazards[].basis``, ``authority``)
and how many rows a list needs (``inspectors: 2``). A refused issue names every missing field,
so the inspector fixes everything in one round (``inspectors[1].enforcement_card_no``,
``hazards[2].basis``, ``authority``), never one at a time.
"""

from __future__ import annotations

from typing import Any

import msgspec

from core.errors import Conflict
from plugins.documents import fact_names
from plugins.documents.type_schema import DocumentType


class Missing(msgspec.Struct, frozen=True, kw_only=True):
    """One missing fact: where (a fact path, or the request's field) and why, in both languages."""

    field: str
    reason: str
    reason_zh: str


def fact_value(values: dict[str, Any], path: str) -> Any:
    """The value at a dotted path (``enterprise.name``); None when any step is absent."""
    current: Any = values
    for part in path.split("."):
        if not isinstance(current, dict):
            return None
        current = current.get(part)
    return current


def present(value: Any) -> bool:
    """Absent, blank text and empty lists count as missing; 0 does not."""
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, (list, dict)):
        return bool(value)
    return True


def _missing(field: str, fact: str) -> Missing:
    english, chinese = fact_names.label(fact)
    return Missing(field=field, reason=f"{english} is missing", reason_zh=f"缺少{chinese}")


def absent_object(name: str) -> Missing:
    english, chinese = fact_names.OBJECTS.get(name, (f"{name} is missing", f"缺少{name}"))
    return Missing(field=name, reason=english, reason_zh=chinese)


def _check(values: dict[str, Any], entry: str) -> list[Missing]:
    head, rows, row_fact = entry.partition("[]")
    if rows:
        row_fact = row_fact.lstrip(".")
        return [
            _missing(f"{head}[{index}].{row_fact}", f"{head}.{row_fact}")
            for index, row in enumerate(values.get(head) or []) if not present(row.get(row_fact))
        ]
    parent, _, _ = entry.partition(".")
    if parent in fact_names.OBJECTS and values.get(parent) is None:
        return [absent_object(parent)]
    if present(fact_value(values, entry)):
        return []
    return [_missing(fact_names.REQUEST_FIELDS.get(entry, entry), entry)]


def missing_facts(definition: DocumentType, values: dict[str, Any]) -> list[Missing]:
    """Every required fact absent from ``values``, each field once, in the type file's order."""
    found: list[Missing] = []
    for entry in definition.requires:
        found += _check(values, entry)
    for list_fact, least in definition.min_rows.items():
        have = len(values.get(list_fact) or [])
        if have < least:
            english, chinese = fact_names.label(list_fact)
            found.append(Missing(field=list_fact, reason=f"at least {least} {english} are needed, {have} given", reason_zh=f"至少需要{least}项{chinese}，现有{have}项"))
    unique: dict[str, Missing] = {}
    for item in found:
        unique.setdefault(item.field, item)
    return list(unique.values())


def refuse_missing(definition: DocumentType, missing: list[Missing]) -> Conflict:
    """409 ``missing_facts`` naming every missing field (``extra.missing`` lists them with reasons)."""
    return Conflict(
        f"{definition.title} ({definition.code}) cannot be issued, {len(missing)} required facts are missing: "
        + "; ".join(f"{m.field}: {m.reason}" for m in missing),
        f"无法出具{definition.title}，缺少以下必要信息：" + "；".join(f"{m.reason_zh}（{m.field}）" for m in missing),
        field=missing[0].field,
        code="missing_facts",
        extra={"missing": [msgspec.to_builtins(m) for m in missing]},
    )
