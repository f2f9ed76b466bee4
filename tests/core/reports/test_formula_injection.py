"""Report downloads never carry a live formula: a text cell starting with = + - @ (or a tab, a
carriage return) is written with a leading single quote, in CSV and in XLSX alike."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from openpyxl import load_workbook

from core.reports.api import render
from core.reports.rendering import Column, ReportTable, neutralised, to_csv, to_xlsx

HOSTILE = ['=HYPERLINK("http://evil.example/x","点击查看")', "+86 838 555", "-2+3+cmd|' /C calc'!A0", "@SUM(A1:A9)", "\t=1+1", "\r=1+1"]


def _table() -> ReportTable:
    rows = [{"name": name, "count": -5, "tags": ["=A1", "b"]} for name in HOSTILE]
    rows.append({"name": "广汉市安全化工有限公司", "count": 3, "tags": []})
    return ReportTable(
        name="enterprises", title="企业清单", generated_at=datetime(2026, 3, 2, tzinfo=UTC),
        columns=[Column(key="name", label="企业名称"), Column(key="count", label="隐患数"), Column(key="tags", label="标签")], rows=rows,
    )


def test_csv_cells_that_would_be_formulas_start_with_a_quote() -> None:
    lines = list(csv.reader(io.StringIO(to_csv(_table()).decode("utf-8-sig"), newline="")))
    assert [line[0] for line in lines[1:]] == [f"'{text}" for text in HOSTILE] + ["广汉市安全化工有限公司"]
    assert lines[1][1] == "-5" and lines[1][2] == "'=A1、b"  # a negative number is a number, not text


def test_xlsx_cells_are_text_never_formulas() -> None:
    sheet = load_workbook(io.BytesIO(to_xlsx(_table()))).active
    cells = [row for row in sheet.iter_rows(min_row=3)]
    expected = [f"'{text}".replace("\r", "\n") for text in HOSTILE]  # XML reads a carriage return as a line feed
    assert [row[0].value for row in cells] == expected + ["广汉市安全化工有限公司"]
    assert all(cell.data_type != "f" for row in cells for cell in row)
    assert cells[0][1].value == -5 and cells[0][1].data_type == "n"


def test_the_download_endpoints_render_through_the_same_cells() -> None:
    response = render(_table(), "csv")
    assert b"'=HYPERLINK" in response.content and b'\n"=HYPERLINK' not in response.content
    assert neutralised("plain") == "plain" and neutralised(-1) == -1 and neutralised("") == ""
