"""Request and response bodies of the evaluation API (msgspec Structs, documented in OpenAPI)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import msgspec

from plugins.evaluator import EvaluationResult

EvaluatorId = Annotated[str, msgspec.Meta(min_length=1, max_length=128, description="评估器编号，如 risk.lec")]


class EvaluationIn(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """Run ``evaluator`` on ``input`` for one enterprise; ``input`` follows the evaluator's schema."""

    enterprise_id: Annotated[str, msgspec.Meta(min_length=1, max_length=36)]
    evaluator: EvaluatorId
    input: Annotated[dict[str, Any], msgspec.Meta(description="评估输入，格式见 GET /api/v1/evaluators 的 input_schema")]


class EvaluationOut(msgspec.Struct, kw_only=True):
    """A stored evaluation: the input as stored (references pinned), its hash and the result."""

    id: str
    enterprise_id: str
    evaluator: str
    evaluator_version: str
    input: dict[str, Any]
    input_hash: str
    result: EvaluationResult
    score: float
    maximum: float
    grade: str | None
    risk_level: str | None
    created_by: str | None
    created_at: datetime


class EvaluatorOut(msgspec.Struct, kw_only=True):
    """An evaluator on offer and the JSON schema of its input.

    ``input_reference_schema`` is set for evaluators that also accept a reference to stored data
    instead of the data itself (``checklist.score``: a published checklist version by id, or a
    stored submission by ``submission_id``; ``anyOf`` the forms).
    """

    id: str
    title: str
    version: str
    plugin: str
    input_schema: dict[str, Any]
    input_reference_schema: dict[str, Any] | None = None


class RiskLevelIn(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """Set the enterprise's risk level to the one a stored risk evaluation gave.

    ``expected_version`` (optional) refuses the change with 409 if the enterprise file changed.
    """

    evaluation_id: Annotated[str, msgspec.Meta(min_length=1, max_length=36)]
    expected_version: int | None = None


# --- a standard's content (GET /api/v1/evaluators/{id}/standard) ---------------------------------


class StandardRuleOut(msgspec.Struct, kw_only=True):
    """扣分规则: ``each`` deducts ``points`` per occurrence, ``once`` at most once."""

    code: str
    text: str
    points: float
    per: str


class StandardItemOut(msgspec.Struct, kw_only=True):
    """评估要点 and its deduction rules (the codes an assessment's ``deductions[].rule`` names)."""

    code: str
    text: str
    points: float
    method: str = ""
    rules: list[StandardRuleOut]


class StandardElementOut(msgspec.Struct, kw_only=True):
    """评估要素: a group of items and where it comes from."""

    code: str
    title: str
    source: str = ""
    items: list[StandardItemOut]


class StandardVetoOut(msgspec.Struct, kw_only=True):
    """否决项; ``trigger`` names the server record that triggers it by itself (else null)."""

    code: str
    text: str
    trigger: str | None = None


class StandardGradeOut(msgspec.Struct, kw_only=True):
    grade: str
    label: str
    min: float


class StandardOut(msgspec.Struct, kw_only=True):
    """An evaluator's standard: elements → items → rule codes, veto items, pass line and grades."""

    evaluator: str
    id: str
    title: str
    version: str
    scale: str | None = None
    provisional: bool = False
    total_points: float
    pass_percent: float
    grades: list[StandardGradeOut]
    elements: list[StandardElementOut]
    vetoes: list[StandardVetoOut]
