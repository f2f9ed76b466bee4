"""LEC and risk-matrix grading against hand-computed examples, at and around every boundary."""

from __future__ import annotations

import msgspec
import pluggy
import pytest

from plugins import hookspecs, risk_grading
from plugins.evaluator import EvaluationInputError, Evaluator, evaluate_raw
from plugins.risk_grading import Cut, LecEvaluator, RiskBands, RiskMatrixEvaluator
from plugins.risk_grading.bands import classify, describe_band

LEC = LecEvaluator()
MATRIX = RiskMatrixEvaluator()


@pytest.mark.parametrize(
    ("l", "e", "c", "d", "level"),
    [
        (10, 10, 100, 10000, "major"),
        (10, 6, 7, 420, "major"),
        (6, 6, 7, 252, "high"),  # 160 < 252 ≤ 320
        (10, 6, 3, 180, "high"),
        (10, 3, 3, 90, "moderate"),
        (10, 1, 7, 70, "low"),  # exactly 70: each band includes its upper bound, so 70 is blue
        (1, 10, 7, 70, "low"),
        (6, 1, 7, 42, "low"),
        (10, 2, 1, 20, "low"),
        (3, 6, 1, 18, "low"),  # D < 20 gets a colour too: every risk is graded
        (0.1, 3, 1, 0.3, "low"),  # the decimal product is exact, not 0.30000000000000004
        (0.1, 0.5, 1, 0.05, "low"),  # the smallest D the tables allow
        (0.5, 10, 40, 200, "high"),
    ],
)
def test_lec_grades_hand_computed_examples(l, e, c, d, level):
    result = evaluate_raw(LEC, {"l": l, "e": e, "c": c})
    assert result.score == d
    assert result.risk_level == level
    assert result.grade == level
    assert f"D = {l:g} × {e:g} × {c:g} = {d:g}" in result.explanation


@pytest.mark.parametrize(
    ("d", "level", "band"),
    [
        (320.5, "major", "D > 320"),
        (320, "high", "160 < D ≤ 320"),
        (160.5, "high", "160 < D ≤ 320"),
        (160, "moderate", "70 < D ≤ 160"),
        (70.5, "moderate", "70 < D ≤ 160"),
        (70, "low", "D ≤ 70"),
        (19.9, "low", "D ≤ 70"),
        (0.05, "low", "D ≤ 70"),
    ],
)
def test_lec_default_boundaries_put_each_bound_in_the_band_below_it(d, level, band):
    bands = LEC.thresholds
    assert classify(d, bands) == level
    assert describe_band(level, bands, "D") == band


def test_lec_below_twenty_is_low_and_blue_with_the_boundary_rule_stated():
    result = evaluate_raw(LEC, {"l": 3, "e": 6, "c": 1})  # D = 18
    assert (result.risk_level, result.grade, result.grade_label) == ("low", "low", "低风险（蓝）")
    assert "D ≤ 70，判定为低风险（蓝），一般危险或稍有危险，需要注意" in result.explanation
    assert result.details["thresholds"] == {
        "major": {"min": 320, "inclusive": False},
        "high": {"min": 160, "inclusive": False},
        "moderate": {"min": 70, "inclusive": False},
    }
    assert "低于一般风险下限的均为低风险" in result.details["boundary_rule"]


def test_a_low_bound_is_a_configurable_choice_that_leaves_smaller_risks_ungraded():
    bands = RiskBands(major=Cut(min=320, inclusive=False), high=Cut(min=160), moderate=Cut(min=70), low=Cut(min=20))
    local = LecEvaluator(thresholds=bands)
    result = evaluate_raw(local, {"l": 3, "e": 6, "c": 1})  # D = 18
    assert (result.risk_level, result.grade) == (None, "not_graded")
    assert "D < 20，判定为不分级（可接受风险），稍有危险，可以接受" in result.explanation
    assert evaluate_raw(local, {"l": 10, "e": 1, "c": 7}).risk_level == "moderate"  # 70 ≤ D < 160 here


