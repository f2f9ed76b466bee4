"""The checklist definition schema (检查表): the public contract for every plugin and department.

A checklist is data, never code. Plugins ship these as YAML/TOML files; departments publish them
through the API. Structural typing is done by msgspec; the rules msgspec cannot express (unique
codes, consistent points, ranges) live in ``checklists.validation``.
"""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

from core.vocabulary import HighRiskFlag, Industry, Scale, Sector

AnswerKind = Literal["pass_fail", "number", "text", "photo"]

CHECKLIST_ID_PATTERN = r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$"
SEMVER_PATTERN = r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$"
ITEM_CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"

NonEmpty = Annotated[str, msgspec.Meta(min_length=1)]


class _Strict(msgspec.Struct, forbid_unknown_fields=True, kw_only=True, omit_defaults=True):
    """Unknown keys are errors: a typo in a definition must not be silently ignored."""


class LegalBasis(_Strict):
    """依据: the document and article an item is drawn from."""

    document: NonEmpty
    article: str = ""


class Answer(_Strict):
    """How an item is answered.

    ``pass_fail``: pass / fail / na. ``number``: a measured value; a value outside
    ``[min, max]`` is a failed item. ``text``: free text, never a failure by itself.
    ``photo``: the answer is a photo; the item fails only if marked failed.
    """

    kind: AnswerKind = "pass_fail"
    min: float | None = None
    max: float | None = None
    unit: str = ""
    allow_na: bool = True


class Item(_Strict):
    """检查项: one question an inspector answers."""

    code: Annotated[str, msgspec.Meta(pattern=ITEM_CODE_PATTERN)]
    text: NonEmpty
    basis: list[LegalBasis]
    answer: Answer = msgspec.field(default_factory=Answer)
    required: bool = True
    photo_required: bool = False
    major_hazard: bool = False
    # The default deadline of a general hazard found here. A major_hazard item's hazard takes none:
    # its deadline is the completion date of its 治理方案 (sync/push ignores this for it).
    rectification_days: Annotated[int, msgspec.Meta(ge=1, le=365)] = 30
    points: Annotated[float, msgspec.Meta(ge=0)] = 0
    guidance: str = ""


class Section(_Strict):
    """A group of items, e.g. 通风管理."""

    code: Annotated[str, msgspec.Meta(pattern=ITEM_CODE_PATTERN)]
    title: NonEmpty
    items: list[Item]
    points: float | None = None


class AppliesTo(_Strict):
    """Which enterprises a checklist applies to. Empty lists mean no restriction.

    ``sectors`` (工贸行业类别: 冶金, 有色 …) narrows an ``industrial_trade`` checklist to enterprises
    of one of those sectors. Like every empty list it is omitted from the canonical form, so
    versions published before the field existed keep their content hash.

    ``enterprises`` (enterprise ids) names the one enterprise a checklist generated from its own
    risk register belongs to (隐患排查清单, ``checklists.generated``); only that origin may set it.
    """

    scales: list[Scale] = msgspec.field(default_factory=list)
    high_risk_flags: list[HighRiskFlag] = msgspec.field(default_factory=list)
    sectors: list[Sector] = msgspec.field(default_factory=list)
    enterprises: list[Annotated[str, msgspec.Meta(min_length=1, max_length=36)]] = msgspec.field(default_factory=list)


class Source(_Strict):
    """A document the checklist draws on, listed once for the whole checklist."""

    document: NonEmpty
    issued_by: str = ""
    number: str = ""
    effective: str = ""


class Checklist(_Strict):
    """检查表: a versioned list of items. Identity is ``id`` + ``version``.

    ``industry`` names whose checklist it is (who may publish it, which tablets carry it) and which
    enterprises it is for: a submission on it is accepted only for an enterprise of that industry,
    unless the checklist is marked ``general`` (通用, e.g. basic fire safety for every workplace).
    ``general`` is omitted from the canonical form when false, so existing versions keep their hash.
    """

    id: Annotated[str, msgspec.Meta(pattern=CHECKLIST_ID_PATTERN, max_length=128)]
    version: Annotated[str, msgspec.Meta(pattern=SEMVER_PATTERN)]
    title: NonEmpty
    industry: Industry
    sections: list[Section]
    general: bool = False
    description: str = ""
    applies_to: AppliesTo = msgspec.field(default_factory=AppliesTo)
    sources: list[Source] = msgspec.field(default_factory=list)
    total_points: float | None = None

    def items(self) -> list[Item]:
        """Every item in section order."""
        return [item for section in self.sections for item in section.items]
