"""Past inspections reach the tablets of whoever sees the enterprise, as a summary for the 一企一档 card."""

from __future__ import annotations

from typing import Any


def _inspections(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [i for i in items if i["entity"] == "inspection"]


async def test_an_accepted_submission_is_pulled_as_an_inspection_summary_by_the_enterprises_scope_only(world) -> None:  # type: ignore[no-untyped-def]
    author = await world.tablet("insp1")
    colleague = await world.tablet("insp3")  # same region and industry: sees the enterprise
    elsewhere = await world.tablet("insp_far", region_code="510603", industries=["hazchem"])  # 旌阳区
    other_trade = await world.tablet("insp_coal", region_code="510681", industries=["coal"])
    _, colleague_cursor = await world.pull_all(colleague)
    record = world.submission(answers={"CC-1": {"result": "fail"}, "CC-2": {"value": 35}, "CC-3": {"result": "pass"}})
    [result] = await world.push(author, record)
    assert result["status"] == "accepted" and len(result["hazard_ids"]) == 2

    items, _ = await world.pull_all(colleague, colleague_cursor)
    [pulled] = _inspections(items)
    data = pulled["data"]
    assert pulled["op"] == "upsert" and data["enterprise_id"] == world.enterprise["id"]
    assert data["submission_id"] == record["id"] and data["inspector_id"] == author.user_id and data["inspector_name"] == "insp1"
    assert (data["checklist_id"], data["checklist_version"], data["checklist_title"]) == ("hazchem.storage", "1.0.0", "危化品储存检查表")
    assert (data["failed_items"], data["hazards"]) == (2, 2)
    assert data["inspected_at"].startswith("2026-03-02T00:40:00")

    for outsider in (elsewhere, other_trade):
        everything, _ = await world.pull_all(outsider)
        assert _inspections(everything) == [], "an inspector who does not see the enterprise never receives its inspections"


async def test_an_office_recorded_inspection_has_no_checklist_and_a_deactivated_enterprise_tombstones_it(world) -> None:  # type: ignore[no-untyped-def]
    tablet = await world.tablet("insp1")
    _, cursor = await world.pull_all(tablet)
    paper = await world.api.client.post(
        "/api/v1/inspections", json={"enterprise_id": world.enterprise["id"], "inspected_at": "2026-03-05T10:00:00+08:00"}, headers=world.admin,
    )
    assert paper.status_code == 201, paper.text
    items, cursor = await world.pull_all(tablet, cursor)
    [pulled] = _inspections(items)
    assert pulled["id"] == paper.json()["id"] and pulled["data"]["checklist_title"] is None and pulled["data"]["hazards"] is None

    gone = await world.api.client.patch(f"/api/v1/enterprises/{world.enterprise['id']}", json={"active": False}, headers=world.admin)
    assert gone.status_code == 200
    items, _ = await world.pull_all(tablet, cursor)
    assert [(i["entity"], i["op"]) for i in items] == [("enterprise", "delete")]  # the tablet drops its inspections with it
    again, _ = await world.pull_all(tablet)  # a first pull now: nothing of it, only tombstones
    assert [(i["id"], i["op"]) for i in _inspections(again)] == [(paper.json()["id"], "delete")]


def test_the_reference_client_drops_an_enterprises_inspections_with_its_tombstone(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from sync.client.outbox import LocalStore

    store = LocalStore(tmp_path / "tablet.db")
    try:
        store.apply_pull([
            {"entity": "enterprise", "id": "e1", "op": "upsert", "data": {"id": "e1"}},
            {"entity": "inspection", "id": "i1", "op": "upsert", "data": {"id": "i1", "enterprise_id": "e1"}},
            {"entity": "inspection", "id": "i2", "op": "upsert", "data": {"id": "i2", "enterprise_id": "e2"}},
        ], "c1", False)
        store.apply_pull([{"entity": "enterprise", "id": "e1", "op": "delete"}], "c2", False)
        assert set(store.records("inspection")) == {"i2"}
    finally:
        store.close()
