"""LEC (作业条件危险性分析法): D = L × E × C, graded into four risk levels."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

import msgspec

from plugins.evaluator import EvaluationResult

from .bands import RiskBands, check_bands
from .result import check_factor, risk_result
from .tables import LecTables, load_tables


class LecInput(msgspec.Struct, forbid_unknown_fields=True, kw_only=True, frozen=True):
    """L, E and C, each one of its table's values; optional thresholds replace the defaults."""

    l: Annotated[float, msgspec.Meta(description="可能性 L：10, 6, 3, 1, 0.5, 0.2, 0.1")]
    e: Annotated[float, msgspec.Meta(description="暴露频繁程度 E：10, 6, 3, 2, 1, 0.5")]
    c: Annotated[float, msgspec.Meta(description="后果 C：100, 40, 15, 7, 3, 1")]
    thresholds: RiskBands | None = None


class LecEvaluator:
    """Grades one hazard by LEC. Thresholds default to the tables file; pass others to follow a
    local rule (and give the evaluator its own id if both must coexist)."""

    input_type = LecInput
    title = "作业条件危险性分析（LEC）"
    version = "1.1.0"

    def __init__(
        self,
        *,
        id: str = "risk.lec",
        tables: LecTables | None = None,
        thresholds: RiskBands | None = None,
    ) -> None:
        self.id = id
        self.tables = tables or load_tables().lec
        self.thresholds = thresholds or self.tables.thresholds
        check_bands(self.thresholds)

    def evaluate(self, input: LecInput) -> EvaluationResult:
        """D = L × E × C (exact decimal product), then the band D falls in."""
        t = self.tables
        labels = [
            check_factor(t.l, input.l, "l"),
            check_factor(t.e, input.e, "e"),
            check_factor(t.c, input.c, "c"),
        ]
        bands = input.thresholds or self.thresholds
        if input.thresholds is not None:
            check_bands(bands)
        d = float(Decimal(repr(input.l)) * Decimal(repr(input.e)) * Decimal(repr(input.c)))
        maximum = max(t.l.allowed()) * max(t.e.allowed()) * max(t.c.allowed())
        factors = [
            ("l", t.l, input.l, labels[0]),
            ("e", t.e, input.e, labels[1]),
            ("c", t.c, input.c, labels[2]),
        ]
        return risk_result(
            evaluator=self,
            symbol="D",
            value=d,
            maximum=maximum,
            factors=factors,
            bands=bands,
            extra_label=t.danger,
        )
