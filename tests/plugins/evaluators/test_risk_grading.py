"""LEC and risk-matrix grading against hand-computed examples, at and around every boundary."""

from __future__ import annotations

import msgspec
import pluggy
import pytest

from plugins import hookspecs, risk_grading
from plugins.evaluator import EvaluationInputError, Evaluator, evaluate_raw
from plugins.risk_grading import Cut, LecEvaluator, RiskBands, RiskMatrixEvaluator

LEC = LecEvaluator()
MATRIX = RiskMatrixEvaluator()


@pytest.mark.parametrize(
    ("l", "e", "c", "d", "level"),
    [
        (10, 10, 100, 10000, "major"),
        (10, 6, 7, 420, "major"),
        (6, 6, 7, 252, "high"),  # 160 ≤ 252 ≤ 320
        (10, 6, 3, 180, "high"),
        (10, 3, 3, 90, "moderate"),
        (10, 1, 7, 70, "moderate"),  # exactly 70: the lower bound of yellow is inclusive
        (1, 10, 7, 70, "moderate"),
        (6, 1, 7, 42, "low"),
        (10, 2, 1, 20, "low"),  # exactly 20: graded blue, only D < 20 is not graded
        (3, 6, 1, 18, None),
        (0.1, 3, 1, 0.3, None),  # the decimal product is exact, not 0.30000000000000004
        (0.5, 10, 40, 200, "high"),
    ],
)
def test_lec_grades_hand_computed_examples(l, e, c, d, level):
    result = evaluate_raw(LEC, {"l": l, "e": e, "c": c})
    assert result.score == d
    assert result.risk_level == level
    assert result.grade == (level or "not_graded")
    assert f"D = {l:g} × {e:g} × {c:g} = {d:g}" in result.explanation


def test_lec_boundary_sides_are_configurable_and_explained():
    # A local rule putting 70 into blue: yellow starts above 70.
    bands = RiskBands(
        major=Cut(min=320, inclusive=False),
        high=Cut(min=160, inclusive=False),
        moderate=Cut(min=70, inclusive=False),
        low=Cut(min=20),
    )
    strict = LecEvaluator(thresholds=bands)
    result = evaluate_raw(strict, {"l": 10, "e": 1, "c": 7})
    assert result.risk_level == "low"
    assert "20 ≤ D ≤ 70，判定为低风险（蓝），一般危险，需要注意" in result.explanation
    default = evaluate_raw(LEC, {"l": 10, "e": 1, "c": 7})
    assert "70 ≤ D < 160，判定为一般风险（黄），显著危险，需要整改" in default.explanation


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
