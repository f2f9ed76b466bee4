"""四色 summary of a register and what it still lacks.

分级管控: a risk is controlled at least at the level its colour calls for — 重大 by the company,
较大 by the workshop, 一般 by the team, 低 at the post — and by every level below it that works
there. A point without any control, or without one at its own level, is a gap the enterprise (and
its 联络员) sees.
"""

from __future__ import annotations

from collections import Counter

from core.risk_register.grading import LEVEL_LABELS, LEVEL_ORDER, highest
from core.risk_register.records import RiskPoint
from core.risk_register.vocabulary import CONTROL_LEVEL_LABELS, CONTROL_LEVELS
from core.risk_register.wire import RegisterSummary

REQUIRED_CONTROL_LEVEL = {"major": "company", "high": "workshop", "moderate": "team", "low": "post"}


def lacks_level_control(point: RiskPoint) -> bool:
    """A point with controls, none of them at the level its colour requires."""
    required = REQUIRED_CONTROL_LEVEL[point.risk_level]
    return bool(point.controls) and not any(c["level"] == required for c in point.controls)


def point_gaps(point: RiskPoint) -> list[str]:
    """What one point lacks, in words."""
    if not point.controls:
        return [f"{point.code} {point.name}：未制定管控措施"]
    if lacks_level_control(point):
        required = REQUIRED_CONTROL_LEVEL[point.risk_level]
        return [f"{point.code} {point.name}（{LEVEL_LABELS[point.risk_level]}）：缺少{CONTROL_LEVEL_LABELS[required]}管控措施"]
    return []


def summarise(points: list[RiskPoint]) -> RegisterSummary:
    """Counts per colour and per control level, the highest level, and the gaps."""
    by_level = Counter(p.risk_level for p in points)
    controls = Counter(c["level"] for p in points for c in p.controls)
    gaps = [gap for p in points for gap in point_gaps(p)]
    if not points:
        gaps.append("尚未辨识任何风险点")
    return RegisterSummary(
        points=len(points), by_level={level: by_level.get(level, 0) for level in LEVEL_ORDER},
        controls=sum(controls.values()), controls_by_level={level: controls.get(level, 0) for level in CONTROL_LEVELS},
        highest_level=highest([p.risk_level for p in points]), gaps=gaps,
    )
