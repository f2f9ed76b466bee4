"""Ruled tables: a shaded header row, cells that wrap, rows continuing on the next page with the header
repeated there.

A row that fits on the rest of the page goes there; one that does not starts the next page (under a
repeated header); a row taller than a whole page is itself split line by line across pages, each part
in ruled cells, so no cell text is ever cut off. Narrow columns (序号, 页号) and the header are centred.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.units import mm

from plugins.documents.pdf import style
from plugins.documents.pdf.fonts import text_width
from plugins.documents.pdf.layout import Sheet
from plugins.documents.pdf.wrapping import wrap

CENTRE_BELOW = 18 * mm  # columns narrower than 18 mm (序号, 页号) are centred


@dataclass(frozen=True)
class Grid:
    widths: list[float]  # points
    size: float

    @property
    def line_height(self) -> float:
        return self.size * style.TABLE_LEADING

    def cell_lines(self, cells: list[str]) -> list[list[str]]:
        return [wrap(cell, w - 2 * style.CELL_PAD_X, self.size) for cell, w in zip(cells, self.widths, strict=True)]

    def height(self, lines: int) -> float:
        return lines * self.line_height + 2 * style.CELL_PAD_Y


def column_widths(count: int, relative: list[float], total: float = style.CONTENT_W, minimums: list[float] | None = None) -> list[float]:
    """``relative`` scaled to ``total`` (equal widths when it is missing, of the wrong length or not
    positive); a column narrower than its minimum (its header, so 序号 stays on one line) gets it,
    taken from the others in proportion."""
    if len(relative) != count or any(not (0 < w < float("inf")) for w in relative):
        relative = [1.0] * count
    widths = [w * total / sum(relative) for w in relative]
    floors = minimums if minimums is not None and len(minimums) == count and sum(minimums) < total else [0.0] * count
    short = [i for i in range(count) if widths[i] < floors[i]]
    if short:
        need = sum(floors[i] - widths[i] for i in short)
        rest = [i for i in range(count) if i not in short]
        spare = sum(widths[i] - floors[i] for i in rest)
        if rest and spare > need:
            for i in short:
                widths[i] = floors[i]
            for i in rest:
                widths[i] -= need * (widths[i] - floors[i]) / spare
    return widths


def header_minimums(columns: list[str], size: float) -> list[float]:
    """What a header needs to stay on one line (at most four characters' worth: longer ones may wrap)."""
    return [min(text_width(c, size), 4 * size) + 2 * style.CELL_PAD_X + 1 for c in columns]


def fitted(row: list[str], count: int) -> list[str]:
    """``row`` with exactly ``count`` cells: missing cells blank, surplus ones joined into the last (never dropped)."""
    cells = [str(c) for c in row[:count]] + [""] * max(0, count - len(row))
    if len(row) > count and count:
        cells[-1] = " ".join([cells[-1], *(str(c) for c in row[count:])]).strip()
    return cells


def table(sheet: Sheet, columns: list[str], rows: list[list[str]], *, widths: list[float] | None = None, caption: str = "",
          size: float = style.TABLE_SIZE) -> None:
    count = max(1, len(columns))
    heads = fitted(columns, count)
    grid = Grid(column_widths(count, widths or [], minimums=header_minimums(heads, size)), size)
    header = grid.cell_lines(heads)
    header_h = grid.height(max(len(c) for c in header))
    bodies = [grid.cell_lines(fitted(row, count)) for row in rows] or [grid.cell_lines([""] * count)]
    if caption:
        caption_h = style.BODY_SIZE * style.BODY_LEADING
        sheet.need(caption_h + header_h + grid.height(1))
        sheet.text(style.LEFT, style.baseline(sheet.y, caption_h, style.BODY_SIZE), caption, style.BODY_SIZE, bold=True)
        sheet.y -= caption_h
    # The header with at least the first line of the first row: a header alone never ends a page.
    sheet.need(header_h + grid.height(1))
    _draw_row(sheet, grid, header, header_h, header=True)
    for cells in bodies:
        lines = max(len(c) for c in cells)
        height = grid.height(lines)
        if height > sheet.room + 0.01 and height <= sheet.full_room - header_h:
            _continue(sheet, grid, header, header_h)
        start = 0
        while start < lines:
            fit = int((sheet.room - 2 * style.CELL_PAD_Y) // grid.line_height)
            if fit < 1:
                _continue(sheet, grid, header, header_h)
                continue
            part = [c[start:start + fit] for c in cells]
            taken = min(fit, lines - start)
            _draw_row(sheet, grid, part, grid.height(taken))
            start += taken


def _continue(sheet: Sheet, grid: Grid, header: list[list[str]], header_h: float) -> None:
    sheet.new_page()
    _draw_row(sheet, grid, header, header_h, header=True)


def _draw_row(sheet: Sheet, grid: Grid, cells: list[list[str]], height: float, *, header: bool = False) -> None:
    x = style.LEFT
    top = sheet.y
    for width, lines in zip(grid.widths, cells, strict=True):
        sheet.rect(x, top - height, width, height, fill=style.HEADER_FILL if header else None)
        centre = header or width < CENTRE_BELOW
        y = top - style.CELL_PAD_Y
        for line in lines:
            base = style.baseline(y, grid.line_height, grid.size)
            if centre:
                sheet.text(x + (width - text_width(line, grid.size)) / 2, base, line, grid.size, bold=header)
            else:
                sheet.text(x + style.CELL_PAD_X, base, line, grid.size, bold=header)
            y -= grid.line_height
        x += width
    sheet.y = top - height
