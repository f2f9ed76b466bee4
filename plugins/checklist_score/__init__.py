"""Checklist score (检查表评分): weighted score of a submission on its pinned checklist version."""

from .plugin import anjian_evaluators
from .scoring import ChecklistScoreEvaluator, ChecklistScoreInput, ItemAnswer

__all__ = ["ChecklistScoreEvaluator", "ChecklistScoreInput", "ItemAnswer", "anjian_evaluators"]
