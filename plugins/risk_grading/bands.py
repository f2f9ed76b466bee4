"""Risk bands: configurable lower bounds that map a risk value to one of the four levels.

Every source draws the boundaries a little differently, so each bound carries which side it falls
on (``inclusive``) and the explanation states it, e.g. ``160 < D ≤ 320``. The boundary rule is
this, and only this: a value belongs to the highest level whose bound it meets (``value > min``,
or ``value == min`` when ``inclusive``). Every risk gets a colour unless a ``low`` bound is given:
without one, whatever lies below the ``moderate`` bound is 低风险（蓝）.
"""

from __future__ import annotations

import msgspec

from plugins.evaluator import EvaluationInputError, RiskLevel, fmt

LEVELS: tuple[RiskLevel, ...] = ("major", "high", "moderate", "low")


class Cut(msgspec.Struct, forbid_unknown_fields=True, kw_only=True, frozen=True):
    """The lower bound of one level; ``inclusive``: a value equal to ``min`` is in this level."""

    min: float
    inclusive: bool = True


class RiskBands(msgspec.Struct, forbid_unknown_fields=True, kw_only=True, frozen=True):
    """Lower bounds of 重大 / 较大 / 一般 / 低 risk.

    ``low`` is optional: left out (the default), every value below ``moderate`` is low risk, so
    every risk gets a colour; given, values below it are not graded (a local rule's choice).
    """

    major: Cut
    high: Cut
    moderate: Cut
    low: Cut | None = None

    def cuts(self) -> list[tuple[RiskLevel, Cut]]:
        """(level, cut) from the highest level down; ``low`` only when it has a bound."""
        return [(level, cut) for level in LEVELS if (cut := getattr(self, level)) is not None]


def check_bands(bands: RiskBands, field: str = "thresholds") -> None:
    """Raise unless each level's bound lies strictly above the next level's bound."""
    cuts = bands.cuts()
    for (upper_name, upper), (lower_name, lower) in zip(cuts, cuts[1:]):
        above = upper.min > lower.min or (
            upper.min == lower.min and not upper.inclusive and lower.inclusive
        )
        if not above:
            raise EvaluationInputError(
                f"{field}.{upper_name}.min",
                f"the {upper_name} bound must lie above the {lower_name} bound",
                f"{upper_name} 级的下限必须高于 {lower_name} 级的下限",
            )


def _meets(value: float, cut: Cut) -> bool:
    return value > cut.min or (cut.inclusive and value == cut.min)


def classify(value: float, bands: RiskBands) -> RiskLevel | None:
    """The highest level whose lower bound ``value`` meets; below ``moderate`` that is ``low``
    unless a ``low`` bound is set and not met (None: not graded)."""
    for level, cut in bands.cuts():
        if _meets(value, cut):
            return level
    return "low" if bands.low is None else None


def describe_band(level: RiskLevel | None, bands: RiskBands, symbol: str) -> str:
    """The band as an inequality, e.g. ``160 < D ≤ 320``, ``D ≤ 70`` or ``D < 20``."""
    cuts = dict(bands.cuts())
    order = list(LEVELS)
    if level is None or (level == "low" and bands.low is None):
        below = cuts["low"] if level is None else cuts["moderate"]
        return f"{symbol} {'<' if below.inclusive else '≤'} {fmt(below.min)}"
    cut = cuts[level]
    lower = f"{fmt(cut.min)} {'≤' if cut.inclusive else '<'} {symbol}"
    index = order.index(level)
    if index == 0:
        return f"{symbol} {'≥' if cut.inclusive else '>'} {fmt(cut.min)}"
    upper = cuts[order[index - 1]]
    return f"{lower} {'<' if upper.inclusive else '≤'} {fmt(upper.min)}"
