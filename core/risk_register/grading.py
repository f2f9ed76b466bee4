"""How a risk point's colour follows from its assessment and the direct-judgement rules.

A direct judgement (直接判定) makes the point 重大 (red) whatever the assessment says: an unrectified
major hazard, a fatal accident in the past year, a breach of a law or of a mandatory clause of a
national standard. Otherwise the evaluator's level is the point's level; a result below the lowest
band (LEC D < 20, "可接受风险", not graded) is controlled as 低风险 (blue): every identified point
keeps a colour on the 四色分布图 and a control level.
"""

from __future__ import annotations

from typing import Any, Protocol

import msgspec

from core.risk_register.vocabulary import DIRECT_RULE_LABELS

COLOURS = {"major": "red", "high": "orange", "moderate": "yellow", "low": "blue"}
COLOUR_LABELS = {"major": "红", "high": "橙", "moderate": "黄", "low": "蓝"}
LEVEL_LABELS = {"major": "重大风险", "high": "较大风险", "moderate": "一般风险", "low": "低风险"}
LEVEL_ORDER = ("major", "high", "moderate", "low")


class AssessmentOutcome(msgspec.Struct, kw_only=True, frozen=True):
    """What an evaluator made of a point's factors (``level`` None: below the lowest band)."""

    evaluator: str
    evaluator_version: str
    score: float
    level: str | None
    level_label: str
    explanation: list[str]


class RiskAssessor(Protocol):
    """Runs the LEC or LS evaluator of the installed plugins (wired by the server, so core does not
    import plugins). Raises ``InvalidInput`` naming ``assessment.inputs.<factor>`` for values outside
    the method's tables."""

    def assess(self, method: str, inputs: dict[str, float]) -> AssessmentOutcome: ...


def resulting_level(outcome: AssessmentOutcome, direct: list[dict[str, Any]]) -> tuple[str, list[str]]:
    """The point's level and the reasons for it, in the order a reader checks them."""
    if direct:
        reasons = [f"直接判定为重大风险：{DIRECT_RULE_LABELS[d['rule']]}（{d['note']}）" for d in direct]
        if outcome.level != "major":
            reasons.append(f"风险评价结果为{outcome.level_label}，因直接判定而定为重大风险")
        return "major", reasons
    if outcome.level is None:
        return "low", [f"风险评价结果为{outcome.level_label}，按低风险（蓝）管控"]
    return outcome.level, [f"风险评价结果：{outcome.level_label}"]


def highest(levels: list[str]) -> str | None:
    """The most severe of ``levels`` (None for none)."""
    present = set(levels)
    return next((level for level in LEVEL_ORDER if level in present), None)
