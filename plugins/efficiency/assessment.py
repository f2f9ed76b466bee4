"""Safety efficiency assessment (安全效能测评): weighted indicators graded 优/良/中/差."""

from __future__ import annotations

import msgspec

from plugins.evaluator import Deduction, EvaluationInputError, EvaluationResult, Veto, fmt, round2

from .config import EfficiencyConfig, Indicator, check_config, default_config


class EfficiencyInput(msgspec.Struct, forbid_unknown_fields=True, kw_only=True, frozen=True):
    """Every configured indicator's value keyed by code; ``config`` replaces the default."""

    values: dict[str, float]
    config: EfficiencyConfig | None = None


def _field(code: str) -> str:
    return f"values[{msgspec.json.encode(code).decode()}]"


def indicator_score(ind: Indicator, value: float) -> float:
    """0 at ``worst``, 100 at ``best``, linear between and clamped outside."""
    share = (value - ind.worst) / (ind.best - ind.worst)
    return min(1.0, max(0.0, share)) * 100


def vetoed(ind: Indicator, value: float) -> bool:
    """True when ``value`` reaches ``veto_at`` in the direction of ``worst``."""
    if ind.veto_at is None:
        return False
    return value >= ind.veto_at if ind.worst > ind.best else value <= ind.veto_at


def check_value(ind: Indicator, value: float) -> None:
    """Raise when ``value`` lies outside the indicator's allowed range."""
    if (ind.min is not None and value < ind.min) or (ind.max is not None and value > ind.max):
        low = fmt(ind.min) if ind.min is not None else "-∞"
        high = fmt(ind.max) if ind.max is not None else "+∞"
        raise EvaluationInputError(
            _field(ind.code),
            f"{fmt(value)} is outside the allowed range [{low}, {high}]",
            f"{ind.title}的取值 {fmt(value)} 超出允许范围 [{low}, {high}]",
        )


class EfficiencyEvaluator:
    """Grades an enterprise's safety efficiency from configured indicators."""

    id = "efficiency.assessment"
    title = "安全效能测评"
    version = "1.0.0"
    input_type = EfficiencyInput

    def __init__(self, config: EfficiencyConfig | None = None) -> None:
        self.config = config or default_config()
        check_config(self.config)

    def evaluate(self, input: EfficiencyInput) -> EvaluationResult:
        """Weighted mean of indicator scores; a veto indicator forces the lowest grade."""
        config = input.config or self.config
        if input.config is not None:
            check_config(config)
        codes = {ind.code for ind in config.indicators}
        for code in input.values:
            if code not in codes:
                raise EvaluationInputError(
                    _field(code), f"unknown indicator {code!r}", f"未配置的指标 {code}"
                )
        total_weight = sum(ind.weight for ind in config.indicators)
        lost_total = 0.0
        deductions: list[Deduction] = []
        vetoes: list[Veto] = []
        per_indicator: dict[str, dict[str, float]] = {}
        lines: list[str] = []
        for ind in config.indicators:
            if ind.code not in input.values:
                raise EvaluationInputError(
                    _field(ind.code), "indicator value missing", f"缺少指标“{ind.title}”的取值"
                )
            value = input.values[ind.code]
            check_value(ind, value)
            score = indicator_score(ind, value)
            lost = ind.weight / total_weight * (100 - score)
            lost_total += lost
            per_indicator[ind.code] = {"value": value, "score": round2(score), "lost": round2(lost)}
            lines.append(
                f"{ind.title} {fmt(value)}{ind.unit}：指标得分 {fmt(score)}，权重 {fmt(ind.weight)}"
                + (f"，扣 {fmt(lost)} 分" if lost else "")
            )
            if lost:
                deductions.append(
                    Deduction(
                        item=ind.code,
                        points=round2(lost),
                        reason=f"{ind.title} {fmt(value)}{ind.unit}（{fmt(ind.best)} 为满分，"
                        f"{fmt(ind.worst)} 为零分）",
                    )
                )
            if vetoed(ind, value):
                reason = ind.veto_reason or f"{ind.title}达到否决值 {fmt(ind.veto_at or 0)}"
                vetoes.append(Veto(item=ind.code, reason=reason))
        total = round2(max(0.0, 100 - lost_total))
        band = next(b for b in config.grades if total >= b.min)
        if vetoes:
            band = config.grades[-1]
        lines.append(f"综合得分 {fmt(total)}（满分 100，加权平均）")
        lines += [f"否决：{v.reason}，测评等级定为“{band.label}”" for v in vetoes]
        lines.append(f"测评等级：{band.label}")
        return EvaluationResult(
            evaluator=self.id,
            evaluator_version=self.version,
            score=total,
            maximum=100,
            percent=total,
            grade=band.grade,
            grade_label=band.label,
            deductions=deductions,
            vetoes=vetoes,
            explanation=lines,
            details={
                "indicators": per_indicator,
                "grades": [
                    {"grade": b.grade, "label": b.label, "min": b.min} for b in config.grades
                ],
            },
        )
