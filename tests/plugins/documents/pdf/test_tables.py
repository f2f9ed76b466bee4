"""Tables across pages: the header again on every page, rows whole unless taller than a page, and then
split without losing a character."""

from __future__ import annotations

import re

from plugins.documents.content import Table
from plugins.documents.pdf import render_document, style
from plugins.documents.pdf.fonts import text_width
from plugins.documents.pdf.layout import Sheet, Text
from plugins.documents.pdf.tables import column_widths, table
from tests.plugins.documents.pdf.samples import COLUMNS, body_text, finding_rows, flat, page_texts, record


def _table_pages(rows: list[list[str]]) -> list[str]:
    return page_texts(render_document(record(blocks=[Table(columns=COLUMNS, rows=rows, widths=[0.6, 3, 3, 3])], photos=[], signatures=[],
                                             awaiting=[], closing="", copies_note="")))


def test_a_long_table_continues_with_its_header_repeated() -> None:
    rows = finding_rows(120)
    pages = _table_pages(rows)
    assert len(pages) >= 5
    for text in pages:
        if re.search(r"第\d+项", text):
            assert "序号 检查项目 存在的问题 依据" in text  # the header row, on every page the table reaches
    text = flat("".join(pages))
    for row in rows:
        assert flat("".join(row)) in text, row  # every row whole, cells in order
    seen = [int(n) for n in re.findall(r"第(\d+)项", text)]
    assert seen == list(range(1, 121))


def test_the_header_row_is_never_alone_at_the_foot_of_a_page() -> None:
    sheet = Sheet()
    sheet.y = sheet.bottom + 20  # barely any room left
    table(sheet, COLUMNS, finding_rows(2))
    assert len(sheet.pages) == 2 and sheet.pages[0] == []


def test_a_row_taller_than_a_page_is_split_across_pages_without_loss() -> None:
    huge = "".join(f"第{n}条：危险化学品专用仓库应当符合国家标准、行业标准的要求，并设置明显的标志。" for n in range(1, 160))
    rows = [["1", "短", huge, ""], ["2", "下一行", "", "依据二"]]
    pdf = render_document(record(blocks=[Table(columns=COLUMNS, rows=rows)], photos=[], signatures=[], awaiting=[], closing="", copies_note=""))
    pages = page_texts(pdf)
    assert len(pages) >= 3
    assert all("序号" in p for p in pages[:2])
    text = flat(body_text(pdf)).replace("序号检查项目存在的问题依据", "")  # the header repeated on each page
    assert flat(huge) in text
    assert "2下一行依据二" in text


def test_column_widths_follow_the_type_and_keep_short_headers_on_one_line() -> None:
    widths = column_widths(4, [1, 1, 1, 1], 400)
    assert widths == [100, 100, 100, 100]
    narrow = column_widths(4, [0.2, 3, 3, 3], 400, minimums=[30, 10, 10, 10])
    assert narrow[0] == 30 and abs(sum(narrow) - 400) < 1e-6
    assert column_widths(2, [], 100) == [50, 50]


def test_cells_sit_inside_their_columns() -> None:
    sheet = Sheet()
    table(sheet, ["序号", "内容"], [["1", "很长的内容" * 30]], widths=[1, 9])
    texts = [op for page in sheet.pages for op in page if isinstance(op, Text)]
    assert len(texts) > 5
    assert all(style.LEFT <= op.x and op.x + text_width(op.text, op.size) <= style.RIGHT + 0.01 for op in texts)
