"""An enterprise user's tablet pulls its enterprise's generated check lists (nobody else's), pushes a
self-check on one: a failed item raises a hazard through the normal pipeline and the period's task
is done. A submission on an owned list for another enterprise is refused naming ``checklist_id``;
one made on a superseded version still validates and scores."""

from __future__ import annotations

from typing import Any

import pytest

from checklists.generated import checklist_id_for
from core.scheduler.runner import run_job
from plugins.manager import load_plugins
from server import create_app

LEC_YELLOW = {"method": "lec", "inputs": {"l": 3, "e": 6, "c": 7}}


@pytest.fixture
async def sync_app(sync_settings, clock, recorder):  # type: ignore[no-untyped-def]
    """The sync tests' app with the built-in plugins: the register's LEC evaluator, checklist.score."""
    plugins = load_plugins(strict=True, entry_points=False)
    plugins.register(recorder, "recorder")
    return create_app(sync_settings, clock=clock, plugins=plugins)


def _point(*texts: str) -> dict[str, Any]:
    return {
        "name": "危化品库房", "kind": "place", "hazard_factors": ["22"], "accident_types": ["fire"], "assessment": LEC_YELLOW,
        "controls": [{"kind": "management", "text": text, "level": "team", "responsible_post": "班长", "responsible_person": "李四"} for text in texts],
    }


