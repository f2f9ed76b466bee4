"""The risk register's assessor: LEC and LS points scored by the installed risk evaluators.

core.risk_register cannot import plugins; the server hands it this object, which finds
``risk.lec`` / ``risk.matrix`` in the plugin registry, so a deployment that replaces them with its
own thresholds (a plugin giving an evaluator of the same id) grades its registers by its own rule.
"""

from __future__ import annotations

from core.errors import InvalidInput
from core.risk_register.grading import AssessmentOutcome
from plugins.evaluator import EvaluationInputError, evaluate_raw
from plugins.registry import PluginRegistry

EVALUATOR_OF_METHOD = {"lec": "risk.lec", "ls": "risk.matrix"}
NOT_GRADED = "不分级（可接受风险）"


class RegistryRiskAssessor:
    """Assesses with the registry's evaluators; bad factors are a 400 naming ``assessment.inputs.<f>``."""

    def __init__(self, registry: PluginRegistry) -> None:
        self.registry = registry

    def assess(self, method: str, inputs: dict[str, float]) -> AssessmentOutcome:
        evaluator_id = EVALUATOR_OF_METHOD[method]
        evaluator = self.registry.evaluator(evaluator_id)
        if evaluator is None:
            raise InvalidInput(
                f"no evaluator {evaluator_id} is installed for method {method}",
                f"未安装风险评价方法 {method} 所需的评价器 {evaluator_id}",
                field="assessment.method",
            )
        try:
            # Whole numbers as ints: LS takes integers; LEC's float fields take them too.
            factors = {k: int(v) if float(v).is_integer() else v for k, v in inputs.items() if k != "thresholds"}
            result = evaluate_raw(evaluator, factors)
        except EvaluationInputError as exc:
            path = f"assessment.inputs.{exc.field}" if exc.field else "assessment.inputs"
            raise InvalidInput(exc.message, exc.message_zh, field=path) from exc
        return AssessmentOutcome(
            evaluator=result.evaluator, evaluator_version=result.evaluator_version, score=result.score,
            level=result.risk_level, level_label=result.grade_label or NOT_GRADED, explanation=list(result.explanation),
        )
