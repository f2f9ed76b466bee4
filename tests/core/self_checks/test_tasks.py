"""Self-check tasks: local periods, the shifts setting, planning and marking missed by the job,
cancelling when a list leaves the register, filters (liaison=me, from/to) and scope."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlmodel import col, update

from core.enterprises.records import Enterprise
from core.scheduler.runner import run_job
from core.self_checks.periods import period_of
from server import create_app
from tests.conftest import make_settings, serving

LEC_YELLOW = {"method": "lec", "inputs": {"l": 3, "e": 6, "c": 7}}


def _point(*controls: tuple[str, str]) -> dict[str, Any]:
    return {
        "name": "冲压车间", "kind": "place", "hazard_factors": ["21"], "accident_types": ["machinery"], "assessment": LEC_YELLOW,
        "controls": [{"kind": "management", "text": text, "level": level, "responsible_post": "班长", "responsible_person": "李四"} for level, text in controls],
    }


@pytest.fixture
async def api(db_url, tmp_path, clock):  # type: ignore[no-untyped-def]
    """Two shifts a day: a 每班 list needs two self-checks daily."""
    async with serving(create_app(make_settings(db_url, str(tmp_path / "data"), self_check_shifts=2), clock=clock)) as helper:
        yield helper


async def _firm_with_lists(api, admin, name: str = "广汉市冲压件厂", **fields: Any) -> tuple[dict[str, Any], str]:  # type: ignore[no-untyped-def]
    firm = await api.enterprise(admin, name=name, industries=["industrial_trade"], **fields)
    r = await api.client.post(f"/api/v1/enterprises/{firm['id']}/risk-register/points", json=_point(("post", "班前检查光电保护"), ("company", "每月检查安全投入台账")), headers=admin)
    assert r.status_code == 201, r.text
    point = r.json()
    assert (await api.client.post(f"/api/v1/enterprises/{firm['id']}/check-lists/generate", headers=admin)).status_code == 200
    return firm, point["id"]


async def _tasks(api, headers, **params: Any) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    r = await api.client.get("/api/v1/self-check-tasks", params=params, headers=headers)
    assert r.status_code == 200, r.text
    return r.json()


def test_periods_are_local_days_iso_weeks_months_and_quarters():
    at = datetime(2026, 3, 1, 17, 0, tzinfo=UTC)  # 01:00 on Monday 2 March in China
    assert period_of("daily", at).key == period_of("per_shift", at).key == "2026-03-02"
    assert period_of("daily", at).starts_at == datetime(2026, 3, 1, 16, 0, tzinfo=UTC)
    week = period_of("weekly", at)
    assert (week.key, week.starts_at, week.ends_at) == ("2026-W10", datetime(2026, 3, 1, 16, tzinfo=UTC), datetime(2026, 3, 8, 16, tzinfo=UTC))
    assert period_of("monthly", at).key == "2026-03" and period_of("quarterly", at).key == "2026-Q1"
    assert period_of("weekly", datetime(2026, 1, 1, 4, tzinfo=UTC)).key == "2026-W01"


async def test_generation_plans_the_current_periods_and_the_job_marks_missed_ones(api, admin, clock):
    firm, _ = await _firm_with_lists(api, admin)
    body = await _tasks(api, admin, enterprise_id=firm["id"])
    assert sorted((t["frequency"], t["period"], t["required"], t["status"]) for t in body["items"]) == [
        ("monthly", "2026-03", 1, "due"), ("per_shift", "2026-03-02", 2, "due"),
    ]
    assert {t["title"] for t in body["items"]} == {"广汉市冲压件厂岗位级隐患排查清单（每班）", "广汉市冲压件厂公司级隐患排查清单（每月）"}
    clock.set(datetime(2026, 3, 4, 2, 0, tzinfo=UTC))  # 10:00 on 4 March: two days without a self-check
    outcome = await run_job(api.ctx, "self_check_tasks")
    assert outcome.status == "done", outcome.reason
    assert (outcome.result["tasks_created"], outcome.result["marked_missed"]) == (2, 2)
    admin = await api.login("root")  # the clock moved past the token's lifetime
    missed = await _tasks(api, admin, enterprise_id=firm["id"], status="missed")
    assert [t["period"] for t in missed["items"]] == ["2026-03-03", "2026-03-02"] and missed["items"][0]["status_label"] == "未按期完成"
    window = await _tasks(api, admin, enterprise_id=firm["id"], **{"from": "2026-03-03", "to": "2026-03-03"})
    assert sorted(t["period"] for t in window["items"]) == ["2026-03", "2026-03-03"]
    summary = (await api.client.get(f"/api/v1/enterprises/{firm['id']}/self-checks/summary", headers=admin)).json()
    assert (summary["month"], summary["lists"], summary["due"], summary["done"], summary["missed"], summary["on_time_rate"]) == ("2026-03", 2, 2, 0, 2, 0.0)
    again = await run_job(api.ctx, "self_check_tasks", force=True)
    assert (again.result["tasks_created"], again.result["marked_missed"]) == (0, 0)  # idempotent


async def test_a_list_that_leaves_the_register_cancels_its_open_tasks(api, admin):
    firm, point_id = await _firm_with_lists(api, admin)
    r = await api.client.put(f"/api/v1/risk-points/{point_id}", headers=admin, json={
        **_point(("company", "每月检查安全投入台账")), "expected_version": 1, "reason": "岗位检查并入班组",
    })
    assert r.status_code == 200, r.text
    out = (await api.client.post(f"/api/v1/enterprises/{firm['id']}/check-lists/generate", headers=admin)).json()
    assert [g["level"] for g in out["retired"]] == ["post"]
    body = await _tasks(api, admin, enterprise_id=firm["id"])
    assert sorted((t["frequency"], t["status"]) for t in body["items"]) == [("monthly", "due"), ("per_shift", "cancelled")]


async def test_scope_and_the_liaison_filter(api, admin):
    ours, _ = await _firm_with_lists(api, admin)
    theirs, _ = await _firm_with_lists(api, admin, name="广汉市另一冲压件厂")
    far, _ = await _firm_with_lists(api, admin, name="旌阳区冲压件厂", region_code="510603")
    name = "liaison_insp"
    liaison_id = await api.user(name, "inspector", region_code="510681", industries=["industrial_trade"])
    inspector = await api.login(name)
    async with api.direct.db.write() as session:
        await session.exec(update(Enterprise).where(col(Enterprise.id) == ours["id"]).values(liaison_user_id=liaison_id))  # type: ignore[call-overload]
    everything = await _tasks(api, inspector)
    assert {t["enterprise_id"] for t in everything["items"]} == {ours["id"], theirs["id"]} and everything["total"] == 4
    mine = await _tasks(api, inspector, liaison="me")
    assert {t["enterprise_id"] for t in mine["items"]} == {ours["id"]}
    own_user = await api.as_new("enterprise_user", enterprise_id=theirs["id"])
    assert {t["enterprise_id"] for t in (await _tasks(api, own_user))["items"]} == {theirs["id"]}
    assert (await _tasks(api, own_user, enterprise_id=ours["id"]))["total"] == 0  # not countable
    assert (await api.client.get(f"/api/v1/enterprises/{far['id']}/self-checks/summary", headers=inspector)).status_code == 404
    assert (await api.client.get("/api/v1/self-check-tasks", params={"status": "late"}, headers=inspector)).status_code == 400
