"""A rejected record reports every problem found at once (``problems``), so the tablet's user fixes
a submission in one round trip; the top-level code, field and messages are the first problem."""

from __future__ import annotations

import uuid

from sqlmodel import func, select

from sync.push.submissions import Submission


async def test_every_problem_of_a_submission_is_reported_at_once(world) -> None:  # type: ignore[no-untyped-def]
    tablet = await world.tablet("insp1")
    record = world.submission(
        answers={"CC-2": {"value": "二十"}, "CC-3": {"result": "pass", "value": 1}, "ZZ-9": {"result": "pass"}},
        started_at="2026-03-02T09:00:00+08:00", finished_at="2026-03-02T08:00:00+08:00",
        hazards=[{"id": str(uuid.uuid4()), "item_code": "CC-3", "description": "未登记建档"}],
    )
    [result] = await world.push(tablet, record)
    assert result["status"] == "rejected"
    found = [(p["field"], p["code"]) for p in result["problems"]]
    assert found == [
        ("answers.CC-2.value", "number_required"),
        ("answers.CC-3.value", "unexpected_value"),
        ("answers.ZZ-9", "unknown_item"),
        ("answers.CC-1", "required_item_missing"),
        ("finished_at", "finished_before_started"),
        ("hazards.0.item_code", "item_not_failed"),
    ]
    assert all(p["message"] and p["message_zh"] for p in result["problems"])
    first = result["problems"][0]
    assert (result["code"], result["field"], result["message"], result["message_zh"]) == (first["code"], first["field"], first["message"], first["message_zh"])
    async with world.api.ctx.db.read() as session:
        assert (await session.exec(select(func.count()).select_from(Submission))).one() == 0


async def test_an_unknown_enterprise_and_an_unpublished_version_are_reported_together(world) -> None:  # type: ignore[no-untyped-def]
    tablet = await world.tablet("insp1")
    [result] = await world.push(tablet, world.submission(enterprise_id=str(uuid.uuid4()), checklist_version="9.9.9"))
    assert [(p["field"], p["code"]) for p in result["problems"]] == [
        ("enterprise_id", "enterprise_not_found"), ("checklist_version", "unknown_checklist_version"),
    ]


async def test_a_record_with_one_problem_lists_it_too(world) -> None:  # type: ignore[no-untyped-def]
    tablet = await world.tablet("insp1")
    [result] = await world.push(tablet, world.submission(answers={"CC-1": {"result": "maybe"}}))
    assert result["status"] == "rejected" and result["code"] == "invalid_record"
    assert [(p["field"], p["code"]) for p in result["problems"]] == [("answers.CC-1.result", "invalid_record")]


async def test_an_admin_reingesting_a_record_hears_every_problem(world) -> None:  # type: ignore[no-untyped-def]
    tablet = await world.tablet("insp1")
    record = world.submission(answers={"CC-2": {"value": "二十"}, "ZZ-9": {"result": "pass"}, "CC-1": {"result": "pass"}, "CC-3": {"result": "pass"}})
    [result] = await world.push(tablet, record)
    response = await world.api.client.post(f"/api/v1/sync/quarantine/{result['quarantine_id']}/reingest", json={}, headers=world.admin)
    assert response.status_code == 400
    body = response.json()
    assert body["field"] == "answers.CC-2.value"
    assert [(p["field"], p["code"]) for p in body["problems"]] == [("answers.CC-2.value", "number_required"), ("answers.ZZ-9", "unknown_item")]
