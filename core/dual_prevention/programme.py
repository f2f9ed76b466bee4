"""The programme's configuration: which enterprises it covers, their deadlines, what counts as used.

Dates and categories are data (``programme.yaml``), because each county's plan sets its own; the
file is checked when read, naming the field that is wrong.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Annotated

import msgspec
import yaml

from core.vocabulary import HighRiskFlag, Industry, ProductionKind

DEFAULT = Path(__file__).resolve().parent / "programme.yaml"


class Deadline(msgspec.Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    """Enterprises with any of these flags, or of these production kinds, finish by ``due``."""

    name: str
    due: date
    high_risk_flags: list[HighRiskFlag] = msgspec.field(default_factory=list)
    production_kinds: list[ProductionKind] = msgspec.field(default_factory=list)

    def covers(self, flags: list[str], production_kind: str | None) -> bool:
        return bool(set(flags) & set(self.high_risk_flags)) or (production_kind in self.production_kinds)


class Programme(msgspec.Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    industries: Annotated[list[Industry], msgspec.Meta(min_length=1)]
    deadlines: list[Deadline]
    used_threshold: Annotated[float, msgspec.Meta(ge=0, le=1)] = 0.8
    used_window_days: Annotated[int, msgspec.Meta(ge=1, le=366)] = 30
    report_evaluators: list[str] = msgspec.field(default_factory=list)

    def deadline_for(self, flags: list[str], production_kind: str | None) -> Deadline | None:
        """The earliest deadline that covers the enterprise (None: the programme sets it none)."""
        covering = [d for d in self.deadlines if d.covers(flags, production_kind)]
        return min(covering, key=lambda d: d.due) if covering else None


@lru_cache(maxsize=4)
def load_programme(path: str | None = None) -> Programme:
    try:
        return msgspec.convert(yaml.safe_load(Path(path or DEFAULT).read_text(encoding="utf-8")), Programme)
    except msgspec.ValidationError as exc:
        raise ValueError(f"dual prevention programme {path or DEFAULT}: {exc}") from exc
