"""Read checklist definitions from YAML, TOML or JSON into a validated ``Checklist``.

Every way in — a plugin's file, a department's API body, ``anjian checklist validate`` — goes
through here, so the same definition always gets the same messages. Problems are collected, not
stopped at: every structural problem (one per field, found by decoding field by field) and, when
the structure is sound, every semantic problem from ``checklists.validation``. Each names the file,
the path inside it and, for files, the line.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
import tomllib
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import msgspec
import yaml

from checklists.errors import ChecklistError, ChecklistProblem
from checklists.messages import join_path, split_path, translate
from checklists.schema import Checklist
from checklists.validation import check_checklist

Format = Literal["yaml", "toml", "json"]

FORMAT_BY_SUFFIX: dict[str, Format] = {
    ".yaml": "yaml",
    ".yml": "yaml",
    ".toml": "toml",
    ".json": "json",
}

# path inside the definition -> 1-based line, when the format tells us.
Lines = Mapping[str, int]


def load_checklist_file(path: str | Path) -> Checklist:
    """Read, decode and validate one definition file; :class:`ChecklistError` lists every problem."""
    path = Path(path)
    source = str(path)
    fmt = FORMAT_BY_SUFFIX.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(FORMAT_BY_SUFFIX)
        raise ChecklistError([
            _problem(
                source,
                "",
                f"unsupported file type `{path.suffix}`; use one of {known}",
                f"不支持的文件类型 {path.suffix or '（无扩展名）'}，请使用 {known}",
            )
        ])
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise ChecklistError([
            _problem(source, "", f"cannot read file: {exc.strerror or exc}", f"无法读取文件：{exc.strerror or exc}")
        ]) from exc
    return _parse_file_content(content, fmt, source)


@functools.lru_cache(maxsize=256)
def _parse_file_content(content: bytes, fmt: Format, source: str) -> Checklist:
    # Every app start loads every plugin's files; parsing and validating the same bytes again
    # gives the same Checklist, so it is done once per process. Errors are not cached.
    return parse_checklist(content, fmt, source=source)


def parse_checklist(content: bytes | str, fmt: Format, *, source: str) -> Checklist:
    """Decode and validate a definition held in memory (an API body, a file's bytes).

    ``source`` names it in messages (a file path, or e.g. ``request body``).
    """
    if isinstance(content, bytes):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ChecklistError([
                _problem(
                    source,
                    "",
                    f"not UTF-8 text (bad byte at offset {exc.start})",
                    f"内容不是 UTF-8 编码的文本（第 {exc.start} 字节无效）",
                )
            ]) from exc
    else:
        text = content
    if fmt == "yaml":
        data, lines = _read_yaml(text, source)
    elif fmt == "toml":
        data, lines = _read_toml(text, source), {}
    elif fmt == "json":
        data, lines = _read_json(text, source), {}
    else:
        raise ValueError(f"unknown format {fmt!r}")
    return checklist_from_data(data, source=source, lines=lines)


def checklist_from_data(data: Any, *, source: str, lines: Lines | None = None) -> Checklist:
    """Validate already-decoded data (a ``dict``) or an existing ``Checklist``."""
    lines = lines or {}
    if isinstance(data, Checklist):
        # Built in code: round-trip so constraints msgspec checks on decode are checked too.
        data = msgspec.to_builtins(data)
    if not isinstance(data, dict):
        got = _type_name(data)
        raise ChecklistError([
            _problem(
                source,
                "",
                f"a checklist definition is a mapping of fields, got {got}",
                f"检查表定义应为字段映射（键: 值），实际为{got}",
                line=1 if lines else None,
            )
        ])
    try:
        checklist = msgspec.convert(data, type=Checklist)
    except msgspec.ValidationError as exc:
        # msgspec stops at the first problem; decode field by field to find all of them.
        found = _structure_findings(data, Checklist, "") or [translate(*split_path(str(exc)))]
        raise ChecklistError(
            [_problem(source, path, en, zh, line=_line_for(lines, path)) for path, en, zh in found]
        ) from exc
    semantic = [
        _problem(source, path, en, zh, line=_line_for(lines, path))
        for path, en, zh in check_checklist(checklist)
    ]
    if semantic:
        raise ChecklistError(semantic)
    return checklist


# --- structure ------------------------------------------------------------------------------------


def _is_struct(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, msgspec.Struct)


def _structure_findings(data: Any, struct: type[msgspec.Struct], path: str) -> list[tuple[str, str, str]]:
    """Decode ``data`` as ``struct`` field by field so one bad field does not hide the next."""
    if not isinstance(data, dict):
        try:
            msgspec.convert(data, type=struct)
        except msgspec.ValidationError as exc:
            reason, sub = split_path(str(exc))
            return [translate(reason, _concat(path, sub))]
        return []
    findings: list[tuple[str, str, str]] = []
    fields = {field.encode_name: field for field in msgspec.structs.fields(struct)}
    for key in data:
        if key not in fields:
            findings.append(translate(f"Object contains unknown field `{key}`", path))
    for name, field in fields.items():
        if name not in data:
            if field.required:
                findings.append(translate(f"Object missing required field `{name}`", path))
            continue
        value = data[name]
        field_path = join_path(path, name)
        element = _list_of_struct(field.type)
        if _is_struct(field.type):
            findings.extend(_structure_findings(value, field.type, field_path))
        elif element is not None and isinstance(value, list):
            for index, entry in enumerate(value):
                findings.extend(_structure_findings(entry, element, join_path(field_path, index)))
        else:
            try:
                msgspec.convert(value, type=field.type)
            except msgspec.ValidationError as exc:
                reason, sub = split_path(str(exc))
                findings.append(translate(reason, _concat(field_path, sub)))
    return findings


def _list_of_struct(tp: Any) -> type[msgspec.Struct] | None:
    if typing.get_origin(tp) is list:
        (arg,) = typing.get_args(tp)
        if _is_struct(arg):
            return arg
    return None


def _concat(prefix: str, sub: str) -> str:
    """Join a prefix path and a msgspec sub-path (``[0].code`` or ``code``)."""
    if not sub:
        return prefix
    if sub.startswith("["):
        return prefix + sub
    return join_path(prefix, sub)


# --- formats --------------------------------------------------------------------------------------


_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: ~5x faster


class _YamlLoader(_BaseLoader):  # type: ignore[misc,valid-type]
    """Safe YAML without date conversion (dates stay the text written) and with duplicate keys refused."""

    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
    }

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, typing.Hashable) and key in seen:
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping",
                    node.start_mark,
                    f"found duplicate key {key!r}",
                    key_node.start_mark,
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _read_yaml(text: str, source: str) -> tuple[Any, dict[str, int]]:
    loader = _YamlLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        reason = getattr(exc, "problem", None) or str(exc)
        raise ChecklistError([
            _problem(source, "", f"YAML syntax error: {reason}", f"YAML 语法错误：{reason}", line=line)
        ]) from exc
    finally:
        loader.dispose()
    lines: dict[str, int] = {}
    if node is not None:
        _yaml_lines(node, "", lines)
    return data, lines


def _yaml_lines(node: yaml.Node, path: str, out: dict[str, int]) -> None:
    out.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                child = join_path(path, key_node.value)
                out[child] = key_node.start_mark.line + 1
                _yaml_lines(value_node, child, out)
    elif isinstance(node, yaml.SequenceNode):
        for index, value_node in enumerate(node.value):
            _yaml_lines(value_node, join_path(path, index), out)


_TOML_AT = re.compile(r"\(at line (\d+), column \d+\)")


def _read_toml(text: str, source: str) -> Any:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        reason = str(exc)
        match = _TOML_AT.search(reason)
        line = int(match.group(1)) if match else None
        reason = _TOML_AT.sub("", reason).strip()
        raise ChecklistError([
            _problem(source, "", f"TOML syntax error: {reason}", f"TOML 语法错误：{reason}", line=line)
        ]) from exc
    return _dates_as_text(data)


def _dates_as_text(value: Any) -> Any:
    """TOML has date literals; the schema holds dates as text (``effective = 2024-01-01``)."""
    if isinstance(value, dict):
        return {key: _dates_as_text(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_dates_as_text(item) for item in value]
    if isinstance(value, (dt.date, dt.time)):  # datetime is a date
        return value.isoformat()
    return value


def _read_json(text: str, source: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ChecklistError([
            _problem(
                source, "", f"JSON syntax error: {exc.msg}", f"JSON 语法错误：{exc.msg}", line=exc.lineno
            )
        ]) from exc


# --- helpers --------------------------------------------------------------------------------------


def _problem(
    source: str, path: str, message: str, message_zh: str, *, line: int | None = None
) -> ChecklistProblem:
    return ChecklistProblem(file=source, path=path, message=message, message_zh=message_zh, line=line)


def _line_for(lines: Lines, path: str) -> int | None:
    """The line of ``path`` or of its nearest ancestor that has one (a missing field's object)."""
    while True:
        if path in lines:
            return lines[path]
        if not path:
            return None
        cut = max(path.rfind("."), path.rfind("["))
        path = path[:cut] if cut > 0 else ""


def _type_name(value: Any) -> str:
    return {
        type(None): "nothing (empty file)",
        list: "a list",
        str: "text",
        int: "a number",
        float: "a number",
        bool: "true/false",
    }.get(type(value), type(value).__name__)
