"""The risk-grading plugin: LEC and the risk matrix, through the public hook only."""

from __future__ import annotations

from plugins.hookspecs import hookimpl

from .lec import LecEvaluator
from .matrix import RiskMatrixEvaluator


@hookimpl
def anjian_evaluators() -> list[object]:
    """LEC (``risk.lec``) and the 5 × 5 risk matrix (``risk.matrix``) with default thresholds."""
    return [LecEvaluator(), RiskMatrixEvaluator()]
