"""有限空间作业气体检测判定: decide from measured values whether workers may enter.

The limits are attributes so a department can tighten them; defaults and their sources:

* oxygen 19.5 %–23.5 % (vol): below 19.5 % is oxygen deficiency (GB 8958-2006 缺氧危险作业安全规程);
  above 23.5 % is oxygen enrichment, a fire hazard.
* flammable gas below 10 % of the lower explosive limit (%LEL), the entry threshold of the
  应急管理部《有限空间作业安全指导手册》 for 工贸 enterprises.
* hydrogen sulphide at most 10 mg/m³ (GBZ 2.1-2019, MAC) and carbon monoxide at most 20 mg/m³
  (GBZ 2.1-2019, PC-TWA at altitudes below 2000 m).

A measurement that is not taken (``None``) is a failure: "先通风、再检测、后作业" requires the
test before entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import msgspec

from plugins.evaluator import EvaluationResult, Veto

Reading = Annotated[float, msgspec.Meta(ge=0)] | None


class GasReadings(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """Readings taken at the entrance of a confined space no earlier than 30 minutes before entry."""

    oxygen_percent: Reading = None
    flammable_percent_lel: Reading = None
    hydrogen_sulphide_mg_m3: Reading = None
    carbon_monoxide_mg_m3: Reading = None


_NAMES_ZH = {
    "oxygen_percent": "氧气浓度",
    "flammable_percent_lel": "可燃气体浓度",
    "hydrogen_sulphide_mg_m3": "硫化氢浓度",
    "carbon_monoxide_mg_m3": "一氧化碳浓度",
}


@dataclass(frozen=True)
class ConfinedSpaceGasTest:
    """Evaluator ``example.confined_space_gas_test``.

    The result follows ``plugins.evaluator.EvaluationResult``: ``score`` is the number of readings
    taken and within limits out of ``maximum`` 4; ``passed`` (grade ``permitted``) only when all
    four are; each failed reading is a veto naming the reading.
    """

    id: str = "example.confined_space_gas_test"
    title: str = "有限空间作业气体检测判定"
    version: str = "1.0.0"
    input_type: type[GasReadings] = GasReadings
    oxygen_min: float = 19.5
    oxygen_max: float = 23.5
    flammable_max_lel: float = 10.0
    hydrogen_sulphide_max: float = 10.0
    carbon_monoxide_max: float = 20.0

    def evaluate(self, readings: GasReadings) -> EvaluationResult:
        """Check each reading against its limit; every problem is listed."""
        vetoes: list[Veto] = []
        for field, name_zh in _NAMES_ZH.items():
            value = getattr(readings, field)
            if value is None:
                vetoes.append(Veto(item=field, reason=f"未检测{name_zh}（先通风、再检测、后作业）"))
                continue
            reason = self._out_of_limit(field, name_zh, value)
            if reason:
                vetoes.append(Veto(item=field, reason=reason))
        permitted = not vetoes
        return EvaluationResult(
            evaluator=self.id,
            evaluator_version=self.version,
            score=float(len(_NAMES_ZH) - len(vetoes)),
            maximum=float(len(_NAMES_ZH)),
            grade="permitted" if permitted else "forbidden",
            grade_label="允许进入" if permitted else "禁止进入",
            passed=permitted,
            vetoes=vetoes,
            explanation=["各项气体检测结果均在限值内，允许进入作业"] if permitted else [v.reason for v in vetoes],
        )

    def _out_of_limit(self, field: str, name_zh: str, value: float) -> str:
        if field == "oxygen_percent":
            if not self.oxygen_min <= value <= self.oxygen_max:
                return f"{name_zh} {value:g}% 不在 {self.oxygen_min:g}%–{self.oxygen_max:g}% 范围内"
            return ""
        if field == "flammable_percent_lel":
            # "below 10 % LEL": the limit itself is already too much.
            return f"{name_zh} {value:g}%LEL 未低于 {self.flammable_max_lel:g}%LEL" if value >= self.flammable_max_lel else ""
        limit = self.hydrogen_sulphide_max if field == "hydrogen_sulphide_mg_m3" else self.carbon_monoxide_max
        return f"{name_zh} {value:g}mg/m³ 超过限值 {limit:g}mg/m³" if value > limit else ""
