"""The text blocks of a document: the header (authority, title, number), labelled fields, paragraphs.

Fields follow the 式样's form look: ``被检查单位：`` then the value on an underline running to the end
of the field's column; two ``half`` fields share a line. Paragraphs are set with a two-character
first-line indent. Everything is laid out line by line, so a long value or paragraph simply continues
on the next page.
"""

from __future__ import annotations

from datetime import UTC, datetime

from plugins.documents.content import FieldLine
from plugins.documents.dates import date_text
from plugins.documents.pdf import style
from plugins.documents.pdf.fonts import text_width
from plugins.documents.pdf.layout import Color, Sheet
from plugins.documents.pdf.wrapping import wrap

HALF_GAP = 6.0  # points between the two half fields of a line
LABEL_SEP = "："


def balanced(text: str, width: float, size: float) -> list[str]:
    """Wrapped lines of about equal length (a heading never leaves one character alone on its last line)."""
    lines = wrap(text, width, size)
    if len(lines) < 2:
        return lines
    narrower = text_width("".join(lines), size) / len(lines)
    while narrower < width:
        candidate = wrap(text, narrower, size)
        if len(candidate) == len(lines):
            return candidate
        narrower += size / 2
    return lines


def centred_lines(sheet: Sheet, text: str, size: float, *, leading: float = 1.45, bold: bool = True) -> None:
    """A heading: centred, wrapped when longer than the line."""
    height = size * leading
    for line in balanced(text, style.CONTENT_W, size):
        sheet.need(height)
        sheet.text_centre(style.LEFT + style.CONTENT_W / 2, style.baseline(sheet.y, height, size), line, size, bold=bold)
        sheet.y -= height


def header(sheet: Sheet, authority: str, title: str, number: str) -> None:
    """The authority's full name, the document's title below it (larger), the number right-aligned."""
    centred_lines(sheet, authority, style.AUTHORITY_SIZE)
    sheet.skip(2)
    centred_lines(sheet, title, style.TITLE_SIZE)
    if number:
        height = style.NUMBER_SIZE * 1.8
        for line in wrap(number, style.CONTENT_W, style.NUMBER_SIZE):
            sheet.text_right(style.RIGHT, style.baseline(sheet.y, height, style.NUMBER_SIZE), line, style.NUMBER_SIZE)
            sheet.y -= height
    sheet.skip(style.BODY_SIZE * 0.6)


def paragraph(sheet: Sheet, text: str, *, size: float = style.BODY_SIZE, indent: bool = True, color: Color = style.BLACK) -> None:
    height = size * style.BODY_LEADING
    for line_no, line in enumerate(wrap(text, style.CONTENT_W, size, first_indent=2 * size if indent else 0.0)):
        sheet.need(height)
        x = style.LEFT + (2 * size if indent and line_no == 0 else 0.0)
        sheet.text(x, style.baseline(sheet.y, height, size), line, size, color=color)
        sheet.y -= height


def _field_lines(item: FieldLine, width: float, size: float) -> tuple[float, list[tuple[str, str | None]]]:
    """Where the value starts, and per line (label part, value part or None when the line has no value)."""
    label = item.label + LABEL_SEP if item.label else ""
    label_w = text_width(label, size)
    if width - label_w < 4 * size:  # a label leaving no room for a value: its own line(s), the value below
        return 0.0, [(part, None) for part in wrap(label, width, size)] + [("", part) for part in wrap(item.value, width, size)]
    values = wrap(item.value, width - label_w, size)
    return label_w, [(label if k == 0 else "", part) for k, part in enumerate(values)]


def fields(sheet: Sheet, items: list[FieldLine], *, size: float = style.BODY_SIZE) -> None:
    """Field lines in order; consecutive ``half`` fields pair up, a lone one takes half a line."""
    index = 0
    while index < len(items):
        item = items[index]
        if item.width == "half" and index + 1 < len(items) and items[index + 1].width == "half":
            _row(sheet, [item, items[index + 1]], size, half=True)
            index += 2
        else:
            _row(sheet, [item], size, half=item.width == "half")
            index += 1


def _row(sheet: Sheet, row: list[FieldLine], size: float, *, half: bool) -> None:
    column_w = (style.CONTENT_W - HALF_GAP) / 2 if half else style.CONTENT_W
    columns = [(style.LEFT + n * (column_w + HALF_GAP), *_field_lines(item, column_w, size)) for n, item in enumerate(row)]
    height = size * style.FIELD_LEADING
    for k in range(max(len(lines) for _, _, lines in columns)):
        sheet.need(height)
        y = style.baseline(sheet.y, height, size)
        for x, value_x, lines in columns:
            if k >= len(lines):
                continue
            label, value = lines[k]
            sheet.text(x, y, label, size)
            if value is not None:
                sheet.text(x + value_x, y, value, size)
                sheet.line(x + value_x, y - size * 0.25, x + column_w, y - size * 0.25, width=0.5)
        sheet.y -= height


def day(at: datetime | None) -> str:
    """``2026年3月2日`` in the deployment's zone; a naive timestamp is taken as UTC, as anjian stores them."""
    if at is None:
        return ""
    return date_text(at if at.tzinfo is not None else at.replace(tzinfo=UTC))
