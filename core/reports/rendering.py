"""One shape for every report — a title, labelled columns, rows — rendered as JSON, CSV or XLSX.

CSV is UTF-8 with a byte-order mark so Excel on Chinese Windows opens it correctly; headers are
the Chinese column labels in both CSV and XLSX.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from typing import Any, Literal

import msgspec
from openpyxl import Workbook

from core.local_time import LOCAL_TZ

ReportFormat = Literal["json", "csv", "xlsx"]
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class Column(msgspec.Struct, kw_only=True):
    key: str
    label: str


class ReportTable(msgspec.Struct, kw_only=True):
    """A report: ``rows`` are dicts keyed by the columns' ``key``."""

    name: str
    title: str
    columns: list[Column]
    rows: list[dict[str, Any]]
    generated_at: datetime
    scope: dict[str, Any] = msgspec.field(default_factory=dict)


def _cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (list, tuple)):
        return "、".join(str(v) for v in value)
    return "" if value is None else value


def to_csv(table: ReportTable) -> bytes:
    """The table as CSV (UTF-8 with BOM), Chinese headers."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([c.label for c in table.columns])
    for row in table.rows:
        writer.writerow([_cell(row.get(c.key)) for c in table.columns])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(table: ReportTable) -> bytes:
    """The table as one XLSX sheet: a title line, then Chinese headers and the rows."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = table.title[:31]
    sheet.append([table.title])
    sheet.append([c.label for c in table.columns])
    for row in table.rows:
        sheet.append([_cell(row.get(c.key)) for c in table.columns])
    for index, column in enumerate(table.columns, start=1):
        sheet.column_dimensions[sheet.cell(row=2, column=index).column_letter].width = max(10, min(40, 2 * len(column.label) + 4))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
