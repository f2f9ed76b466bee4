"""An evaluation standard as data: elements → items → points and deduction rules, veto items,
pass line and grades. Loading validates the rules msgspec cannot express, so a wrong table
(points that do not add up, duplicate codes) fails at start-up rather than mis-scoring."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import msgspec
import yaml

from plugins.evaluator import SystemFact

STANDARDS_DIR = Path(__file__).with_name("standards")

Code = Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")]
Points = Annotated[float, msgspec.Meta(gt=0)]


class _Strict(msgspec.Struct, forbid_unknown_fields=True, kw_only=True, frozen=True):
    """Unknown keys are errors: a typo in a standard must not be silently ignored."""


class DeductionRule(_Strict):
    """扣分规则: ``each`` deducts ``points`` per occurrence, ``once`` at most once.

    ``computed`` names the host-counted fact (``plugins.evaluator.SystemFact``) that decides the
    rule: when the host supplies its counts, the rule applies that many times (once rules: when
    it is above zero) whatever the assessor recorded for it."""

    code: Code
    text: str
    points: Points
    per: Literal["each", "once"] = "each"
    computed: SystemFact | None = None


class StandardItem(_Strict):
    """评估要点: one item worth ``points``; its deductions stop at its points."""

    code: Code
    text: str
    points: Points
    rules: list[DeductionRule]
    method: str = ""


class Element(_Strict):
    """评估要素: a group of items, with where it comes from."""

    code: Code
    title: str
    items: list[StandardItem]
    source: str = ""


class VetoItem(_Strict):
    """否决项: when triggered the result is 不合格 whatever the score.

    ``trigger`` names a fact of the server's own records that triggers it without an assessor
    saying so: ``open_listed_major_hazard`` (the enterprise has an open major hazard under listed
    supervision, 挂牌督办). At most one veto item of a standard may carry each trigger.
    """

    code: Code
    text: str
    trigger: Literal["open_listed_major_hazard"] | None = None


class GradeBand(_Strict):
    """A grade reached by a percent score at or above ``min``."""

    grade: str
    label: str
    min: Annotated[float, msgspec.Meta(ge=0, le=100)]


class Standard(_Strict):
    """评估标准. ``provisional`` marks an encoding not taken from an official table."""

    id: Annotated[str, msgspec.Meta(pattern=r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")]
    title: str
    version: Annotated[str, msgspec.Meta(pattern=r"^\d+\.\d+\.\d+$")]
    scale: Literal["large_medium", "small_micro"]
    total_points: Points
    pass_percent: Annotated[float, msgspec.Meta(ge=0, le=100)]
    grades: list[GradeBand]
    elements: list[Element]
    vetoes: list[VetoItem] = msgspec.field(default_factory=list)
    provisional: bool = False

    def items(self) -> list[StandardItem]:
        """Every item in element order."""
        return [item for element in self.elements for item in element.items]


class StandardError(ValueError):
    """A standard file that cannot be used, with the path of the offending entry."""


def check_standard(standard: Standard) -> None:
    """Raise ``StandardError`` unless codes are unique, points add up and grades are ordered."""
    codes: set[str] = set()
    for e, element in enumerate(standard.elements):
        for i, item in enumerate(element.items):
            where = f"elements[{e}].items[{i}]"
            if item.code in codes:
                raise StandardError(f"{where}.code: duplicate item code {item.code!r}")
            codes.add(item.code)
            if not item.rules:
                raise StandardError(f"{where}.rules: an item needs at least one deduction rule")
            rule_codes = [rule.code for rule in item.rules]
            if len(set(rule_codes)) != len(rule_codes):
                raise StandardError(f"{where}.rules: duplicate rule code")
            for r, rule in enumerate(item.rules):
                if rule.points > item.points:
                    raise StandardError(f"{where}.rules[{r}].points: exceeds the item's points")
    total = sum(item.points for item in standard.items())
    if abs(total - standard.total_points) > 1e-9:
        raise StandardError(
            f"total_points: items add up to {total:g}, not {standard.total_points:g}"
        )
    veto_codes = [veto.code for veto in standard.vetoes]
    if len(set(veto_codes)) != len(veto_codes) or set(veto_codes) & codes:
        raise StandardError("vetoes: veto codes must be unique and differ from item codes")
    triggers = [veto.trigger for veto in standard.vetoes if veto.trigger]
    if len(set(triggers)) != len(triggers):
        raise StandardError("vetoes: at most one veto item per trigger")
    bounds = [band.min for band in standard.grades]
    if not bounds or bounds != sorted(set(bounds), reverse=True) or bounds[-1] != 0:
        raise StandardError("grades: bounds must fall strictly from the highest and end at 0")
    if standard.pass_percent not in bounds:
        raise StandardError("pass_percent: must be the lower bound of one of the grades")


def load_standard(path: Path) -> Standard:
    """Read, type-check and validate one standard file."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        standard = msgspec.convert(data, Standard)
        check_standard(standard)
    except (msgspec.ValidationError, StandardError, yaml.YAMLError) as exc:
        raise StandardError(f"{path.name}: {exc}") from exc
    return standard


def builtin_standard(scale: str) -> Standard:
    """The shipped standard for ``large_medium`` or ``small_micro``."""
    return load_standard(STANDARDS_DIR / f"{scale}.yaml")
