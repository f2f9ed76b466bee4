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

import msgspec


class GasReadings(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """Readings taken at the entrance of a confined space no earlier than 30 minutes before entry."""

    oxygen_percent: float | None = None
    flammable_percent_lel: float | None = None
    hydrogen_sulphide_mg_m3: float | None = None
    carbon_monoxide_mg_m3: float | None = None


class GasFinding(msgspec.Struct, frozen=True, kw_only=True):
    """One reading outside its limit (or missing)."""

    field: str
    message: str
    message_zh: str


class GasTestResult(msgspec.Struct, frozen=True, kw_only=True):
    """``entry_permitted`` only when every reading was taken and is within its limit."""

    entry_permitted: bool
    findings: list[GasFinding]


@dataclass(frozen=True)
class ConfinedSpaceGasTest:
    """Evaluator ``example.confined_space_gas_test``."""

    id: str = "example.confined_space_gas_test"
    title: str = "有限空间作业气体检测判定"
    version: str = "1.0.0"
    input_type: type[GasReadings] = GasReadings
    oxygen_min: float = 19.5
    oxygen_max: float = 23.5
    flammable_max_lel: float = 10.0
    hydrogen_sulphide_max: float = 10.0
    carbon_monoxide_max: float = 20.0

    def evaluate(self, readings: GasReadings) -> GasTestResult:
        """Check each reading against its limit; every problem is listed."""
        findings: list[GasFinding] = []

        def missing(field: str, name_zh: str) -> None:
            findings.append(GasFinding(field=field, message=f"{field} was not measured", message_zh=f"未检测{name_zh}"))

        if readings.oxygen_percent is None:
            missing("oxygen_percent", "氧气浓度")
        elif not self.oxygen_min <= readings.oxygen_percent <= self.oxygen_max:
            findings.append(
                GasFinding(
                    field="oxygen_percent",
                    message=f"oxygen {readings.oxygen_percent:g} % is outside {self.oxygen_min:g}–{self.oxygen_max:g} %",
                    message_zh=f"氧气浓度 {readings.oxygen_percent:g}% 不在 {self.oxygen_min:g}%–{self.oxygen_max:g}% 范围内",
                )
            )
        for field, name_zh, limit, unit in (
            ("flammable_percent_lel", "可燃气体浓度", self.flammable_max_lel, "%LEL"),
            ("hydrogen_sulphide_mg_m3", "硫化氢浓度", self.hydrogen_sulphide_max, "mg/m³"),
            ("carbon_monoxide_mg_m3", "一氧化碳浓度", self.carbon_monoxide_max, "mg/m³"),
        ):
            value = getattr(readings, field)
            if value is None:
                missing(field, name_zh)
            elif value >= limit if field == "flammable_percent_lel" else value > limit:
                findings.append(
                    GasFinding(
                        field=field,
                        message=f"{field} {value:g} {unit} exceeds the limit {limit:g} {unit}",
                        message_zh=f"{name_zh} {value:g}{unit} 超过限值 {limit:g}{unit}",
                    )
                )
        return GasTestResult(entry_permitted=not findings, findings=findings)
