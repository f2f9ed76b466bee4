"""The efficiency assessment's configuration: indicators with weights, and grade bands."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Annotated

import msgspec
import yaml

from plugins.evaluator import EvaluationInputError

DEFAULT_FILE = Path(__file__).with_name("default.yaml")

Code = Annotated[str, msgspec.Meta(pattern=r"^[a-z][a-z0-9_]*$")]


class Indicator(msgspec.Struct, forbid_unknown_fields=True, kw_only=True, frozen=True):
    """One indicator: scores 0 at ``worst`` and 100 at ``best`` (linear, clamped)."""

    code: Code
    title: str
    weight: Annotated[float, msgspec.Meta(ge=0)]
    worst: float
    best: float
    unit: str = ""
    min: float | None = None
    max: float | None = None
    veto_at: float | None = None
    veto_reason: str = ""


class GradeBand(msgspec.Struct, forbid_unknown_fields=True, kw_only=True, frozen=True):
    """A grade reached by a total at or above ``min``."""

    grade: str
    label: str
    min: float


class EfficiencyConfig(msgspec.Struct, forbid_unknown_fields=True, kw_only=True, frozen=True):
    """Indicators and grade bands (highest first; the last band's ``min`` must be 0)."""

    indicators: list[Indicator]
    grades: list[GradeBand]


def check_config(config: EfficiencyConfig, field: str = "config") -> None:
    """Raise on a configuration that could not grade every input consistently."""

    def fail(path: str, message: str, message_zh: str) -> None:
        raise EvaluationInputError(f"{field}.{path}", message, message_zh)

    if not config.indicators:
        fail("indicators", "at least one indicator is needed", "至少需要一个指标")
    seen: set[str] = set()
    for i, ind in enumerate(config.indicators):
        if ind.code in seen:
            fail(f"indicators[{i}].code", "duplicate indicator code", f"指标代码 {ind.code} 重复")
        seen.add(ind.code)
        if ind.best == ind.worst:
            fail(f"indicators[{i}].best", "best must differ from worst", "best 与 worst 不能相等")
    if sum(ind.weight for ind in config.indicators) <= 0:
        fail("indicators", "the weights must not all be 0", "指标权重之和必须大于 0")
    if not config.grades:
        fail("grades", "at least one grade is needed", "至少需要一个等级")
    for i, (upper, lower) in enumerate(zip(config.grades, config.grades[1:])):
        if not upper.min > lower.min:
            fail(f"grades[{i}].min", "grades must be ordered from the highest bound down",
                 "等级下限必须从高到低排列")
    if config.grades[-1].min != 0:
        fail(f"grades[{len(config.grades) - 1}].min", "the lowest grade must start at 0",
             "最低等级的下限必须为 0")


@cache
def default_config(path: Path = DEFAULT_FILE) -> EfficiencyConfig:
    """The shipped default, validated; a broken file fails loudly at start-up."""
    config = msgspec.convert(yaml.safe_load(path.read_text(encoding="utf-8")), EfficiencyConfig)
    check_config(config, "default")
    return config
