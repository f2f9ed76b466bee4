"""Risk grading (风险分级): LEC and the risk matrix mapped to 重大/较大/一般/低 (红橙黄蓝)."""

from .bands import Cut, RiskBands
from .lec import LecEvaluator, LecInput
from .matrix import MatrixInput, RiskMatrixEvaluator
from .plugin import anjian_evaluators

__all__ = [
    "Cut",
    "LecEvaluator",
    "LecInput",
    "MatrixInput",
    "RiskBands",
    "RiskMatrixEvaluator",
    "anjian_evaluators",
]
