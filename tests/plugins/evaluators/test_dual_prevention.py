"""Dual-prevention evaluation against hand-computed examples on the shipped standards."""

from __future__ import annotations

import msgspec
import pluggy
import pytest
import yaml

from plugins import dual_prevention, hookspecs
from plugins.dual_prevention import DualPreventionEvaluator, StandardError, builtin_standard, load_standard
from plugins.dual_prevention.standard import STANDARDS_DIR
from plugins.evaluator import EvaluationInputError, evaluate_raw

LARGE = DualPreventionEvaluator(builtin_standard("large_medium"))
SMALL = DualPreventionEvaluator(builtin_standard("small_micro"))


def findings(evaluator, **overrides):
    """Every item assessed with no deductions, except ``overrides`` (item code with _ for .)."""
    items = {item.code: {"finding": "符合要求"} for item in evaluator.standard.items()}
    for key, value in overrides.items():
        items[key.replace("_", ".")] = value
    return items


def ded(*rules):
    """``ded(("a", 3), "b")``: rule a three times, rule b once."""
    out = []
    for rule in rules:
        code, count = rule if isinstance(rule, tuple) else (rule, 1)
        out.append({"rule": code, "count": count})
    return {"deductions": out}


NA = {"applicable": False}

# Large/medium deductions totalling exactly 200 points (all capped or once rules):
# E5.1 a 50 + E5.2 a×14 = 70 + E5.5 a×14 = 70 + E1.3 a 10 = 200.
MINUS_200 = {
    "E5_1": ded("a"),
    "E5_2": ded(("a", 14)),
    "E5_5": ded(("a", 14)),
    "E1_3": ded("a"),
}
# Every E5 item to zero (350) + E6.1 a 40 + E1.3 a 10 = 400.
MINUS_400 = {
    "E5_1": ded("a"),
    "E5_2": ded(("a", 14)),
    "E5_3": ded("a"),
    "E5_4": ded("a"),
    "E5_5": ded(("a", 14)),
    "E5_6": ded("a", ("b", 5)),
    "E5_7": ded("a"),
    "E6_1": ded("a"),
    "E1_3": ded("a"),
}


def run(evaluator, vetoes=(), **overrides):
    data = {"items": findings(evaluator, **overrides), "vetoes": list(vetoes)}
    return evaluate_raw(evaluator, data)


def test_shipped_standards_add_up_and_are_marked_provisional():
    assert LARGE.standard.total_points == 1000 and SMALL.standard.total_points == 500
    assert LARGE.standard.provisional and SMALL.standard.provisional
    assert LARGE.id == "dual_prevention.large_medium" and SMALL.id == "dual_prevention.small_micro"


def test_full_marks_is_benchmark():
    result = run(LARGE)
    assert (result.score, result.maximum, result.percent) == (1000, 1000, 100)
    assert (result.grade, result.passed) == ("benchmark", True)


@pytest.mark.parametrize(
    ("overrides", "percent", "grade", "passed"),
    [
        (MINUS_200, 80, "benchmark", True),  # 800 / 1000 × 100 = 80, exactly the benchmark line
        ({**MINUS_200, "E3_4": ded("b")}, 79.7, "pass", True),  # 797 / 1000
        (MINUS_400, 60, "pass", True),  # 600 / 1000, exactly the pass line
        ({**MINUS_400, "E3_4": ded("b")}, 59.7, "fail", False),  # 597 / 1000
    ],
)
def test_grade_boundaries_are_inclusive(overrides, percent, grade, passed):
    result = run(LARGE, **overrides)
    assert result.percent == percent
    assert (result.grade, result.passed) == (grade, passed)


def test_deductions_stop_at_the_item_points():
    # E5.2 (70 points): a × 20 would be 100, capped at 70; E5.2 b adds 10 more, still capped.
    result = run(LARGE, E5_2=ded(("a", 20), "b"))
    [deduction] = result.deductions
    assert (deduction.item, deduction.points) == ("E5.2", 70)
    assert "以本项分值 70 分为限" in deduction.reason
    assert result.score == 930


def test_once_rule_counts_once_however_many_times_it_is_reported():
    result = run(LARGE, E1_3=ded(("a", 3)))
    assert result.score == 990


def test_not_applicable_items_leave_the_total():
    # small/micro: the same 80 points lost: E5.3 a × 10 = 50, E5.4 a 10 + b × 4 = 30.
    lost = {"E5_3": ded(("a", 10)), "E5_4": ded("a", ("b", 4))}
    assert run(SMALL, **lost).percent == 84  # 420 / 500
    result = run(SMALL, **lost, E2_2=NA, E6_3=NA)  # 40 + 60 points leave the total
    assert (result.score, result.maximum, result.percent) == (320, 400, 80)  # exactly benchmark
    assert result.grade == "benchmark"
    assert result.details["not_applicable_items"] == ["E2.2", "E6.3"]
    assert result.details["not_applicable_points"] == 100


def test_not_applicable_changes_a_non_round_quotient():
    # 900 / 970 × 100 = 92.7835… → 92.78 (half-up to two decimals)
    result = run(LARGE, E7_3=NA, E5_2=ded(("a", 14)))
    assert (result.score, result.maximum, result.percent) == (900, 970, 92.78)


def test_veto_overrides_a_full_score():
    result = run(LARGE, vetoes=[{"code": "V2", "note": "二号除尘器未治理"}])
    assert result.percent == 100
    assert (result.grade, result.grade_label, result.passed) == ("fail", "不合格", False)
    assert [v.item for v in result.vetoes] == ["V2"]
    assert any("否决项：V2" in line for line in result.explanation)


