"""Importing regions from a CSV file (``anjian regions import``): townships and streets, mostly.

Townships (乡镇、街道, nine-digit codes) are not shipped: there are some 40,000 and each deployment
needs a few hundred. A file with the columns ``code,name`` (``parent_code`` and ``level`` optional,
other columns ignored, so the statistics' ``streets.csv`` as packaged by ``china-division`` loads
as it is) adds the divisions not yet known and renames those whose name changed. Six-digit codes
are accepted too (a county created after the shipped data).

The whole file is checked before anything is written, and every problem is reported with its line
and column, so a file is fixed in one pass; then it is written in one transaction with one audit
entry naming the file's sha256 and what changed.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert, update
from sqlmodel import col, select

from core.context import Context
from core.regions.codes import is_region_code, parent_code, region_level
from core.regions.records import LEVEL_ORDER, Region
from core.storage.audit_log import SYSTEM, Actor, append_audit

MAX_NAME = 64


@dataclass
class ImportProblem:
    """What is wrong on one line of the file (line 1 is the header)."""

    line: int
    column: str
    message: str
    message_zh: str

    def text(self) -> str:
        return f"line {self.line} [{self.column}]: {self.message_zh} ({self.message})"


@dataclass
class ImportSummary:
    """What an import did (or, with ``problems``, why it did nothing)."""

    rows: int = 0
    added: int = 0
    renamed: int = 0
    unchanged: int = 0
    problems: list[ImportProblem] = field(default_factory=list)


@dataclass
class _Row:
    line: int
    code: str
    name: str
    parent: str | None
    level: str


def read_csv(data: bytes) -> tuple[list[str], list[dict[str, str]]]:
    """The header and rows of a UTF-8 CSV file (a byte-order mark is allowed)."""
    reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig")))
    rows = list(reader)
    return list(reader.fieldnames or []), rows


def _check_row(line: int, raw: dict[str, Any], problems: list[ImportProblem]) -> _Row | None:
    code = (raw.get("code") or "").strip()
    name = (raw.get("name") or "").strip()
    bad = len(problems)
    if not is_region_code(code):
        problems.append(ImportProblem(line, "code", f"{code!r} is not a 6- or 9-digit region code", f"“{code}”不是6位或9位行政区划代码"))
    if not name or len(name) > MAX_NAME:
        problems.append(ImportProblem(line, "name", f"a name of 1 to {MAX_NAME} characters is needed", f"名称不能为空且不超过{MAX_NAME}个字符"))
    if len(problems) > bad:
        return None
    derived_parent, derived_level = parent_code(code), region_level(code)
    given_parent = (raw.get("parent_code") or "").strip() or None
    if given_parent is not None and given_parent != derived_parent:
        problems.append(ImportProblem(
            line, "parent_code", f"the parent of {code} is {derived_parent} by the numbering rule, not {given_parent}",
            f"按编码规则 {code} 的上级应为 {derived_parent}，不是 {given_parent}",
        ))
    given_level = (raw.get("level") or "").strip() or None
    if given_level is not None and given_level != derived_level:
        problems.append(ImportProblem(
            line, "level", f"{code} is a {derived_level} by its code, not a {given_level}", f"按编码 {code} 的级别应为 {derived_level}，不是 {given_level}",
        ))
    if len(problems) > bad:
        return None
    return _Row(line=line, code=code, name=name, parent=derived_parent, level=derived_level)


def plan_import(header: list[str], rows: list[dict[str, str]], known: dict[str, str]) -> tuple[list[_Row], list[_Row], ImportSummary]:
    """Check every row against the file and the ``known`` regions (code → name): what to add,
    what to rename, and the problems (nothing is to be written when there is any)."""
    summary = ImportSummary(rows=len(rows))
    problems = summary.problems
    for column in ("code", "name"):
        if column not in header:
            problems.append(ImportProblem(1, column, f"the header has no column {column!r}", f"表头缺少“{column}”列"))
    if problems:
        return [], [], summary
    checked: dict[str, _Row] = {}
    for line, raw in enumerate(rows, start=2):
        row = _check_row(line, raw, problems)
        if row is None:
            continue
        if row.code in checked:
            problems.append(ImportProblem(line, "code", f"{row.code} is listed twice (first on line {checked[row.code].line})",
                                          f"{row.code} 重复（首次出现在第 {checked[row.code].line} 行）"))
            continue
        checked[row.code] = row
    for row in checked.values():
        if row.parent is not None and row.parent not in known and row.parent not in checked:
            problems.append(ImportProblem(row.line, "code", f"its parent region {row.parent} is unknown: import it first or in the same file",
                                          f"上级行政区划 {row.parent} 不存在，请先导入或在同一文件中一并导入"))
    if problems:
        return [], [], summary
    new = sorted((r for r in checked.values() if r.code not in known), key=lambda r: (LEVEL_ORDER[r.level], r.code))
    renamed = [r for r in checked.values() if r.code in known and known[r.code] != r.name]
    summary.added, summary.renamed = len(new), len(renamed)
    summary.unchanged = len(checked) - len(new) - len(renamed)
    return new, renamed, summary


async def import_regions(ctx: Context, data: bytes, *, source: str, actor: Actor = SYSTEM) -> ImportSummary:
    """Check and import a region CSV file; with problems, nothing is written."""
    try:
        header, rows = read_csv(data)
    except (UnicodeDecodeError, csv.Error) as exc:
        return ImportSummary(problems=[ImportProblem(1, "file", f"not a UTF-8 CSV file: {exc}", "文件不是 UTF-8 编码的 CSV 文件")])
    async with ctx.db.read() as session:
        known = dict((await session.exec(select(Region.code, Region.name))).all())
    new, renamed, summary = plan_import(header, rows, known)
    if summary.problems or not (new or renamed):
        return summary
    now = ctx.clock.now()
    async with ctx.db.write() as session:
        if new:
            await session.execute(insert(Region), [{"code": r.code, "name": r.name, "parent_code": r.parent, "level": r.level} for r in new])
        for r in renamed:
            await session.execute(update(Region).where(col(Region.code) == r.code).values(name=r.name))
        await append_audit(
            session, actor=actor, action="regions_imported", entity="region", entity_id=f"import:{hashlib.sha256(data).hexdigest()[:16]}",
            at=now, before={r.code: known[r.code] for r in renamed} or None,
            after={
                "file": source, "sha256": hashlib.sha256(data).hexdigest(), "rows": summary.rows, "added": summary.added,
                "renamed": {r.code: r.name for r in renamed}, "levels": _count_levels(new),
            },
        )
    return summary


def _count_levels(rows: list[_Row]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.level] = counts.get(row.level, 0) + 1
    return counts
