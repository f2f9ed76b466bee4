"""The efficiency-assessment plugin, through the public hook only."""

from __future__ import annotations

from plugins.hookspecs import hookimpl

from .assessment import EfficiencyEvaluator


@hookimpl
def anjian_evaluators() -> list[object]:
    """The safety efficiency assessment (``efficiency.assessment``) with the shipped default."""
    return [EfficiencyEvaluator()]
