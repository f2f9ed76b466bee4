"""Checking a submission's answers against its pinned checklist version: each answer fits its item
(pass/fail answered by a result, a number in range, a photo where one is required, not applicable
only where allowed), every required item is answered, and the failed items come in checklist order."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest

from checklists.schema import Checklist
from core.errors import InvalidInput
from sync.push.pinned import PinnedVersion
from sync.push.submission_ingest import check_answers
from sync.wire import SubmissionRecord

_ITEMS = [
    {"code": "A-1", "text": "安全出口畅通"},
    {"code": "A-2", "text": "仓库温度（℃）", "answer": {"kind": "number", "min": -10, "max": 30}},
    {"code": "A-3", "text": "防爆电气完好", "answer": {"allow_na": False}},
    {"code": "A-4", "text": "消防器材在有效期内", "photo_required": True},
    {"code": "A-5", "text": "现场照片", "answer": {"kind": "photo"}},
    {"code": "A-6", "text": "备注", "answer": {"kind": "text"}, "required": False},
    {"code": "A-7", "text": "警示标志齐全"},
]
_PHOTO = "a" * 64
_GOOD: dict[str, Any] = {
    "A-1": {"result": "pass"}, "A-2": {"value": 20}, "A-3": {"result": "pass"}, "A-4": {"result": "pass", "photos": [_PHOTO]},
    "A-5": {"photos": [_PHOTO]}, "A-7": {"result": "pass"},
}


def _pinned() -> PinnedVersion:
    checklist = msgspec.convert(
        {"id": "t.answers", "version": "1.0.0", "title": "答案检查", "industry": "hazchem",
         "sections": [{"code": "A", "title": "通用", "items": [{**item, "basis": [{"document": "GB 1"}]} for item in _ITEMS]}]},
        Checklist,
    )
    return PinnedVersion("0" * 64, checklist)


def _record(**answers: Any) -> SubmissionRecord:
    return msgspec.convert(
        {"kind": "submission", "id": "00000000-0000-4000-8000-000000000001", "enterprise_id": "e1", "checklist_id": "t.answers",
         "checklist_version": "1.0.0", "checklist_hash": "0" * 64, "started_at": "2026-03-02T08:00:00+08:00",
         "finished_at": "2026-03-02T09:00:00+08:00", "answers": {**_GOOD, **answers}},
        SubmissionRecord,
    )


def test_failed_items_come_in_checklist_order_whatever_the_order_of_the_answers() -> None:
    record = _record(**{"A-7": {"result": "fail"}, "A-2": {"value": 31}, "A-1": {"result": "fail"}, "A-5": {"result": "fail", "photos": [_PHOTO]}})
    record.answers = dict(reversed(record.answers.items()))
    assert check_answers(record, _pinned()) == ["A-1", "A-2", "A-5", "A-7"]
    assert check_answers(_record(), _pinned()) == []
    assert check_answers(_record(**{"A-1": {"result": "na"}}), _pinned()) == []  # not applicable: neither passed nor failed


@pytest.mark.parametrize(
    ("answers", "field", "code"),
    [
        ({"A-1": {"result": "pass", "value": 3}}, "answers.A-1.value", "unexpected_value"),  # a pass/fail item answered with a value
        ({"A-1": {"note": "看不清"}}, "answers.A-1.result", "answer_missing"),
        ({"A-3": {"result": "na"}}, "answers.A-3.result", "na_not_allowed"),
        ({"A-4": {"result": "pass"}}, "answers.A-4.photos", "photo_required"),  # passed, but without the photo it needs
        ({"A-4": {"result": "fail"}}, "answers.A-4.photos", "photo_required"),
        ({"A-2": {"value": "二十"}}, "answers.A-2.value", "number_required"),
        ({"A-5": {"result": "pass"}}, "answers.A-5.photos", "photo_required"),
        ({"A-6": {"result": "fail"}}, "answers.A-6.result", "text_cannot_fail"),
        ({"Z-9": {"result": "pass"}}, "answers.Z-9", "unknown_item"),
    ],
)
def test_an_answer_that_does_not_fit_its_item_is_refused_naming_it(answers: dict[str, Any], field: str, code: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_answers(_record(**answers), _pinned())
    assert (refused.value.field, refused.value.code) == (field, code)


def test_a_required_item_left_unanswered_is_refused_and_an_optional_one_is_not() -> None:
    record = _record()
    del record.answers["A-7"]
    with pytest.raises(InvalidInput) as refused:
        check_answers(record, _pinned())
    assert (refused.value.field, refused.value.code) == ("answers.A-7", "required_item_missing")
    assert "A-6" not in _record().answers and check_answers(_record(), _pinned()) == []


def test_every_answer_that_does_not_fit_is_reported_not_only_the_first() -> None:
    record = _record(**{"A-1": {"note": "看不清"}, "A-3": {"result": "na"}, "A-2": {"value": "二十"}})
    del record.answers["A-7"]
    problems: list = []
    check_answers(record, _pinned(), problems)
    assert [(p.field, p.code) for p in problems] == [
        ("answers.A-1.result", "answer_missing"), ("answers.A-2.value", "number_required"), ("answers.A-3.result", "na_not_allowed"),
        ("answers.A-7", "required_item_missing"),
    ]
    with pytest.raises(InvalidInput) as refused:
        check_answers(record, _pinned())
    assert (refused.value.field, refused.value.code) == ("answers.A-1.result", "answer_missing")
    assert [p.code for p in refused.value.problems] == [p.code for p in problems]  # type: ignore[attr-defined]
