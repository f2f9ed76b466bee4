"""Turn msgspec's structural errors into messages a department can act on, in Chinese and English.

msgspec reports ``Expected `str` of length >= 1 - at `$.sections[0].items[2].text```; we split off
the path (``sections[0].items[2].text``) and phrase the reason in both languages.
"""

from __future__ import annotations

import re
import typing

from checklists import schema

# Allowed values of the closed vocabularies, by the field name that holds them.
_CHOICES: dict[str, tuple[str, ...]] = {
    "industry": typing.get_args(schema.Industry),
    "kind": typing.get_args(schema.AnswerKind),
    "scales": typing.get_args(schema.Scale),
    "high_risk_flags": typing.get_args(schema.HighRiskFlag),
}

_PATTERN_HINTS: dict[str, tuple[str, str]] = {
    schema.CHECKLIST_ID_PATTERN: (
        "a dotted lower-case id such as `coal.gas_monitoring`",
        "应为以点分隔的小写标识，如 coal.gas_monitoring",
    ),
    schema.SEMVER_PATTERN: (
        "a MAJOR.MINOR.PATCH version such as `1.0.0` (quote it in YAML)",
        "应为“主版本.次版本.修订号”格式，如 1.0.0（YAML 中请加引号）",
    ),
    schema.ITEM_CODE_PATTERN: (
        "1–64 letters, digits, `_`, `.` or `-`, starting with a letter or digit",
        "应为 1–64 位字母、数字、_、. 或 -，且以字母或数字开头",
    ),
}

_TYPE_ZH = {
    "str": "文本",
    "int": "整数",
    "float": "数字",
    "bool": "布尔值（true/false）",
    "array": "列表",
    "object": "映射（键: 值）",
    "null": "空值",
}

_AT = re.compile(r"^(?P<reason>.*?)(?: - at `\$(?P<path>[^`]*)`)?$", re.S)


def split_path(error_text: str) -> tuple[str, str]:
    """``("reason", "sections[0].code")`` from a msgspec error text; the path is ``""`` at the root."""
    match = _AT.match(error_text)
    assert match is not None  # the pattern matches any string
    path = (match.group("path") or "").lstrip(".")
    return match.group("reason"), path


def join_path(parent: str, key: str | int) -> str:
    """``sections[2]`` + ``items`` -> ``sections[2].items``; ``items`` + 5 -> ``items[5]``."""
    if isinstance(key, int):
        return f"{parent}[{key}]"
    return f"{parent}.{key}" if parent else key


def _field_name(path: str) -> str:
    """The last named field on a path: ``applies_to.scales[1]`` -> ``scales``."""
    last = path.rsplit(".", 1)[-1]
    return last.split("[", 1)[0]


def _type_zh(name: str) -> str:
    return _TYPE_ZH.get(name, name)


def translate(reason: str, path: str) -> tuple[str, str, str]:
    """``(path, message, message_zh)`` for one msgspec reason at ``path``.

    Missing and unknown fields are reported at the field's own path, not the enclosing object's.
    """
    if m := re.fullmatch(r"Object missing required field `(.+)`", reason):
        field = m.group(1)
        return join_path(path, field), f"required field `{field}` is missing", f"缺少必填字段 {field}"
    if m := re.fullmatch(r"Object contains unknown field `(.+)`", reason):
        field = m.group(1)
        return (
            join_path(path, field),
            f"unknown field `{field}` (check the spelling)",
            f"未知字段 {field}（请检查拼写）",
        )
    if m := re.fullmatch(r"Invalid enum value (.+)", reason):
        value = m.group(1)
        choices = _CHOICES.get(_field_name(path))
        allowed = ", ".join(choices) if choices else ""
        en = f"invalid value {value}" + (f"; allowed: {allowed}" if allowed else "")
        zh = f"取值 {value} 无效" + (f"，可选值：{allowed}" if allowed else "")
        return path, en, zh
    if m := re.fullmatch(r"Expected `str` of length >= 1", reason):
        return path, "must not be empty", "不能为空"
    if m := re.fullmatch(r"Expected `(\w+)` of length <= (\d+)", reason):
        return path, f"is longer than {m.group(2)} characters", f"长度不能超过 {m.group(2)} 个字符"
    if m := re.fullmatch(r"Expected `str` matching regex '(.+)'", reason):
        pattern = m.group(1).replace("\\\\", "\\")  # msgspec shows the regex with backslashes doubled
        en_hint, zh_hint = _PATTERN_HINTS.get(pattern, (f"text matching {pattern}", f"应匹配 {pattern}"))
        return path, f"has the wrong form: expected {en_hint}", f"格式不正确：{zh_hint}"
    if m := re.fullmatch(r"Expected `(\w+)` (>=|<=|>|<) (\S+)", reason):
        kind, op, bound = m.groups()
        bound = bound.removesuffix(".0")
        op_zh = {">=": "不小于", "<=": "不大于", ">": "大于", "<": "小于"}[op]
        return path, f"must be {op} {bound}", f"应{op_zh} {bound}"
    if m := re.fullmatch(r"Expected `(.+)`, got `(.+)`", reason):
        expected, got = m.groups()
        expected_zh = "或".join(_type_zh(part) for part in expected.split(" | "))
        return (
            path,
            f"expected {expected}, got {got}",
            f"类型错误：应为{expected_zh}，实际为{_type_zh(got)}",
        )
    return path, reason, f"格式错误：{reason}"
