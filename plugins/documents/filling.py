"""Filling a document type with facts: the body's blocks, the signature boxes, the closing text.

The result is what ``plugins/documents/content.py`` describes (minus images, which the snapshot
keeps by sha256). An absent optional fact prints as a blank, as on a paper form; required ones were
checked before (``plugins.documents.requirements``).
"""

from __future__ import annotations

from typing import Any

from plugins.documents.content import Block, FieldLine, Fields, Paragraph, Table
from plugins.documents.requirements import fact_value, present
from plugins.documents.type_loading import PLACEHOLDER
from plugins.documents.type_schema import DocumentType, EachSpec, FieldsSpec, ParagraphSpec, TableSpec


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def fill_text(text: str, values: dict[str, Any], row: dict[str, Any] | None = None) -> str:
    """Replace each ``{fact}`` by its value: the row's first, then the document's."""

    def value(match: Any) -> str:
        name = match.group(1).strip()
        if row is not None and name in row:
            return _text(row[name])
        return _text(fact_value(values, name))

    return PLACEHOLDER.sub(value, text)


def _included(block: Any, values: dict[str, Any]) -> bool:
    if block.when is not None and not present(fact_value(values, block.when)):
        return False
    return block.unless is None or not present(fact_value(values, block.unless))


def _rows(values: dict[str, Any], name: str) -> list[dict[str, Any]]:
    return list(values.get(name) or [])


def fill_block(spec: Any, values: dict[str, Any]) -> list[Block]:
    """The blocks one spec gives (none when left out; a table without rows gives its ``empty`` text)."""
    if not _included(spec, values):
        return []
    if isinstance(spec, ParagraphSpec):
        return [Paragraph(text=fill_text(spec.text, values))]
    if isinstance(spec, FieldsSpec):
        return [Fields(fields=[FieldLine(label=f.label, value=_text(fact_value(values, f.fact)), width=f.width) for f in spec.fields])]
    rows = _rows(values, spec.rows)
    if not rows:
        return [Paragraph(text=fill_text(spec.empty, values))] if spec.empty else []
    if isinstance(spec, TableSpec):
        return [Table(
            columns=[c.title for c in spec.columns], rows=[[fill_text(c.value, values, row) for c in spec.columns] for row in rows],
            widths=[c.width for c in spec.columns], caption=fill_text(spec.caption, values),
        )]
    assert isinstance(spec, EachSpec)
    return [Paragraph(text=fill_text(spec.text, values, row)) for row in rows]


def fill_body(definition: DocumentType, values: dict[str, Any]) -> list[Block]:
    """The body in the type's order."""
    return [block for spec in definition.body for block in fill_block(spec, values)]


def signature_boxes(definition: DocumentType, values: dict[str, Any]) -> list[dict[str, Any]]:
    """The boxes to sign, each with its ``role`` key (``inspector_1`` … for per-inspector boxes),
    the tablet role it takes (``base_role``), label, expected signer, extra line and whether required."""
    boxes: list[dict[str, Any]] = []
    for spec in definition.signatures:
        if spec.per_inspector:
            for index, person in enumerate(_rows(values, "inspectors"), start=1):
                boxes.append({"role": f"{spec.role}_{index}", "base_role": spec.role, "label": spec.label, "name": _text(person.get("name")),
                              "extra": fill_text(spec.extra, values, person), "required": spec.required})
        else:
            name = _text(fact_value(values, spec.name)) if spec.name else ""
            boxes.append({"role": spec.role, "base_role": spec.role, "label": spec.label, "name": name,
                          "extra": fill_text(spec.extra, values), "required": spec.required})
    return boxes
