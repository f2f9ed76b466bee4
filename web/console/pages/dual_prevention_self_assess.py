"""自评估 by an enterprise user on the console's evaluation pages (``evaluation.self_assess``).

The API lets an enterprise user run only the evaluators with a ``scale`` (the dual-prevention
standards for enterprises) for its own enterprise; the evaluation pages ask here which evaluators
to offer, so the form shows exactly those and anything else is the API's 403.
"""

from __future__ import annotations

from typing import Any

from core.access.permissions import require
from core.access.scope import Principal
from core.errors import Forbidden
from plugins.evaluations.service import list_evaluators
from plugins.registry import PluginRegistry


def offered(registry: PluginRegistry, principal: Principal, evaluator_id: str = "") -> list[Any]:
    """The evaluators this user may run: all for ``evaluation.run``; for an enterprise user
    (``evaluation.self_assess``) only the standards for enterprises — any other is 403, as the API's."""
    if principal.role != "enterprise_user":
        require(principal.role, "evaluation.run")
        return list_evaluators(registry, principal)
    require(principal.role, "evaluation.self_assess")
    found = [e for e in list_evaluators(registry, principal) if getattr(registry.evaluator(e.id), "scale", None) is not None]
    if evaluator_id and evaluator_id not in {e.id for e in found}:
        raise Forbidden(f"an enterprise assesses itself only against an evaluation standard for enterprises, not {evaluator_id}",
                        "企业用户只能使用企业评估标准进行自评估", field="evaluator")
    return found


def of_scale(registry: PluginRegistry, evaluators: list[Any], scale: str) -> list[Any]:
    """Those of ``evaluators`` whose standard is for enterprises of ``scale`` (大中型 / 小微型)."""
    return [e for e in evaluators if getattr(registry.evaluator(e.id), "scale", None) == scale]
