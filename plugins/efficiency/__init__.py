"""Safety efficiency assessment (安全效能测评): configurable indicators graded 优/良/中/差."""

from .assessment import EfficiencyEvaluator, EfficiencyInput
from .config import EfficiencyConfig, GradeBand, Indicator
from .plugin import anjian_evaluators

__all__ = [
    "EfficiencyConfig",
    "EfficiencyEvaluator",
    "EfficiencyInput",
    "GradeBand",
    "Indicator",
    "anjian_evaluators",
]
