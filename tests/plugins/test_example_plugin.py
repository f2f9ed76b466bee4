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
    assert result.passed and result.vetoes == []
    assert (result.score, result.maximum, result.grade) == (4.0, 4.0, "permitted")
    assert result.evaluator == evaluator.id


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
    assert result.passed is False and result.grade_label == "禁止进入"
    assert [veto.item for veto in result.vetoes] == [field]
    assert result.score == 3.0
    assert result.explanation == [result.vetoes[0].reason]


def test_readings_are_decoded_with_the_host_contract(gas_test):
    import pytest as _pytest

    from plugins.evaluator import EvaluationInputError, evaluate_raw

    evaluator, _ = gas_test
    assert evaluate_raw(evaluator, {"oxygen_percent": 20.9, "flammable_percent_lel": 0,
                                    "hydrogen_sulphide_mg_m3": 0, "carbon_monoxide_mg_m3": 0}).passed
    with _pytest.raises(EvaluationInputError) as caught:
        evaluate_raw(evaluator, {"oxygen_percent": -1})
    assert caught.value.field == "oxygen_percent"
