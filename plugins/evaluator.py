"""The public evaluator contract: what a scoring plugin provides and what it returns.

An evaluator turns one typed input into one explained result. Evaluators are pure and
deterministic (no clock, no storage, no randomness), so a stored input can always be re-scored and
the result compared. Plugins return evaluators from the ``anjian_evaluators`` hook; the host
validates request bodies against ``input_type`` (which also documents it in OpenAPI) and calls
``evaluate``. Bad input is reported as ``EvaluationInputError`` naming the field path.
"""

from __future__ import annotations

import types
import typing
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal, Protocol, runtime_checkable

import msgspec

RiskLevel = Literal["major", "high", "moderate", "low"]

RISK_LEVEL_LABELS: dict[str, str] = {
    "major": "重大风险（红）",
    "high": "较大风险（橙）",
    "moderate": "一般风险（黄）",
    "low": "低风险（蓝）",
}


class Deduction(msgspec.Struct, kw_only=True, frozen=True):
    """Points lost on one item, and why (扣分项)."""

    item: str
    points: float
    reason: str


class Veto(msgspec.Struct, kw_only=True, frozen=True):
    """A veto item (否决项) or flag that overrides the score, e.g. an unrectified major hazard."""

    item: str
    reason: str


class EvaluationResult(msgspec.Struct, kw_only=True, frozen=True):
    """The explained outcome of one evaluation.

    ``score`` and ``maximum`` are in the evaluator's own unit (points, or D / R for risk grading);
    ``percent`` is ``score / maximum × 100`` where that means something. ``grade`` is a stable
    identifier (e.g. ``pass``, ``excellent``, ``high``), ``grade_label`` its Chinese name.
    ``passed`` is set by evaluators with a pass line. ``explanation`` holds human-readable Chinese
    lines; ``details`` holds evaluator-specific figures (documented per evaluator).
    """

    evaluator: str
    evaluator_version: str
    score: float
    maximum: float
    percent: float | None = None
    grade: str | None = None
    grade_label: str | None = None
    passed: bool | None = None
    risk_level: RiskLevel | None = None
    deductions: list[Deduction] = msgspec.field(default_factory=list)
    vetoes: list[Veto] = msgspec.field(default_factory=list)
    explanation: list[str] = msgspec.field(default_factory=list)
    details: dict[str, Any] = msgspec.field(default_factory=dict)


# Counts the host computes from its own records for the dual-prevention evaluation (双重预防), so a
# standard's deduction rule can name one (``computed``) instead of asking the assessor:
SystemFact = Literal[
    "no_register",  # 1 when the enterprise has no active risk point (风险清单未建立)
    "points_without_controls",  # active risk points without any control
    "points_missing_level_control",  # points without a control at the level their colour requires
    "no_four_colour_map",  # 1 when no risk point is placed on a plant plan (四色分布图未绘制)
    "no_check_lists",  # 1 when no 隐患排查清单 was generated from the register
    "controls_without_check_item",  # controls changed or added after the latest generated check list
    "no_self_checks",  # 1 when no self-check was done in the past 12 months
    "self_check_tasks_missed",  # self-check tasks of the past 12 months not done in their period
    "hazards_late",  # hazards of the past 12 months not rectified by their deadline
]
SYSTEM_FACT_LABELS: dict[str, str] = {
    "no_register": "系统记录：未建立风险清单",
    "points_without_controls": "系统记录：未制定管控措施的风险点",
    "points_missing_level_control": "系统记录：缺少对应层级管控措施的风险点",
    "no_four_colour_map": "系统记录：风险点未标注在厂区平面图上（未绘制四色分布图）",
    "no_check_lists": "系统记录：未由风险清单生成隐患排查清单",
    "controls_without_check_item": "系统记录：最近一次生成排查清单后新增或修改的管控措施",
    "no_self_checks": "系统记录：近12个月无自查记录",
    "self_check_tasks_missed": "系统记录：近12个月未按期完成的自查任务",
    "hazards_late": "系统记录：近12个月未按期整改的隐患",
}


class EnterpriseFacts(msgspec.Struct, kw_only=True, frozen=True, forbid_unknown_fields=True):
    """What the server's own records say about the enterprise being evaluated.

    An evaluator whose ``input_type`` has a field ``enterprise_facts: EnterpriseFacts | None``
    gets it filled by the host from storage before it is evaluated (whatever a client sent there
    is replaced), so the evaluator stays pure while the system's own data feeds it. The filled
    facts are stored with the input, so the stored input still names exactly what was scored.
    ``open_listed_major_hazards``: ids of the enterprise's open major hazards under listed
    supervision (挂牌督办), sorted. ``system_counts``: every ``SystemFact`` counted from the risk
    register, the self-check tasks and the hazards (None: not computed, e.g. an old stored input).
    """

    open_listed_major_hazards: list[str] = msgspec.field(default_factory=list)
    system_counts: dict[SystemFact, int] | None = None


class EvaluationInputError(ValueError):
    """Input an evaluator cannot score; ``field`` is the path, e.g. ``answers["A1"].value``."""

    def __init__(self, field: str, message: str, message_zh: str) -> None:
        super().__init__(f"{field}: {message}" if field else message)
        self.field = field
        self.message = message
        self.message_zh = message_zh

    def to_dict(self) -> dict[str, str]:
        """The error as the API reports it."""
        return {"field": self.field, "message": self.message, "message_zh": self.message_zh}