def test_explanation_shows_the_formula_and_provisional_status():
    result = run(LARGE, E7_3=NA, E5_2=ded(("a", 14)))
    assert "实际得分 = 900 / 970 × 100 = 92.78" in result.explanation
    assert any("暂行编码" in line for line in result.explanation)


@pytest.mark.parametrize(
    ("changes", "vetoes", "field"),
    [
        ({"E1.1": None}, [], 'items["E1.1"]'),  # None: left out of the input
        ({"E1.1": {"deductions": [{"rule": "z"}]}}, [], 'items["E1.1"].deductions[0].rule'),
        ({"E1.1": {"deductions": [{"rule": "a", "count": 0}]}}, [],
         'items["E1.1"].deductions[0].count'),
        ({"E1.1": {"applicable": False, "deductions": [{"rule": "a"}]}}, [],
         'items["E1.1"].deductions'),
        ({"X9": {}}, [], 'items["X9"]'),
        ({}, [{"code": "V9"}], "vetoes[0].code"),
        ({"E1.1": {"applicable": "no"}}, [], 'items["E1.1"].applicable'),
    ],
)
def test_invalid_input_names_the_field(changes, vetoes, field):
    items = findings(LARGE)
    for code, finding in changes.items():
        if finding is None:
            del items[code]
        else:
            items[code] = finding
    with pytest.raises(EvaluationInputError) as err:
        evaluate_raw(LARGE, {"items": items, "vetoes": vetoes})
    assert err.value.field == field
    assert err.value.message_zh


def test_nothing_applicable_is_an_input_error():
    items = {code: NA for code in findings(SMALL)}
    with pytest.raises(EvaluationInputError) as err:
        evaluate_raw(SMALL, {"items": items})
    assert err.value.field == "items"


def test_same_input_gives_the_same_result():
    data = msgspec.json.encode({"items": findings(LARGE, **MINUS_200, E7_3=NA)})
    first = msgspec.json.encode(evaluate_raw(LARGE, data))
    assert msgspec.json.encode(evaluate_raw(LARGE, data)) == first


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["elements"][0]["items"][0].update(points=31), "total_points"),
        (lambda d: d["elements"][0]["items"][1].update(code="E1.1"), "duplicate item code"),
        (lambda d: d["elements"][0]["items"][0]["rules"][0].update(points=99), "exceeds"),
        (lambda d: d.update(pass_percent=65), "pass_percent"),
        (lambda d: d.update(grades=[{"grade": "pass", "label": "合格", "min": 60}]), "grades"),
        (lambda d: d.update(unknown=1), "unknown"),
    ],
)
def test_loader_rejects_an_inconsistent_standard(tmp_path, mutate, message):
    data = yaml.safe_load((STANDARDS_DIR / "large_medium.yaml").read_text(encoding="utf-8"))
    mutate(data)
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(StandardError, match=message):
        load_standard(path)


def test_an_official_table_loads_through_the_same_schema(tmp_path):
    data = yaml.safe_load((STANDARDS_DIR / "small_micro.yaml").read_text(encoding="utf-8"))
    data.update(id="dual_prevention.official_small", version="1.0.0", provisional=False)
    path = tmp_path / "official.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    evaluator = DualPreventionEvaluator(load_standard(path))
    result = run(evaluator)
    assert result.evaluator == "dual_prevention.official_small"
    assert not any("暂行编码" in line for line in result.explanation)


def test_hookimpl_provides_both_variants():
    pm = pluggy.PluginManager(hookspecs.PROJECT_NAME)
    pm.add_hookspecs(hookspecs)
    pm.register(dual_prevention)
    ids = sorted(ev.id for batch in pm.hook.anjian_evaluators() for ev in batch)
    assert ids == ["dual_prevention.large_medium", "dual_prevention.small_micro"]


@pytest.mark.parametrize("evaluator", [LARGE, SMALL], ids=["large_medium", "small_micro"])
def test_an_open_listed_major_hazard_in_the_facts_is_the_v2_veto(evaluator):
    data = {"items": findings(evaluator), "enterprise_facts": {"open_listed_major_hazards": ["h-1", "h-2"]}}
    result = evaluate_raw(evaluator, data)
    assert (result.percent, result.grade, result.passed) == (100, "fail", False)
    assert [v.item for v in result.vetoes] == ["V2"]
    assert "挂牌督办的重大事故隐患 2 项未销号：h-1、h-2" in result.vetoes[0].reason
    assert any(line.startswith("否决项：V2") for line in result.explanation)
    assert evaluate_raw(evaluator, {"items": findings(evaluator), "enterprise_facts": {}}).grade == "benchmark"


def test_shipped_standards_name_their_scale_and_the_triggered_veto():
    assert (LARGE.scale, SMALL.scale) == ("large_medium", "small_micro")
    for evaluator in (LARGE, SMALL):
        assert [v.code for v in evaluator.standard.vetoes if v.trigger == "open_listed_major_hazard"] == ["V2"]


def test_loader_rejects_two_veto_items_with_one_trigger(tmp_path):
    data = yaml.safe_load((STANDARDS_DIR / "small_micro.yaml").read_text(encoding="utf-8"))
    data["vetoes"][0]["trigger"] = "open_listed_major_hazard"
    path = tmp_path / "twice.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(StandardError, match="at most one veto item per trigger"):
        load_standard(path)