async def _register(world, *texts: str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    api, firm = world.api, world.enterprise
    r = await api.client.post(f"/api/v1/enterprises/{firm['id']}/risk-register/points", json=_point(*texts), headers=world.admin)
    assert r.status_code == 201, r.text
    r = await api.client.post(f"/api/v1/enterprises/{firm['id']}/check-lists/generate", headers=world.admin)
    assert r.status_code == 200, r.text
    return r.json()


def _lists(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {i["id"]: i for i in items if i["entity"] == "checklist_version" and i["id"].startswith("self_check.")}


async def test_the_enterprise_pulls_its_list_and_a_self_check_raises_a_hazard_and_fulfils_the_task(world) -> None:  # type: ignore[no-untyped-def]
    firm = world.enterprise
    await _register(world, "库房温度每日记录", "消防器材每日检查")
    team = checklist_id_for(firm["id"], "team", "daily")
    own = await world.tablet("boss", role="enterprise_user", enterprise_id=firm["id"])
    neighbour = await world.api.enterprise(world.admin, name="广汉市邻家化工有限公司")
    stranger = await world.tablet("neighbour", role="enterprise_user", enterprise_id=neighbour["id"])
    elsewhere = await world.tablet("far", region_code="510603", industries=["hazchem"])
    inspector = await world.tablet("insp", region_code="510681", industries=["hazchem"])

    pulled, _ = await world.pull_all(own)
    [entry] = _lists(pulled).values()
    assert entry["id"] == f"{team}@1.0.0" and entry["op"] == "upsert"
    assert entry["data"]["content"]["applies_to"] == {"enterprises": [firm["id"]]}
    assert f"{team}@1.0.0" in _lists((await world.pull_all(inspector))[0])  # staff in scope see it too
    assert _lists((await world.pull_all(stranger))[0]) == {}
    assert _lists((await world.pull_all(elsewhere))[0]) == {}

    tasks = (await world.api.client.get("/api/v1/self-check-tasks", params={"enterprise_id": firm["id"]}, headers=own.headers)).json()
    [task] = [t for t in tasks["items"] if t["checklist_id"] == team]
    assert (task["period"], task["status"], task["required"], task["done_count"]) == ("2026-03-02", "due", 1, 0)

    record = world.submission(
        checklist_id=team, checklist_version="1.0.0", checklist_hash=entry["data"]["content_hash"],
        started_at="2026-03-02T15:00:00+08:00", finished_at="2026-03-02T15:20:00+08:00",
        answers={"RP-001.C01": {"result": "pass"}, "RP-001.C02": {"result": "fail", "note": "灭火器过期"}},
    )
    [result] = await world.push(own, record)
    assert result["status"] == "accepted", result
    [hazard_id] = result["hazard_ids"]
    hazard = (await world.api.client.get(f"/api/v1/hazards/{hazard_id}", headers=own.headers)).json()["hazard"]
    assert hazard["item_code"] == "RP-001.C02" and hazard["checklist_id"] == team and "灭火器过期" in hazard["description"]

    tasks = (await world.api.client.get("/api/v1/self-check-tasks", params={"enterprise_id": firm["id"], "status": "done"}, headers=own.headers)).json()
    assert [(t["checklist_id"], t["done_count"]) for t in tasks["items"]] == [(team, 1)]
    summary = (await world.api.client.get(f"/api/v1/enterprises/{firm['id']}/self-checks/summary", headers=inspector.headers)).json()
    assert (summary["done"], summary["self_checks"], summary["failed_items"], summary["hazards_raised"], summary["hazards_open"]) == (1, 1, 1, 1, 1)
    # The job recounts from the records and changes nothing.
    outcome = await run_job(world.api.ctx, "self_check_tasks")
    assert outcome.result["marked_done"] == 0 and outcome.result["tasks_created"] == 0

    # Out of scope: not listed, not countable.
    assert (await world.api.client.get("/api/v1/self-check-tasks", headers=stranger.headers)).json()["total"] == 0
    assert (await world.api.client.get(f"/api/v1/enterprises/{firm['id']}/self-checks/summary", headers=elsewhere.headers)).status_code == 404


async def test_an_owned_list_is_refused_for_another_enterprise(world) -> None:  # type: ignore[no-untyped-def]
    firm = world.enterprise
    await _register(world, "库房温度每日记录")
    team = checklist_id_for(firm["id"], "team", "daily")
    inspector = await world.tablet("insp", region_code="510681", industries=["hazchem"])
    [entry] = _lists((await world.pull_all(inspector))[0]).values()
    neighbour = await world.api.enterprise(world.admin, name="广汉市邻家化工有限公司")
    pinned = {"checklist_id": team, "checklist_version": "1.0.0", "checklist_hash": entry["data"]["content_hash"], "answers": {"RP-001.C01": {"result": "pass"}}}
    [result] = await world.push(inspector, world.submission(**pinned, enterprise_id=neighbour["id"]))
    assert (result["status"], result["code"], result["field"]) == ("rejected", "checklist_enterprise_mismatch", "checklist_id")
    # To an enterprise user who does not see the owner the list does not exist at all.
    stranger = await world.tablet("neighbour", role="enterprise_user", enterprise_id=neighbour["id"])
    [result] = await world.push(stranger, world.submission(**pinned, enterprise_id=neighbour["id"]))
    assert (result["status"], result["code"]) == ("rejected", "unknown_checklist_version")


async def test_a_self_check_on_a_superseded_version_still_validates_and_scores(world) -> None:  # type: ignore[no-untyped-def]
    firm = world.enterprise
    await _register(world, "库房温度每日记录")
    team = checklist_id_for(firm["id"], "team", "daily")
    own = await world.tablet("boss", role="enterprise_user", enterprise_id=firm["id"])
    [old] = _lists((await world.pull_all(own))[0]).values()
    out = await _register(world, "消防器材每日检查")  # a second point: the team list gains a section
    assert [(g["checklist_id"], g["version"]) for g in out["published"]] == [(team, "1.1.0")]
    record = world.submission(
        checklist_id=team, checklist_version="1.0.0", checklist_hash=old["data"]["content_hash"], answers={"RP-001.C01": {"result": "fail"}},
    )
    [result] = await world.push(own, record)
    assert result["status"] == "accepted", result
    scored = await world.api.client.post(
        "/api/v1/evaluations", json={"enterprise_id": firm["id"], "evaluator": "checklist.score", "input": {"submission_id": record["id"]}}, headers=world.admin,
    )
    assert scored.status_code == 201, scored.text
    assert scored.json()["input"]["checklist_version"] == "1.0.0"
    assert scored.json()["result"]["details"]["outcomes"] == {"RP-001.C01": "fail"}
