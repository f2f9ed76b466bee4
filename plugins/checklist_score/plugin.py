"""The checklist-score plugin, through the public hook only."""

from __future__ import annotations

from plugins.hookspecs import hookimpl

from .scoring import ChecklistScoreEvaluator


@hookimpl
def anjian_evaluators() -> list[object]:
    """The checklist score (``checklist.score``)."""
    return [ChecklistScoreEvaluator()]
