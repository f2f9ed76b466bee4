"""Shared shaping of a risk-grading result, so LEC and the matrix explain themselves alike."""

from __future__ import annotations

from typing import Any

from plugins.evaluator import RISK_LEVEL_LABELS, EvaluationInputError, EvaluationResult, fmt

from .bands import RiskBands, classify, describe_band
from .tables import Factor

NOT_GRADED_LABEL = "不分级（可接受风险）"
BOUNDARY_RULE = "取其下限已达到的最高等级（inclusive 为真时等于下限即属该级）；低于一般风险下限的均为低风险"
BOUNDARY_RULE_WITH_LOW = "取其下限已达到的最高等级（inclusive 为真时等于下限即属该级）；低于低风险下限的不分级"


def check_factor(factor: Factor, value: float, field: str) -> str:
    """The label of ``value``; raise naming ``field`` when the table does not hold it."""
    label = factor.label_of(value)
    if label is None:
        allowed = ", ".join(fmt(v) for v in factor.allowed())
        raise EvaluationInputError(
            field,
            f"{fmt(value)} is not a value of the table for {field.upper()}; allowed: {allowed}",
            f"{factor.title}取值 {fmt(value)} 不在取值表中，允许的取值：{allowed}",
        )
    return label


def risk_result(
    *,
    evaluator: Any,
    symbol: str,
    value: float,
    maximum: float,
    factors: list[tuple[str, Factor, float, str]],
    bands: RiskBands,
    extra_label: dict[str, str] | None = None,
) -> EvaluationResult:
    """Classify ``value`` and explain the product, the band it fell in and its boundary sides."""
    level = classify(value, bands)
    label = RISK_LEVEL_LABELS[level] if level else NOT_GRADED_LABEL
    product = " × ".join(fmt(v) for _, _, v, _ in factors)
    lines = [f"{name.upper()} = {fmt(v)}（{f.title}：{lab}）" for name, f, v, lab in factors]
    lines.append(f"{symbol} = {product} = {fmt(value)}")
    band = describe_band(level, bands, symbol)
    note = f"，{extra_label[level or 'not_graded']}" if extra_label else ""
    lines.append(f"{band}，判定为{label}{note}")
    return EvaluationResult(
        evaluator=evaluator.id,
        evaluator_version=evaluator.version,
        score=value,
        maximum=maximum,
        grade=level or "not_graded",
        grade_label=label,
        risk_level=level,
        explanation=lines,
        details={
            "factors": {name: {"value": v, "label": lab} for name, _, v, lab in factors},
            "band": band,
            "thresholds": {
                lvl: {"min": cut.min, "inclusive": cut.inclusive} for lvl, cut in bands.cuts()
            },
            "boundary_rule": BOUNDARY_RULE if bands.low is None else BOUNDARY_RULE_WITH_LOW,
        },
    )
