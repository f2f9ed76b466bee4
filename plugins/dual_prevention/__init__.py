"""Dual-prevention mechanism evaluation (双重预防机制建设运行评估), standards shipped as data."""

from .evaluation import DualPreventionEvaluator, DualPreventionInput, ItemFinding, RuleFinding, VetoFinding
from .plugin import anjian_evaluators
from .standard import Standard, StandardError, builtin_standard, check_standard, load_standard

__all__ = [
    "DualPreventionEvaluator",
    "DualPreventionInput",
    "ItemFinding",
    "RuleFinding",
    "Standard",
    "StandardError",
    "VetoFinding",
    "anjian_evaluators",
    "builtin_standard",
    "check_standard",
    "load_standard",
]
