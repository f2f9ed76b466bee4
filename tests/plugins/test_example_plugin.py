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


def test_confined_space_major_items_say_what_the_standard_says():
    """10号令第十三条第（一）项 joins 辨识、台账 and 警示标志 with 并且: neither 辨识/台账 alone (CS-02) nor
    监护 alone (CS-13) is a major hazard; the full 并且 condition is its own major item (CS-15)."""
    from pathlib import Path

    from checklists.loading import load_checklist_file

    path = (
        Path(__file__).resolve().parents[2]
        / "examples/anjian-plugin-example/anjian_plugin_example/checklists/confined_space.yaml"
    )
    checklist = load_checklist_file(path)
    items = {item.code: item for item in checklist.items()}
    assert checklist.version == "1.1.0"
    assert not items["CS-02"].major_hazard and not items["CS-13"].major_hazard
    for code in ("CS-02", "CS-13"):
        assert {b.document for b in items[code].basis} == {"工贸企业有限空间作业安全规定"}
    major = items["CS-15"]
    assert major.major_hazard
    assert "未对有限空间进行辨识、建立安全管理台账，并且未设置明显的安全警示标志" in major.text
    assert [(b.document, b.article) for b in major.basis] == [
        ("工贸企业重大事故隐患判定标准（应急管理部令第10号）", "第十三条第（一）项")
    ]
    for item in checklist.items():
        cited = [b for b in item.basis if b.document.startswith("工贸企业重大事故隐患判定标准")]
        assert all(b.article.startswith("第十三条第（") for b in cited), item.code
        if item.major_hazard:
            assert cited, item.code