@runtime_checkable
class Evaluator(Protocol):
    """A scoring evaluator. ``id`` is stable across versions (results are stored under it);
    ``version`` is semver and changes whenever the same input could give a different result."""

    id: str
    title: str
    version: str
    input_type: type[msgspec.Struct]
    # Optional, read with getattr by the host: ``scale`` (``large_medium`` / ``small_micro``) the
    # enterprise must have (the host refuses others); ``standard`` (a msgspec Struct: elements →
    # items → rules, vetoes, grades) shown by ``GET /api/v1/evaluators/{id}/standard``.

    def evaluate(self, input: Any) -> EvaluationResult:
        """Score ``input`` (an instance of ``input_type``); raise ``EvaluationInputError``."""
        ...


def evaluate_raw(evaluator: Evaluator, data: dict[str, Any] | bytes | str) -> EvaluationResult:
    """Decode ``data`` (JSON bytes/str or a dict) into the evaluator's input type and evaluate it.

    Any structural or semantic problem is raised as ``EvaluationInputError`` naming the field.
    """
    if isinstance(data, (bytes, str)):
        try:
            data = msgspec.json.decode(data)
        except msgspec.DecodeError as exc:
            raise EvaluationInputError("", f"invalid JSON: {exc}", f"JSON 格式错误：{exc}") from exc
    value = decode_input(evaluator.input_type, data)
    return evaluator.evaluate(value)


def decode_input(input_type: type[msgspec.Struct], data: Any) -> Any:
    """Convert plain data into ``input_type``, raising ``EvaluationInputError`` with the path."""
    try:
        return msgspec.convert(data, input_type)
    except msgspec.ValidationError as exc:
        field, message = _locate(input_type, data, str(exc))
        raise EvaluationInputError(field, message, _zh(message)) from exc


# --- error location ------------------------------------------------------------------------------
# msgspec reports dict values as ``[...]`` without the key; inputs such as ``answers`` are keyed
# by item code, and a user needs that code. We walk the data along the reported path and find the
# first key whose value fails to convert.


def _locate(root_type: Any, data: Any, text: str) -> tuple[str, str]:
    message, _, where = text.partition(" - at `")
    path = where.rstrip("`") if where else "$"
    segments = _split_path(path)
    resolved: list[str] = []
    tp, node = root_type, data
    for kind, name in segments:
        tp = _unwrap(tp)
        if kind == "field":
            hints = typing.get_type_hints(tp, include_extras=True) if _is_struct(tp) else {}
            tp = hints.get(name, Any)
            node = node.get(name) if isinstance(node, dict) else None
            resolved.append(f".{name}" if resolved else name)
        elif kind == "index":
            args = typing.get_args(tp)
            tp = args[0] if args else Any
            node = node[int(name)] if isinstance(node, list) and int(name) < len(node) else None
            resolved.append(f"[{name}]")
        else:  # a dict value, key unknown
            args = typing.get_args(tp)
            tp = args[1] if len(args) == 2 else Any
            key = _failing_key(node, tp)
            node = node.get(key) if isinstance(node, dict) and key is not None else None
            shown = msgspec.json.encode(key).decode() if key is not None else "..."
            resolved.append(f"[{shown}]")
    field = "".join(resolved)
    for prefix in ("Object missing required field `", "Object contains unknown field `"):
        if message.startswith(prefix):
            name = message[len(prefix) :].split("`")[0]
            field = f"{field}.{name}" if field else name
    return field, message


def _split_path(path: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    i, rest = 0, path[1:] if path.startswith("$") else path
    while i < len(rest):
        if rest[i] == ".":
            j = i + 1
            while j < len(rest) and rest[j] not in ".[":
                j += 1
            out.append(("field", rest[i + 1 : j]))
            i = j
        elif rest.startswith("[...]", i):
            out.append(("key", ""))
            i += 5
        elif rest[i] == "[":
            j = rest.index("]", i)
            out.append(("index", rest[i + 1 : j]))
            i = j + 1
        else:
            break
    return out


def _unwrap(tp: Any) -> Any:
    if typing.get_origin(tp) is typing.Annotated:
        tp = typing.get_args(tp)[0]
    args = typing.get_args(tp)
    if args and typing.get_origin(tp) in (typing.Union, types.UnionType):
        non_none = [a for a in args if a is not type(None)]
        if len(non_none) == 1:
            return _unwrap(non_none[0])
    return tp


def _is_struct(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, msgspec.Struct)


def _failing_key(node: Any, value_type: Any) -> str | None:
    if not isinstance(node, dict):
        return None
    for key, value in node.items():
        try:
            msgspec.convert(value, value_type)
        except msgspec.ValidationError:
            return key
    return None


def _zh(message: str) -> str:
    """A Chinese rendering of msgspec's common validation messages."""
    replacements = [
        ("Object missing required field", "缺少必填字段"),
        ("Object contains unknown field", "包含未知字段"),
        ("Invalid enum value", "取值不在允许范围内"),
        ("Expected", "类型错误：应为"),
        (", got", "，实际为"),
        ("Expected `object`", "应为对象"),
    ]
    out = message
    for en, zh in replacements:
        out = out.replace(en, zh)
    return out


# --- helpers for evaluator authors -------------------------------------------------------------


def round2(value: float) -> float:
    """Round half up to two decimals, the way score sheets are rounded (not banker's rounding)."""
    return float(Decimal(repr(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def fmt(value: float) -> str:
    """A number for explanations: no trailing ``.0``."""
    text = f"{round2(value):.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text
