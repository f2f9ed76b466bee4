"""月调度 / 季通报 on demand for any period, rebuilt snapshots, and the deployment's time zone.

Clock: hazards are registered at 2026-02-28 17:00 UTC, which is 1 March 01:00 in Beijing (so March,
not February, for a Chinese reader) and 28 February 23:00 in Urumqi (UTC+6).
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from litestar.testing import AsyncTestClient
from sqlmodel import col, select

from core.local_time import LOCAL_TZ, use_time_zone
from core.reports.snapshots import ReportSnapshot
from core.scheduler.runner import run_job
from core.settings import Settings, SettingsError, settings_from_env
from core.storage.audit_log import AuditEntry
from server import create_app
from tests.conftest import Api, make_settings
from tests.core.hazards.conftest import make_enterprise
from tests.core.reports.test_reports import _hazard

LATE_FEBRUARY_UTC = datetime(2026, 2, 28, 17, 0, tzinfo=UTC)


async def get(api, path, headers, **params):  # type: ignore[no-untyped-def]
    return await api.client.get(path, params=params, headers=headers)


async def seed(api, clock):  # type: ignore[no-untyped-def]
    """Two hazards in 广汉市 (one major) and one in 旌阳区, registered at LATE_FEBRUARY_UTC."""
    ctx = api.direct  # an engine on the test's own loop (asyncpg connections belong to one)
    clock.set(LATE_FEBRUARY_UTC)
    a = await make_enterprise(ctx, name="甲化工")
    c = await make_enterprise(ctx, name="丙建筑", industries=["construction"], region_code="510603")
    await _hazard(ctx, a.id, "general")
    await _hazard(ctx, a.id, "major", 5)
    await _hazard(ctx, c.id, "general")
    clock.set(datetime(2026, 3, 20, 2, 0, tzinfo=UTC))


def total(body):  # type: ignore[no-untyped-def]
    return body["rows"][-1]


async def test_a_month_is_reported_on_demand_in_local_time(api, admin, clock):
    await seed(api, clock)
    march = await get(api, "/api/v1/reports/period", admin, period="2026-03")
    assert march.status_code == 200, march.text
    body = march.json()
    assert body["title"] == "月调度 2026-03"
    assert (body["period_start"], body["period_end"]) == ("2026-03-01T00:00:00+08:00", "2026-04-01T00:00:00+08:00")
    assert body["generated_at"] == "2026-03-20T10:00:00+08:00"  # local time, not 02:00 UTC
    assert (total(body)["found"], total(body)["found_major"], total(body)["open_at_end"]) == (3, 1, 3)
    assert {r["region_code"]: r["found"] for r in body["rows"]} == {"510603": 1, "510681": 2, "total": 3}
    february = (await get(api, "/api/v1/reports/period", admin, period="2026-02")).json()
    assert total(february)["found"] == 0, "01:00 on 1 March in Beijing is March, whatever UTC says"

    quarter = (await get(api, "/api/v1/reports/period", admin, period="2026-Q1")).json()
    assert (quarter["title"], total(quarter)["found"]) == ("季通报 2026-Q1", 3)
    span = (await get(api, "/api/v1/reports/period", admin, **{"from": "2026-03-01", "to": "2026-03-01"})).json()
    assert (span["title"], total(span)["found"], span["period_end"]) == ("隐患排查治理统计 2026-03-01 至 2026-03-01", 3, "2026-03-02T00:00:00+08:00")
    assert total((await get(api, "/api/v1/reports/period", admin, **{"from": "2026-02-01", "to": "2026-02-28"})).json())["found"] == 0

    csv = await get(api, "/api/v1/reports/period", admin, period="2026-03", format="csv")
    assert csv.status_code == 200 and 'filename="monthly_dispatch_2026-03.csv"' in csv.headers["content-disposition"]
    assert csv.content.decode("utf-8-sig").splitlines()[-1].startswith("total,合计,3,1,0,3,")


async def test_a_period_report_counts_only_the_callers_scope(api, admin, clock):
    await seed(api, clock)
    jingyang = await api.as_new("viewer", region_code="510603")
    body = (await get(api, "/api/v1/reports/period", jingyang, period="2026-03")).json()
    assert [r["region_code"] for r in body["rows"]] == ["510603", "total"]
    assert total(body)["found"] == 1
    hazchem = await api.as_new("department_admin", region_code="510600", industries=["hazchem"])
    assert total((await get(api, "/api/v1/reports/period", hazchem, period="2026-03")).json())["found"] == 2
    owner = await api.as_new("enterprise_user", enterprise_id=(await make_enterprise(api.direct, name="丁化工")).id)
    assert (await get(api, "/api/v1/reports/period", owner, period="2026-03")).status_code == 403


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "from"),
        ({"period": "2026-13"}, "period"),
        ({"period": "2026-Q5"}, "period"),
        ({"period": "1999-01"}, "period"),
        ({"period": "2026-03", "from": "2026-03-01"}, "period"),
        ({"from": "2026-03-01"}, "to"),
        ({"from": "2026-3-1", "to": "2026-03-02"}, "from"),
        ({"from": "2026-03-05", "to": "2026-03-01"}, "to"),
        ({"from": "2026-03-01", "to": "2026-02-30"}, "to"),
        ({"from": "2000-01-01", "to": "2099-12-31"}, "to"),
    ],
)
async def test_a_bad_period_is_refused_naming_the_field(api, admin, params, field):
    response = await get(api, "/api/v1/reports/period", admin, **params)
    assert response.status_code == 400, response.text
    body = response.json()
    assert (body["field"], body["code"]) == (field, "invalid_period")
    assert body["message"] and body["message_zh"]


async def audit_actions(api):  # type: ignore[no-untyped-def]
    async with api.direct.db.read() as session:
        return list((await session.exec(select(AuditEntry.action).where(col(AuditEntry.entity) == "report_snapshot").order_by(col(AuditEntry.seq)))).all())


async def test_a_snapshot_taken_before_the_data_is_rebuilt_on_request(api, admin, clock):
    # The deployment's first 月调度 is taken before anything was entered: all zeros.
    clock.set(datetime(2026, 4, 1, 1, 0, tzinfo=UTC))
    assert (await run_job(api.direct, "monthly_dispatch")).result["created"] is True
    march_id = (await get(api, "/api/v1/reports/snapshots", admin)).json()[0]["id"]
    assert total((await get(api, f"/api/v1/reports/snapshots/{march_id}", admin)).json())["found"] == 0
    await seed(api, clock)  # records of March arrive late
    clock.set(datetime(2026, 4, 2, 1, 0, tzinfo=UTC))

    forbidden = await api.client.post("/api/v1/reports/snapshots/rebuild", json={"kind": "monthly_dispatch", "period": "2026-03"}, headers=await api.as_new("viewer"))
    assert forbidden.status_code == 403
    rebuilt = await api.client.post("/api/v1/reports/snapshots/rebuild", json={"kind": "monthly_dispatch", "period": "2026-03"}, headers=admin)
    assert rebuilt.status_code == 200, rebuilt.text
    out = rebuilt.json()
    assert (out["created"], out["changed"], out["snapshot"]["id"]) == (False, True, march_id)
    assert out["snapshot"]["created_at"] == "2026-04-02T09:00:00+08:00"
    assert out["snapshot"]["period_start"] == "2026-03-01T00:00:00+08:00"
    table = (await get(api, f"/api/v1/reports/snapshots/{march_id}", admin)).json()
    assert (total(table)["found"], table["period_start"]) == (3, "2026-03-01T00:00:00+08:00")
    assert await audit_actions(api) == ["report_snapshot_created", "report_snapshot_rebuilt"]

    again = (await api.client.post("/api/v1/reports/snapshots/rebuild", json={"kind": "monthly_dispatch", "period": "2026-03"}, headers=admin)).json()
    assert (again["created"], again["changed"]) == (False, False)
    assert await audit_actions(api) == ["report_snapshot_created", "report_snapshot_rebuilt"], "unchanged figures write nothing"

    # A quarter never taken is stored by a rebuild; a period still running or of the other shape is refused.
    q1 = (await api.client.post("/api/v1/reports/snapshots/rebuild", json={"kind": "quarterly_bulletin", "period": "2026-Q1"}, headers=admin)).json()
    assert (q1["created"], q1["snapshot"]["period"]) == (True, "2026-Q1")
    for body, code in (({"kind": "monthly_dispatch", "period": "2026-04"}, "period_not_ended"), ({"kind": "monthly_dispatch", "period": "2026-Q1"}, "invalid_period")):
        refused = await api.client.post("/api/v1/reports/snapshots/rebuild", json=body, headers=admin)
        assert (refused.status_code, refused.json()["field"], refused.json()["code"]) == (400, "period", code)


async def test_forcing_the_job_rebuilds_the_snapshot(api, admin, clock):
    clock.set(datetime(2026, 4, 1, 1, 0, tzinfo=UTC))
    assert (await run_job(api.direct, "monthly_dispatch")).result["created"] is True
    await seed(api, clock)
    clock.set(datetime(2026, 4, 1, 3, 0, tzinfo=UTC))
    forced = await run_job(api.direct, "monthly_dispatch", force=True)
    assert (forced.period, forced.result["rebuilt"], forced.result["changed"]) == ("2026-03", True, True)
    async with api.direct.db.read() as session:
        (snap,) = (await session.exec(select(ReportSnapshot))).all()
    assert sum(cell["found"] for cell in snap.cells) == 3


def test_the_time_zone_setting_is_checked():
    assert Settings().time_zone == "Asia/Shanghai"
    assert settings_from_env({"ANJIAN_TIME_ZONE": "Asia/Urumqi"}).time_zone == "Asia/Urumqi"
    with pytest.raises(SettingsError, match="time_zone"):
        settings_from_env({"ANJIAN_TIME_ZONE": "China/Beijing"})


@pytest.fixture
def restore_zone():  # type: ignore[no-untyped-def]
    yield
    use_time_zone("Asia/Shanghai")


async def test_periods_follow_the_deployments_time_zone(any_db_url, tmp_path, clock, restore_zone):
    settings = make_settings(any_db_url, str(tmp_path / "data"), time_zone="Asia/Urumqi", access_token_ttl=400 * 24 * 3600)
    app = create_app(settings, clock=clock)
    assert LOCAL_TZ.key == "Asia/Urumqi"
    async with AsyncTestClient(app=app) as client:
        api = Api(client, app)
        try:
            await api.user("root", "admin")
            admin = await api.login("root")
            await seed(api, clock)
            february = (await get(api, "/api/v1/reports/period", admin, period="2026-02")).json()
            assert total(february)["found"] == 3, "23:00 on 28 February in Urumqi is still February"
            assert february["period_start"] == "2026-02-01T00:00:00+06:00"
            assert total((await get(api, "/api/v1/reports/period", admin, period="2026-03")).json())["found"] == 0
            clock.set(datetime(2026, 4, 1, 1, 0, tzinfo=UTC))
            rebuilt = await api.client.post("/api/v1/reports/snapshots/rebuild", json={"kind": "monthly_dispatch", "period": "2026-02"}, headers=admin)
            assert rebuilt.status_code == 200, rebuilt.text
            assert rebuilt.json()["created"] is True
            snapshot = (await get(api, f"/api/v1/reports/snapshots/{rebuilt.json()['snapshot']['id']}", admin)).json()
            assert total(snapshot)["found"] == 3
            clock.set(LATE_FEBRUARY_UTC)  # a late record of February
            await _hazard(api.direct, (await make_enterprise(api.direct, name="晚到化工")).id, "general")
            clock.set(datetime(2026, 4, 1, 2, 0, tzinfo=UTC))
            again = (await api.client.post("/api/v1/reports/snapshots/rebuild", json={"kind": "monthly_dispatch", "period": "2026-02"}, headers=admin)).json()
            assert (again["created"], again["changed"], again["snapshot"]["created_at"]) == (False, True, "2026-04-01T08:00:00+06:00")
            assert total((await get(api, f"/api/v1/reports/snapshots/{again['snapshot']['id']}", admin)).json())["found"] == 4
        finally:
            await api.direct.db.dispose()