def test_lec_boundary_sides_are_configurable_and_explained():
    # A local rule putting 70 into yellow: each band includes its lower bound instead.
    bands = RiskBands(major=Cut(min=320, inclusive=False), high=Cut(min=160), moderate=Cut(min=70))
    lower_sides = LecEvaluator(thresholds=bands)
    result = evaluate_raw(lower_sides, {"l": 10, "e": 1, "c": 7})
    assert result.risk_level == "moderate"
    assert "70 ≤ D < 160，判定为一般风险（黄），显著危险，需要整改" in result.explanation
    default = evaluate_raw(LEC, {"l": 10, "e": 1, "c": 7})
    assert "D ≤ 70，判定为低风险（蓝），一般危险或稍有危险，需要注意" in default.explanation


def test_thresholds_in_the_input_override_the_defaults():
    data = {
        "l": 3,
        "s": 5,
        "thresholds": {
            "major": {"min": 15},
            "high": {"min": 9},
            "moderate": {"min": 4},
            "low": {"min": 1},
        },
    }
    assert evaluate_raw(MATRIX, data).risk_level == "major"
    del data["thresholds"]
    assert evaluate_raw(MATRIX, data).risk_level == "high"


def test_thresholds_out_of_order_are_rejected_with_the_field():
    data = {
        "l": 3,
        "e": 3,
        "c": 3,
        "thresholds": {
            "major": {"min": 100},
            "high": {"min": 160},
            "moderate": {"min": 70},
            "low": {"min": 20},
        },
    }
    with pytest.raises(EvaluationInputError) as err:
        evaluate_raw(LEC, data)
    assert err.value.field == "thresholds.major.min"


@pytest.mark.parametrize(
    ("l", "s", "r", "level"),
    [
        (5, 5, 25, "major"),
        (4, 5, 20, "major"),  # exactly 20
        (4, 4, 16, "high"),
        (3, 3, 9, "high"),  # exactly 9
        (2, 4, 8, "moderate"),
        (2, 2, 4, "moderate"),  # exactly 4
        (1, 3, 3, "low"),
        (1, 1, 1, "low"),
    ],
)
def test_matrix_grades_hand_computed_examples(l, s, r, level):
    result = evaluate_raw(MATRIX, {"l": l, "s": s})
    assert (result.score, result.risk_level, result.maximum) == (r, level, 25)


@pytest.mark.parametrize(
    ("evaluator", "data", "field"),
    [
        (LEC, {"l": 7, "e": 6, "c": 7}, "l"),
        (LEC, {"l": 6, "e": 4, "c": 7}, "e"),
        (LEC, {"l": 6, "e": 6, "c": 6}, "c"),  # one source's C = 6 is not in the shipped table
        (LEC, {"l": "6", "e": 6, "c": 7}, "l"),
        (LEC, {"l": 6, "e": 6}, "c"),
        (LEC, {"l": 6, "e": 6, "c": 7, "x": 1}, "x"),
        (MATRIX, {"l": 6, "s": 1}, "l"),
        (MATRIX, {"l": 1, "s": 0}, "s"),
        (MATRIX, {"l": 1.5, "s": 1}, "l"),
    ],
)
def test_values_outside_the_tables_are_rejected_with_the_field(evaluator, data, field):
    with pytest.raises(EvaluationInputError) as err:
        evaluate_raw(evaluator, data)
    assert err.value.field == field
    assert err.value.message and err.value.message_zh


def test_rejection_lists_the_allowed_values_in_chinese():
    with pytest.raises(EvaluationInputError) as err:
        evaluate_raw(LEC, {"l": 7, "e": 6, "c": 7})
    assert "10, 6, 3, 1, 0.5, 0.2, 0.1" in err.value.message_zh


def test_same_input_gives_the_same_result():
    data = b'{"l": 6, "e": 6, "c": 7}'
    first = msgspec.json.encode(evaluate_raw(LEC, data))
    assert all(msgspec.json.encode(evaluate_raw(LEC, data)) == first for _ in range(5))


def test_hookimpl_provides_both_evaluators():
    pm = pluggy.PluginManager(hookspecs.PROJECT_NAME)
    pm.add_hookspecs(hookspecs)
    pm.register(risk_grading)
    evaluators = [ev for batch in pm.hook.anjian_evaluators() for ev in batch]
    assert sorted(ev.id for ev in evaluators) == ["risk.lec", "risk.matrix"]
    assert all(isinstance(ev, Evaluator) for ev in evaluators)
