"""Request and response bodies of the risk register API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import msgspec

from core.risk_register.vocabulary import AccidentType, ControlKind, ControlLevel, DirectRule, Frequency, Method, PointKind
from core.vocabulary import RiskLevel

Text = Annotated[str, msgspec.Meta(min_length=1, max_length=500)]
Short = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
Reason = Annotated[str, msgspec.Meta(min_length=1, max_length=300)]
Fraction = Annotated[float, msgspec.Meta(ge=0, le=1)]
ControlCode = Annotated[str, msgspec.Meta(pattern=r"^C\d{2,4}$")]
PointCode = Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z0-9][A-Za-z0-9-]{0,31}$")]
FactorCode = Annotated[str, msgspec.Meta(pattern=r"^[1-4]\d{0,5}$")]


class In(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    pass


class AssessmentIn(In, kw_only=True):
    """风险评价: the method and its factors (LEC: ``l``, ``e``, ``c``; LS: ``l``, ``s``)."""

    method: Method
    inputs: dict[str, float]


class DirectJudgementIn(In, kw_only=True):
    """直接判定: a situation that makes the risk 重大 whatever the assessment, with what was found."""

    rule: DirectRule
    note: Reason


class ControlIn(In, kw_only=True):
    """管控措施: what is done, of which kind, at which level, by which post and person.

    ``code`` names an existing control of the point (keep it when editing); leave it out for a new
    one. ``frequency`` overrides the level's default check frequency."""

    kind: ControlKind
    text: Text
    level: ControlLevel
    responsible_post: Short
    responsible_person: Short
    code: ControlCode | None = None
    frequency: Frequency | None = None


class RiskPointIn(In, kw_only=True):
    """A risk point as the enterprise identifies it; ``reason`` says why it was added or changed."""

    name: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    kind: PointKind
    hazard_factors: Annotated[list[FactorCode], msgspec.Meta(min_length=1, max_length=30)]
    accident_types: Annotated[list[AccidentType], msgspec.Meta(min_length=1, max_length=20)]
    assessment: AssessmentIn
    controls: Annotated[list[ControlIn], msgspec.Meta(max_length=200)] = msgspec.field(default_factory=list)
    direct_judgements: Annotated[list[DirectJudgementIn], msgspec.Meta(max_length=3)] = msgspec.field(default_factory=list)
    code: PointCode | None = None
    location: Annotated[str, msgspec.Meta(max_length=200)] = ""
    posts: Annotated[list[Short], msgspec.Meta(max_length=30)] = msgspec.field(default_factory=list)
    plan_x: Fraction | None = None
    plan_y: Fraction | None = None
    plan_area: Annotated[list[Annotated[list[Fraction], msgspec.Meta(min_length=2, max_length=2)]], msgspec.Meta(min_length=3, max_length=60)] | None = None
    emergency_contact: Annotated[str, msgspec.Meta(max_length=100)] = ""
    reason: Reason = "初次辨识"


class RiskPointUpdate(RiskPointIn, kw_only=True):
    """A new content of a risk point, based on ``expected_version``; ``reason`` is required."""

    expected_version: int
    reason: Reason  # type: ignore[assignment]


class RetireIn(In, kw_only=True):
    """Take a risk point out of the register (it stays in its history)."""

    reason: Reason
    expected_version: int


class AssessmentOut(msgspec.Struct, kw_only=True):
    """The evaluator's explained result, stored with the point."""

    method: str
    inputs: dict[str, float]
    evaluator: str
    evaluator_version: str
    score: float
    level: str | None
    level_label: str
    explanation: list[str]


class ControlOut(msgspec.Struct, kw_only=True):
    code: str
    kind: str
    kind_label: str
    text: str
    level: str
    level_label: str
    responsible_post: str
    responsible_person: str
    frequency: str
    frequency_label: str
    frequency_is_default: bool


class RiskPointOut(msgspec.Struct, kw_only=True):
    id: str
    enterprise_id: str
    code: str
    name: str
    kind: str
    location: str
    posts: list[str]
    hazard_factors: list[str]
    accident_types: list[str]
    assessment: AssessmentOut
    direct_judgements: list[dict[str, Any]]
    risk_level: RiskLevel
    colour: str
    level_reasons: list[str]
    controls: list[ControlOut]
    plan_x: float | None
    plan_y: float | None
    plan_area: list[list[float]] | None
    emergency_contact: str
    active: bool
    version: int
    created_at: datetime
    updated_at: datetime


class RegisterSummary(msgspec.Struct, kw_only=True):
    """四色分布: points per level, controls per level, and what the register still lacks."""

    points: int
    by_level: dict[str, int]
    controls: int
    controls_by_level: dict[str, int]
    highest_level: str | None
    gaps: list[str]


class RegisterOut(msgspec.Struct, kw_only=True):
    enterprise_id: str
    enterprise_name: str
    summary: RegisterSummary
    points: list[RiskPointOut]


class RevisionOut(msgspec.Struct, kw_only=True):
    risk_point_id: str
    code: str
    name: str
    version: int
    action: str
    reason: str
    actor_id: str
    actor_name: str
    at: datetime
    risk_level: str
    content: dict[str, Any]
