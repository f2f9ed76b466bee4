"""``render_case_cover``: the pages put on top of a case file (电子案卷): the 案卷首页 and the 卷内目录.

The 案卷首页 names the case as an archive does: the authority, the case title, its number, the
enterprise, when it was opened and closed, and the 保管期限 (retention) left for the archivist to fill
in; the 卷内目录 lists every item of the file (序号, 文号, 题名, 日期, 页号, 备注), its header repeated on
each page of a long list.
"""

from __future__ import annotations

from reportlab.lib.units import mm

from plugins.documents.content import CaseFileCover
from plugins.documents.pdf import style
from plugins.documents.pdf.blocks import centred_lines, header
from plugins.documents.pdf.layout import Sheet
from plugins.documents.pdf.paint import Decoration, paint
from plugins.documents.pdf.tables import column_widths
from plugins.documents.pdf.tables import table as ruled_table
from plugins.documents.pdf.wrapping import wrap

COVER_TITLE = "案卷首页"
INDEX_TITLE = "卷内目录"
INDEX_COLUMNS = ["序号", "文号", "题名", "日期", "页号", "备注"]
INDEX_WIDTHS = [3.0, 14.0, 11.0, 6.4, 4.6, 5.2]  # points at 10.5 pt: 文号 up to 〔2026〕1234号, 日期, 页号 100-120 on one line
RETENTION = "保管期限"
COVER_SIZE = 14.0  # 四号: the cover's lines
OPEN_CASE = "（尚未结案）"


def render_case_cover(cover: CaseFileCover) -> bytes:
    sheet = Sheet()
    header(sheet, cover.authority, COVER_TITLE, "")
    sheet.skip(14 * mm)
    centred_lines(sheet, cover.case_title, style.TITLE_SIZE, leading=1.5)
    sheet.skip(18 * mm)
    _cover_fields(sheet, [
        ("案卷编号", cover.case_number),
        ("被检查单位", cover.enterprise),
        ("立卷单位", cover.authority),
        ("起始日期", cover.opened),
        ("结案日期", cover.closed or OPEN_CASE),
        ("卷内文件", f"{len(cover.entries)} 件"),
        (RETENTION, ""),
    ])
    sheet.new_page()
    centred_lines(sheet, INDEX_TITLE, style.TITLE_SIZE)
    sheet.skip(4 * mm)
    rows = [[str(n), e.number, e.title, e.date, e.pages, e.note] for n, e in enumerate(cover.entries, start=1)]
    ruled_table(sheet, INDEX_COLUMNS, rows, widths=INDEX_WIDTHS)
    decoration = Decoration(title=f"{cover.case_title} {COVER_TITLE}", author=cover.authority, subject=INDEX_TITLE)
    return paint(sheet.pages, decoration)


def _cover_fields(sheet: Sheet, items: list[tuple[str, str]]) -> None:
    """Label and value on a ruled line each, the labels in one column (the cover's form look)."""
    label_w, value_w = column_widths(2, [1.0, 3.2], style.CONTENT_W * 0.86)
    x = style.LEFT + style.CONTENT_W * 0.07
    height = COVER_SIZE * 2.1
    for label, value in items:
        lines = wrap(value, value_w, COVER_SIZE)
        for k, line in enumerate(lines):
            sheet.need(height)
            y = style.baseline(sheet.y, height, COVER_SIZE)
            if k == 0:
                sheet.text(x, y, label + "：", COVER_SIZE, bold=True)
            sheet.text(x + label_w, y, line, COVER_SIZE)
            sheet.line(x + label_w, y - COVER_SIZE * 0.3, x + label_w + value_w, y - COVER_SIZE * 0.3, width=0.6)
            sheet.y -= height
