"""The example distribution's evaluator gives the verdicts its documentation promises."""

from __future__ import annotations

import pytest


@pytest.fixture
def gas_test(installer):
    installer.install_example()
    from anjian_plugin_example.gas_test import ConfinedSpaceGasTest, GasReadings

    return ConfinedSpaceGasTest(), GasReadings


def test_safe_atmosphere_permits_entry(gas_test):
    evaluator, Readings = gas_test
    result = evaluator.evaluate(
        Readings(oxygen_percent=20.9, flammable_percent_lel=0, hydrogen_sulphide_mg_m3=0, carbon_monoxide_mg_m3=2)
    )
    assert result.entry_permitted and result.findings == []


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("oxygen_percent", 19.4),
        ("oxygen_percent", 23.6),
        ("flammable_percent_lel", 10),
        ("hydrogen_sulphide_mg_m3", 10.5),
        ("carbon_monoxide_mg_m3", 21),
        ("oxygen_percent", None),
    ],
)
def test_any_reading_out_of_limit_or_missing_forbids_entry(gas_test, field, value):
    evaluator, Readings = gas_test
    readings = dict(oxygen_percent=20.9, flammable_percent_lel=0, hydrogen_sulphide_mg_m3=0, carbon_monoxide_mg_m3=0)
    readings[field] = value
    result = evaluator.evaluate(Readings(**readings))
    assert not result.entry_permitted
    assert [finding.field for finding in result.findings] == [field]
    assert result.findings[0].message_zh
