"""Checklist score against hand-computed examples."""

from __future__ import annotations

import msgspec
import pluggy
import pytest

from plugins import checklist_score, hookspecs
from plugins.checklist_score import ChecklistScoreEvaluator
from plugins.evaluator import EvaluationInputError, evaluate_raw

EVALUATOR = ChecklistScoreEvaluator()

BASIS = [{"document": "工贸企业重大事故隐患判定标准", "article": "第四条"}]

CHECKLIST = {
    "id": "industrial_trade.dust",
    "version": "1.2.0",
    "title": "粉尘涉爆企业检查表",
    "industry": "industrial_trade",
    "sections": [
        {
            "code": "S1",
            "title": "除尘系统",
            "items": [
                {"code": "A1", "text": "不同类别粉尘未共用除尘系统", "basis": BASIS,
                 "points": 10, "major_hazard": True},
                {"code": "A2", "text": "除尘器设置泄爆装置", "basis": BASIS, "points": 20},
                {"code": "A3", "text": "风管风速（m/s）", "basis": BASIS, "points": 5,
                 "answer": {"kind": "number", "min": 23, "max": 30, "unit": "m/s"}},
            ],
        },
        {
            "code": "S2",
            "title": "现场管理",
            "items": [
                {"code": "B1", "text": "粉尘清扫记录", "basis": BASIS, "points": 15},
                {"code": "B2", "text": "现场照片", "basis": BASIS, "points": 0,
                 "answer": {"kind": "photo"}, "required": False},
                {"code": "B3", "text": "安全承诺公告", "basis": BASIS, "points": 10,
                 "answer": {"allow_na": False}},
            ],
        },
    ],
}


def run(answers):
    return evaluate_raw(EVALUATOR, {"checklist": CHECKLIST, "answers": answers})


ALL_PASS = {
    "A1": {"status": "pass"},
    "A2": {"status": "pass"},
    "A3": {"value": 25},
    "B1": {"status": "pass"},
    "B3": {"status": "pass"},
}


def test_all_passed_earns_every_point():
    result = run(ALL_PASS)
    assert (result.score, result.maximum, result.percent) == (60, 60, 100)
    assert result.deductions == [] and result.vetoes == []
    assert result.details["unanswered"] == ["B2"]


def test_not_applicable_items_leave_the_maximum():
    # A2 (20) not applicable, B1 (15) failed: 60 - 20 = 40 applicable, 40 - 15 = 25 earned.
    result = run({**ALL_PASS, "A2": {"status": "na"}, "B1": {"status": "fail", "text": "无记录"}})
    assert (result.score, result.maximum, result.percent) == (25, 40, 62.5)
    assert result.details["not_applicable_points"] == 20
    [deduction] = result.deductions
    assert (deduction.item, deduction.points) == ("B1", 15)
    assert "无记录" in deduction.reason


@pytest.mark.parametrize(
    ("value", "outcome"), [(23, "pass"), (30, "pass"), (22.99, "fail"), (30.01, "fail")]
)
def test_number_outside_min_max_fails_and_the_bounds_are_inclusive(value, outcome):
    result = run({**ALL_PASS, "A3": {"value": value}})
    assert result.details["outcomes"]["A3"] == outcome
    assert result.score == (60 if outcome == "pass" else 55)


def test_failed_major_hazard_item_is_flagged_as_a_veto():
    result = run({**ALL_PASS, "A1": {"status": "fail"}})
    assert result.score == 50 and result.percent == 83.33  # 50 / 60, rounded half up
    assert [v.item for v in result.vetoes] == ["A1"]
    assert result.grade == "major_hazard"
    assert result.details["major_hazards"] == ["A1"]


def test_with_only_one_applicable_item_it_alone_decides_the_percent():
    answers = {code: {"status": "na"} for code in ("A1", "A2", "A3", "B1")}
    result = run({**answers, "B3": {"status": "fail"}, "B2": {"status": "na"}})
    assert (result.score, result.maximum, result.percent) == (0, 10, 0)
    result = run({**answers, "B3": {"status": "pass"}})
    assert result.percent == 100


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({**ALL_PASS, "A2": {"status": "maybe"}}, 'answers["A2"].status'),
        ({**ALL_PASS, "A3": {"value": "high"}}, 'answers["A3"].value'),
        ({**ALL_PASS, "A3": {"status": "pass"}}, 'answers["A3"].value'),
        ({**ALL_PASS, "A2": {}}, 'answers["A2"].status'),
        ({**ALL_PASS, "B3": {"status": "na"}}, 'answers["B3"].status'),
        ({k: v for k, v in ALL_PASS.items() if k != "B1"}, 'answers["B1"]'),
        ({**ALL_PASS, "Z9": {"status": "pass"}}, 'answers["Z9"]'),
        ({**ALL_PASS, "A1": {"status": "pass", "note": "x"}}, 'answers["A1"].note'),
    ],
)
def test_invalid_answers_name_the_field(answers, field):
    with pytest.raises(EvaluationInputError) as err:
        run(answers)
    assert err.value.field == field


def test_invalid_checklist_names_the_field():
    bad = {**CHECKLIST, "version": "1.2"}
    with pytest.raises(EvaluationInputError) as err:
        evaluate_raw(EVALUATOR, {"checklist": bad, "answers": ALL_PASS})
    assert err.value.field == "checklist.version"


def test_same_input_gives_the_same_result():
    data = msgspec.json.encode({"checklist": CHECKLIST, "answers": ALL_PASS})
    first = msgspec.json.encode(evaluate_raw(EVALUATOR, data))
    assert msgspec.json.encode(evaluate_raw(EVALUATOR, data)) == first


def test_hookimpl_provides_the_evaluator():
    pm = pluggy.PluginManager(hookspecs.PROJECT_NAME)
    pm.add_hookspecs(hookspecs)
    pm.register(checklist_score)
    assert [ev.id for batch in pm.hook.anjian_evaluators() for ev in batch] == ["checklist.score"]
