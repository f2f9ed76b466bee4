"""One shape for every report — a title, labelled columns, rows — rendered as JSON, CSV or XLSX.

CSV is UTF-8 with a byte-order mark so Excel on Chinese Windows opens it correctly; headers are
the Chinese column labels in both CSV and XLSX. A text cell a spreadsheet would run as a formula
(``=``, ``+``, ``-``, ``@`` …) is written with a leading single quote (``neutralised``).
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from typing import Any, Literal

import msgspec
from openpyxl import Workbook

from core.local_time import LOCAL_TZ, localized

ReportFormat = Literal["json", "csv", "xlsx"]
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class Column(msgspec.Struct, kw_only=True):
    key: str
    label: str


class ReportTable(msgspec.Struct, kw_only=True):
    """A report: ``rows`` are dicts keyed by the columns' ``key``. A report of a period (月调度,
    季通报, any span) names its bounds: [``period_start``, ``period_end``) in local time."""

    name: str
    title: str
    columns: list[Column]
    rows: list[dict[str, Any]]
    generated_at: datetime
    scope: dict[str, Any] = msgspec.field(default_factory=dict)
    period_start: datetime | None = None
    period_end: datetime | None = None


def in_local_time(table: ReportTable) -> ReportTable:
    """The same report with every time in the deployment's zone (``2026-11-01T00:00:00+08:00``),
    as its readers count days: stored times are UTC, which puts a Beijing midnight on the day before."""

    def local(value: Any) -> Any:
        return localized(value) if isinstance(value, datetime) else value

    return msgspec.structs.replace(
        table,
        generated_at=localized(table.generated_at),
        period_start=local(table.period_start),
        period_end=local(table.period_end),
        rows=[{key: local(value) for key, value in row.items()} for row in table.rows],
    )


# Spreadsheet programs run a cell starting with one of these as a formula: an enterprise named
# ``=HYPERLINK("http://…","点击")`` would be a live link in the office's Excel (CSV/formula
# injection). OWASP's advice, followed here: prefix such a text cell with a single quote, so it
# stays text. Tab and carriage return count too; numbers (a negative count) are left as numbers.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(value: Any) -> Any:
    """``value`` made safe to put in a CSV or XLSX cell (see ``FORMULA_STARTS``)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _cell(value: Any) -> Any:
    return neutralised(_plain_cell(value))


def _plain_cell(value: Any) -> Any:
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
    writer.writerow([neutralised(c.label) for c in table.columns])
    for row in table.rows:
        writer.writerow([_cell(row.get(c.key)) for c in table.columns])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(table: ReportTable) -> bytes:
    """The table as one XLSX sheet: a title line, then Chinese headers and the rows."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = table.title[:31]
    sheet.append([neutralised(table.title)])
    sheet.append([neutralised(c.label) for c in table.columns])
    for row in table.rows:
        sheet.append([_cell(row.get(c.key)) for c in table.columns])
    for index, column in enumerate(table.columns, start=1):
        sheet.column_dimensions[sheet.cell(row=2, column=index).column_letter].width = max(10, min(40, 2 * len(column.label) + 4))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
