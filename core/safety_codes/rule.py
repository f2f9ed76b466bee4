"""The enterprise's overall safety-code colour (绿/黄/橙/红): a documented, replaceable rule.

Rules are read top to bottom; the first whose conditions hold (any one of them) gives the colour,
and every condition that held is shown as the reason. None holding is green. The default rule
(``default_rule.yaml``) is documented in docs/dual-prevention.md; a deployment replaces it with a
file of the same shape (setting ``safety_code_rule``), checked when the server starts.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

import msgspec
import yaml

from core.safety_codes.facts import FACT_LABELS, Fact

Colour = Literal["green", "yellow", "orange", "red"]
COLOUR_LABELS = {"green": "绿码", "yellow": "黄码", "orange": "橙码", "red": "红码"}
DEFAULT_RULE = Path(__file__).resolve().parent / "default_rule.yaml"


class Condition(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    fact: Fact
    min: Annotated[int, msgspec.Meta(ge=1)] = 1


class Rule(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    colour: Literal["yellow", "orange", "red"]
    conditions: Annotated[list[Condition], msgspec.Meta(min_length=1)]


class CodeRule(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    rules: list[Rule]


class CodeColour(msgspec.Struct, kw_only=True, frozen=True):
    colour: Colour
    label: str
    reasons: list[str]


@lru_cache(maxsize=8)
def load_rule(path: str | None = None) -> CodeRule:
    """The rule in ``path`` (default: the built-in one); a malformed file raises naming the field."""
    text = Path(path or DEFAULT_RULE).read_text(encoding="utf-8")
    try:
        return msgspec.convert(yaml.safe_load(text), CodeRule)
    except msgspec.ValidationError as exc:
        raise ValueError(f"safety code rule {path or DEFAULT_RULE}: {exc}") from exc


def _reason(condition: Condition, value: int) -> str:
    label = FACT_LABELS[condition.fact]
    return label if condition.fact == "register_empty" else f"{label} {value} 项（规则：≥ {condition.min}）"


def code_colour(facts: dict[str, int], rule: CodeRule) -> CodeColour:
    """The colour ``rule`` gives for ``facts``, with every condition that decided it."""
    for candidate in rule.rules:
        met = [c for c in candidate.conditions if facts.get(c.fact, 0) >= c.min]
        if met:
            return CodeColour(colour=candidate.colour, label=COLOUR_LABELS[candidate.colour], reasons=[_reason(c, facts[c.fact]) for c in met])
    return CodeColour(colour="green", label=COLOUR_LABELS["green"], reasons=["无未销号的重大隐患、逾期隐患和挂牌督办隐患，风险清单中无重大、较大风险"])
