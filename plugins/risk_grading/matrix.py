"""The risk matrix (风险矩阵法): R = L × S with L and S from 1 to 5, graded into four levels."""

from __future__ import annotations

from typing import Annotated

import msgspec

from plugins.evaluator import EvaluationResult

from .bands import RiskBands, check_bands
from .result import check_factor, risk_result
from .tables import MatrixTables, load_tables


class MatrixInput(msgspec.Struct, forbid_unknown_fields=True, kw_only=True, frozen=True):
    """L and S, each an integer 1–5 from the tables; optional thresholds replace the defaults."""

    l: Annotated[int, msgspec.Meta(description="可能性 L：1–5")]
    s: Annotated[int, msgspec.Meta(description="严重程度 S：1–5")]
    thresholds: RiskBands | None = None


class RiskMatrixEvaluator:
    """Grades one hazard by the risk matrix; default cut 20–25 / 9–16 / 4–8 / 1–3."""

    input_type = MatrixInput
    title = "风险矩阵分析（LS）"
    version = "1.1.0"

    def __init__(
        self,
        *,
        id: str = "risk.matrix",
        tables: MatrixTables | None = None,
        thresholds: RiskBands | None = None,
    ) -> None:
        self.id = id
        self.tables = tables or load_tables().matrix
        self.thresholds = thresholds or self.tables.thresholds
        check_bands(self.thresholds)

    def evaluate(self, input: MatrixInput) -> EvaluationResult:
        """R = L × S, then the band R falls in."""
        t = self.tables
        l_label = check_factor(t.l, input.l, "l")
        s_label = check_factor(t.s, input.s, "s")
        bands = input.thresholds or self.thresholds
        if input.thresholds is not None:
            check_bands(bands)
        return risk_result(
            evaluator=self,
            symbol="R",
            value=float(input.l * input.s),
            maximum=max(t.l.allowed()) * max(t.s.allowed()),
            factors=[("l", t.l, input.l, l_label), ("s", t.s, input.s, s_label)],
            bands=bands,
        )
