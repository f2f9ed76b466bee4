"""Safety efficiency assessment against hand-computed examples on the default configuration.

Default weights: rectification 30, self-inspection 20, training 15, checklist 20, accidents 15.
"""

from __future__ import annotations

import msgspec
import pluggy
import pytest

from plugins import efficiency, hookspecs
from plugins.efficiency import EfficiencyEvaluator
from plugins.evaluator import EvaluationInputError, evaluate_raw

EVALUATOR = EfficiencyEvaluator()

PERFECT = {
    "rectification_on_time_rate": 100,
    "self_inspection_rate": 100,
    "training_coverage": 100,
    "checklist_score_rate": 100,
    "accidents": 0,
    "fatal_accidents": 0,
}


def run(**changes):
    return evaluate_raw(EVALUATOR, {"values": {**PERFECT, **changes}})


def test_perfect_values_score_100_excellent():
    result = run()
    assert (result.score, result.grade, result.grade_label) == (100, "excellent", "优")
    assert result.deductions == []


@pytest.mark.parametrize(
    ("changes", "total", "label"),
    [
        # checklist 70: (70-40)/(100-40) = 50 → loses 20 × 50% = 10 → 90, exactly 优
        ({"checklist_score_rate": 70}, 90, "优"),
        # checklist 69.4: score 49 → loses 10.2 → 89.8 → 良
        ({"checklist_score_rate": 69.4}, 89.8, "良"),
        # checklist 40 loses 20; self-inspection 90: (90-60)/40 = 75 → loses 5; 75, exactly 良
        ({"checklist_score_rate": 40, "self_inspection_rate": 90}, 75, "良"),
        # rectification 85 → 50 → -15; training 80 → 50 → -7.5; checklist 70 → -10;
        # one accident: (1-2)/(0-2) = 50 → -7.5; 100 - 40 = 60, exactly 中
        (
            {"rectification_on_time_rate": 85, "training_coverage": 80,
             "checklist_score_rate": 70, "accidents": 1},
            60,
            "中",
        ),
        # as above with checklist 69.4 (-10.2): 59.8 → 差
        (
            {"rectification_on_time_rate": 85, "training_coverage": 80,
             "checklist_score_rate": 69.4, "accidents": 1},
            59.8,
            "差",
        ),
        # values beyond `worst` score 0, not below: rectification 50 loses only its 30
        ({"rectification_on_time_rate": 50}, 70, "中"),
    ],
)
def test_hand_computed_totals_and_grade_boundaries(changes, total, label):
    result = run(**changes)
    assert result.score == total
    assert result.grade_label == label


def test_deductions_name_each_indicator_and_its_lost_points():
    result = run(rectification_on_time_rate=85, accidents=1)
    assert {d.item: d.points for d in result.deductions} == {
        "rectification_on_time_rate": 15,
        "accidents": 7.5,
    }


def test_fatal_accident_vetoes_an_otherwise_excellent_result():
    result = run(fatal_accidents=1)
    assert result.score == 100
    assert (result.grade, result.grade_label) == ("poor", "差")
    assert [v.item for v in result.vetoes] == ["fatal_accidents"]
    assert any("死亡事故" in line for line in result.explanation)


def test_custom_configuration_in_the_input():
    config = {
        "indicators": [
            {"code": "a", "title": "甲", "weight": 1, "worst": 0, "best": 10},
            {"code": "b", "title": "乙", "weight": 3, "worst": 10, "best": 0},
        ],
        "grades": [
            {"grade": "excellent", "label": "优", "min": 80},
            {"grade": "poor", "label": "差", "min": 0},
        ],
    }
    # a = 10 → 100; b = 5 → 50; (1 × 100 + 3 × 50) / 4 = 62.5
    result = evaluate_raw(EVALUATOR, {"values": {"a": 10, "b": 5}, "config": config})
    assert (result.score, result.grade_label) == (62.5, "差")


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"values": {**PERFECT, "training_coverage": 101}}, 'values["training_coverage"]'),
        ({"values": {**PERFECT, "accidents": -1}}, 'values["accidents"]'),
        ({"values": {**PERFECT, "unknown": 1}}, 'values["unknown"]'),
        ({"values": {k: v for k, v in PERFECT.items() if k != "accidents"}}, 'values["accidents"]'),
        ({"values": {**PERFECT, "accidents": "one"}}, 'values["accidents"]'),
        (
            {"values": {"a": 1}, "config": {
                "indicators": [{"code": "a", "title": "甲", "weight": 1, "worst": 0, "best": 1}],
                "grades": [{"grade": "x", "label": "优", "min": 50}]}},
            "config.grades[0].min",
        ),
        (
            {"values": {"a": 1}, "config": {
                "indicators": [{"code": "a", "title": "甲", "weight": 1, "worst": 1, "best": 1}],
                "grades": [{"grade": "x", "label": "差", "min": 0}]}},
            "config.indicators[0].best",
        ),
    ],
)
def test_invalid_input_names_the_field(data, field):
    with pytest.raises(EvaluationInputError) as err:
        evaluate_raw(EVALUATOR, data)
    assert err.value.field == field


def test_same_input_gives_the_same_result():
    data = msgspec.json.encode({"values": {**PERFECT, "checklist_score_rate": 69.4}})
    first = msgspec.json.encode(evaluate_raw(EVALUATOR, data))
    assert msgspec.json.encode(evaluate_raw(EVALUATOR, data)) == first


def test_hookimpl_provides_the_evaluator():
    pm = pluggy.PluginManager(hookspecs.PROJECT_NAME)
    pm.add_hookspecs(hookspecs)
    pm.register(efficiency)
    ids = [ev.id for batch in pm.hook.anjian_evaluators() for ev in batch]
    assert ids == ["efficiency.assessment"]
