"""Reading a document type from YAML (or a dict a plugin hands over) and checking it whole.

Every problem names the file, the path inside it and the reason, in Chinese and English: a
structural one as msgspec finds it, then every unknown fact, duplicate role or misnamed list, all at
once, so a deployment fixing a type file sees everything wrong in one go.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import msgspec
import yaml

from plugins.documents import fact_names
from plugins.documents.type_schema import DocumentType, EachSpec, FieldsSpec, ParagraphSpec, TableSpec

PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_AT_PATH = re.compile(r"\s*-\s*at `\$\.?([^`]*)`")


class TypeProblem(msgspec.Struct, frozen=True, kw_only=True):
    """One thing wrong with a type definition."""

    file: str
    path: str
    message: str
    message_zh: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.path}" if self.path else self.file
        return f"{where}: {self.message_zh} ({self.message})"


class DocumentTypeError(Exception):
    """A type definition was refused; ``problems`` lists every problem found."""

    def __init__(self, problems: list[TypeProblem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


def load_type_file(path: Path) -> DocumentType:
    """Read and check one type file; :class:`DocumentTypeError` lists every problem."""
    source = str(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise DocumentTypeError([TypeProblem(file=source, path="", message=f"cannot read file: {exc}", message_zh=f"无法读取文件：{exc}")]) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else ""
        raise DocumentTypeError([TypeProblem(file=source, path=where, message=f"not valid YAML: {exc}", message_zh=f"YAML 格式错误：{exc}")]) from exc
    return type_from_data(data, source=source)


def type_from_data(data: Any, *, source: str) -> DocumentType:
    """Check a definition held as builtins (a parsed file, a plugin's dict)."""
    if not isinstance(data, dict):
        raise DocumentTypeError([TypeProblem(file=source, path="", message="a type definition must be a mapping", message_zh="文书种类定义必须是键值映射")])
    try:
        definition = msgspec.convert(data, DocumentType)
    except msgspec.ValidationError as exc:
        text = str(exc)
        at = _AT_PATH.search(text)
        reason = _AT_PATH.sub("", text)
        raise DocumentTypeError([TypeProblem(file=source, path=at.group(1) if at else "", message=reason, message_zh=f"格式不符：{reason}")]) from exc
    problems = [TypeProblem(file=source, path=path, message=message, message_zh=message_zh) for path, message, message_zh in check_type(definition)]
    if problems:
        raise DocumentTypeError(problems)
    return definition


def placeholders(text: str) -> list[str]:
    """The fact names a text refers to, in order."""
    return [match.strip() for match in PLACEHOLDER.findall(text)]


def _unknown(path: str, fact: str) -> tuple[str, str, str]:
    return path, f"unknown fact `{fact}`", f"未知的信息项 {fact}"


def _check_text(path: str, text: str, row_list: str | None = None) -> list[tuple[str, str, str]]:
    """Every placeholder names a known scalar fact, or a fact of the row's list."""
    row_facts = fact_names.LISTS[row_list][2] if row_list in fact_names.LISTS else {}
    return [_unknown(path, fact) for fact in placeholders(text) if fact not in fact_names.SCALARS and fact not in row_facts]


def _check_list(path: str, fact: str) -> list[tuple[str, str, str]]:
    if fact in fact_names.LISTS:
        return []
    return [(path, f"`{fact}` is not a list fact (one of {', '.join(fact_names.LISTS)})", f"{fact} 不是列表信息项（可选：{'、'.join(fact_names.LISTS)}）")]


def _check_when(path: str, fact: str | None) -> list[tuple[str, str, str]]:
    return [] if fact is None or fact_names.is_known(fact) else [_unknown(path, fact)]


def _check_block(path: str, block: Any) -> list[tuple[str, str, str]]:
    problems = _check_when(f"{path}.when", block.when) + _check_when(f"{path}.unless", block.unless)
    if isinstance(block, ParagraphSpec):
        problems += _check_text(f"{path}.text", block.text)
    elif isinstance(block, FieldsSpec):
        problems += [_unknown(f"{path}.fields[{i}].fact", f.fact) for i, f in enumerate(block.fields) if f.fact not in fact_names.SCALARS]
    elif isinstance(block, TableSpec):
        problems += _check_list(f"{path}.rows", block.rows)
        for i, column in enumerate(block.columns):
            problems += _check_text(f"{path}.columns[{i}].value", column.value, block.rows)
    elif isinstance(block, EachSpec):
        problems += _check_list(f"{path}.rows", block.rows) + _check_text(f"{path}.text", block.text, block.rows)
    return problems


def _check_required(path: str, entry: str) -> list[tuple[str, str, str]]:
    head, rows, row_fact = entry.partition("[]")
    if rows:
        row_fact = row_fact.lstrip(".")
        known = head in fact_names.LISTS and (not row_fact or row_fact in fact_names.LISTS[head][2])
    else:
        known = fact_names.is_known(entry) or entry in fact_names.OBJECTS
    return [] if known else [_unknown(path, entry)]


def check_type(definition: DocumentType) -> list[tuple[str, str, str]]:
    """Every problem msgspec cannot see: unknown facts, non-list rows, duplicate signature roles."""
    problems: list[tuple[str, str, str]] = []
    for i, block in enumerate(definition.body):
        problems += _check_block(f"body[{i}]", block)
    problems += _check_text("closing", definition.closing) + _check_text("copies_note", definition.copies_note)
    for i, entry in enumerate(definition.requires):
        problems += _check_required(f"requires[{i}]", entry)
    for fact in definition.min_rows:
        problems += _check_list(f"min_rows.{fact}", fact)
    roles: set[str] = set()
    for i, box in enumerate(definition.signatures):
        if box.role in roles:
            problems.append((f"signatures[{i}].role", f"signature role `{box.role}` is used twice", f"签名角色 {box.role} 重复"))
        roles.add(box.role)
        if box.name is not None and box.name not in fact_names.SCALARS:
            problems.append(_unknown(f"signatures[{i}].name", box.name))
        problems += _check_text(f"signatures[{i}].extra", box.extra, "inspectors" if box.per_inspector else None)
    return problems
