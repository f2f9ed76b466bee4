"""The dual-prevention evaluation plugin, through the public hook only."""

from __future__ import annotations

from plugins.hookspecs import hookimpl

from .evaluation import DualPreventionEvaluator
from .standard import builtin_standard


@hookimpl
def anjian_evaluators() -> list[object]:
    """``dual_prevention.large_medium`` and ``dual_prevention.small_micro`` (provisional data)."""
    return [
        DualPreventionEvaluator(builtin_standard("large_medium")),
        DualPreventionEvaluator(builtin_standard("small_micro")),
    ]
