"""Reading an evaluator's standard: which items, points, rule codes and veto items it scores by.

An assessor fills in ``items[code].deductions[].rule`` and ``vetoes[].code``; those codes live in
the standard, so the API shows it. Any evaluator with a ``standard`` attribute (a msgspec Struct
of the dual-prevention shape) is shown; one without answers 404 naming ``evaluator``.
"""

from __future__ import annotations

from typing import Any

import msgspec

from core.access.permissions import require
from core.access.scope import Principal
from core.errors import not_found
from plugins.evaluations.service import _plugin_defect, find_evaluator
from plugins.evaluations.wire import StandardOut
from plugins.registry import PluginRegistry


def evaluator_standard(registry: PluginRegistry, principal: Principal, evaluator_id: str) -> StandardOut:
    """The standard ``evaluator_id`` scores by; 404 when no plugin offers it or it has none."""
    require(principal.role, "evaluation.read")
    evaluator = find_evaluator(registry, evaluator_id)
    standard: Any = getattr(evaluator, "standard", None)
    if standard is None:
        error = not_found(f"standard of evaluator {evaluator_id}", f"评估器 {evaluator_id} 的评估标准")
        error.field = "evaluator"
        raise error
    try:
        data = msgspec.to_builtins(standard)
        data.pop("evaluator", None)
        return msgspec.convert({**data, "evaluator": evaluator.id}, StandardOut)
    except (msgspec.ValidationError, TypeError) as exc:  # the plugin's standard is not of the documented shape
        _plugin_defect(registry, evaluator, exc)
