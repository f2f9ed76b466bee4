"""Report figures checked against a hand-counted fixture, per scope, in JSON, CSV and XLSX.

The fixture (clock starts 2026-03-02 09:00 UTC = t0):
  A 甲化工 hazchem 510681     h1 general, deadline t0+10d, closed at t0+4d (4 days)
                              h2 major (listed at once), deadline t0+5d, still rectifying
  B 乙化工 hazchem+fire 510681 h3 general, only reported
  C 丙建筑 construction 510603 h4 general, registered t0+2d, closed t0+4d (2 days)
                              h5 major (listed), deadline t0+30d
  now = t0+8d: h2 is 3 days overdue, nothing else is.
Inspections: I1 at A (5 Mar), I1 at C (6 Mar), I2 at B (31 Mar 17:00 UTC = 1 Apr in China),
I2 at A (31 Dec 2025 15:00 UTC = 2025 in China: not in 2026).
"""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from openpyxl import load_workbook

from core.access.scope import Principal
from core.hazards.service import create_hazard_in_session, transition_in_session
from core.hazards.wire import HazardIn, TransitionIn
from core.inspections.records import record_inspection_in_session
from tests.core.hazards.conftest import ADMIN, make_enterprise, store_attachments

PHOTO = "d" * 64


async def _hazard(ctx, enterprise_id, level, deadline_days=None, close=False):  # type: ignore[no-untyped-def]
    async with ctx.db.write() as session:
        h = await create_hazard_in_session(session, ctx, ADMIN, HazardIn(enterprise_id=enterprise_id, level=level, description=f"{level}隐患"))
        if deadline_days is not None:
            h = await transition_in_session(session, ctx, ADMIN, h.id, TransitionIn(to_status="rectifying", deadline=ctx.clock.now() + timedelta(days=deadline_days), responsible_person="负责人", rectification_plan="方案"))
    return h


async def _close(ctx, hazard_id):  # type: ignore[no-untyped-def]
    store_attachments(ctx, PHOTO)  # a hazard closes only on rectification evidence that arrived
    async with ctx.db.write() as session:
        await transition_in_session(session, ctx, ADMIN, hazard_id, TransitionIn(to_status="awaiting_recheck", evidence=[PHOTO]))
        await transition_in_session(session, ctx, ADMIN, hazard_id, TransitionIn(to_status="closed"))


@pytest.fixture
async def fixture(api, admin, clock):  # type: ignore[no-untyped-def]
    ctx = api.ctx
    a = await make_enterprise(ctx, name="甲化工")
    b = await make_enterprise(ctx, name="乙化工", industries=["hazchem", "fire"])
    c = await make_enterprise(ctx, name="丙建筑", industries=["construction"], region_code="510603")
    h1 = await _hazard(ctx, a.id, "general", 10)
    h2 = await _hazard(ctx, a.id, "major", 5)
    h3 = await _hazard(ctx, b.id, "general")
    h5 = await _hazard(ctx, c.id, "major", 30)
    clock.advance(days=2)
    h4 = await _hazard(ctx, c.id, "general", 10)
    clock.advance(days=2)
    await _close(ctx, h1.id)
    await _close(ctx, h4.id)
    clock.advance(days=4)
    i1 = await api.user("insp_a", "inspector", region_code="510600")
    i2 = await api.user("insp_b", "inspector", region_code="510600")
    for inspector, enterprise, at in ((i1, a, "2026-03-05T02:00:00+00:00"), (i1, c, "2026-03-06T02:00:00+00:00"), (i2, b, "2026-03-31T17:00:00+00:00"), (i2, a, "2025-12-31T15:00:00+00:00")):
        p = Principal(user_id=inspector, username="x", role="inspector", region_code="510600")
        async with ctx.db.write() as session:
            await record_inspection_in_session(session, ctx, p, enterprise_id=enterprise.id, inspected_at=datetime.fromisoformat(at))
    await api.user("dept", "department_admin", region_code="510681", industries=["hazchem"])
    return {"a": a, "b": b, "c": c, "h": {"h1": h1, "h2": h2, "h3": h3, "h4": h4, "h5": h5}, "i1": i1, "i2": i2, "dept": await api.login("dept")}


def _metrics(row):  # type: ignore[no-untyped-def]
    return (row["total"], row["open"], row["closed"], row["overdue"], row["listed"], row["rectification_rate"], row["mean_days_to_close"])


async def _get(api, path, headers):  # type: ignore[no-untyped-def]
    r = await api.client.get(path, headers=headers)
    assert r.status_code == 200, r.text
    return r.json()


async def test_hazards_by_level_and_region_for_admin(api, admin, fixture):
    by_level = {r["key"]: _metrics(r) for r in (await _get(api, "/api/v1/reports/hazards?by=level", admin))["rows"]}
    assert by_level == {
        "general": (3, 1, 2, 0, 0, 0.6667, 3.0),
        "major": (2, 2, 0, 1, 2, 0.0, None),
        "total": (5, 3, 2, 1, 2, 0.4, 3.0),
    }
    body = await _get(api, "/api/v1/reports/hazards?by=region", admin)
    by_region = {r["key"]: (r["name"], *_metrics(r)) for r in body["rows"]}
    assert by_region == {
        "510603": ("旌阳区", 2, 1, 1, 0, 1, 0.5, 2.0),
        "510681": ("广汉市", 3, 2, 1, 1, 1, 0.3333, 4.0),
        "total": ("合计", 5, 3, 2, 1, 2, 0.4, 3.0),
    }
    by_status = {r["key"]: r["total"] for r in (await _get(api, "/api/v1/reports/hazards?by=status", admin))["rows"]}
    assert by_status == {"closed": 2, "rectifying": 2, "reported": 1, "total": 5}
    by_industry = {r["key"]: r["total"] for r in (await _get(api, "/api/v1/reports/hazards?by=industry", admin))["rows"]}
    assert by_industry == {"construction": 2, "fire": 1, "hazchem": 3, "total": 5}
    assert (await _get(api, "/api/v1/reports/hazards?by=level&year=2025", admin))["rows"] == [{"key": "total", "name": "合计", "total": 0, "open": 0, "closed": 0, "overdue": 0, "listed": 0, "rectification_rate": 0.0, "mean_days_to_close": None}]


async def test_hazards_in_a_department_scope(api, fixture):
    dept = fixture["dept"]
    by_industry = {r["key"]: _metrics(r) for r in (await _get(api, "/api/v1/reports/hazards?by=industry", dept))["rows"]}
    assert by_industry == {"hazchem": (3, 2, 1, 1, 1, 0.3333, 4.0), "total": (3, 2, 1, 1, 1, 0.3333, 4.0)}
    viewer = await api.as_new("viewer", region_code="510603")
    by_level = {r["key"]: r["total"] for r in (await _get(api, "/api/v1/reports/hazards?by=level", viewer))["rows"]}
    assert by_level == {"general": 1, "major": 1, "total": 2}
    ent_user = await api.as_new("enterprise_user", enterprise_id=fixture["a"].id)
    assert (await api.client.get("/api/v1/reports/hazards", headers=ent_user)).status_code == 403


async def test_inspections_per_inspector_and_per_month(api, admin, fixture):
    rows = (await _get(api, "/api/v1/reports/inspections/by-inspector?year=2026", admin))["rows"]
    assert [(r["username"], r["inspections"], r["enterprises"]) for r in rows] == [("insp_a", 2, 2), ("insp_b", 1, 1), ("", 3, 3)]
    months = {r["month"]: r["inspections"] for r in (await _get(api, "/api/v1/reports/inspections/by-month?year=2026", admin))["rows"]}
    assert months["2026-03"] == 2 and months["2026-04"] == 1 and months["合计"] == 3
    assert sum(v for k, v in months.items() if k != "合计") == 3
    assert {r["month"]: r["inspections"] for r in (await _get(api, "/api/v1/reports/inspections/by-month?year=2025", admin))["rows"]}["2025-12"] == 1
    dept_rows = (await _get(api, "/api/v1/reports/inspections/by-inspector?year=2026", fixture["dept"]))["rows"]
    assert [(r["username"], r["inspections"]) for r in dept_rows] == [("insp_a", 1), ("insp_b", 1), ("", 2)]


async def test_listed_supervision_list(api, admin, fixture):
    rows = (await _get(api, "/api/v1/reports/listed-supervision", admin))["rows"]
    assert [(r["hazard_id"], r["enterprise_name"], r["overdue_days"]) for r in rows] == [(fixture["h"]["h2"].id, "甲化工", 3), (fixture["h"]["h5"].id, "丙建筑", 0)]
    rows = (await _get(api, "/api/v1/reports/listed-supervision", fixture["dept"]))["rows"]
    assert [r["hazard_id"] for r in rows] == [fixture["h"]["h2"].id]


async def test_plan_coverage_report(api, admin, fixture):
    plan = (await api.client.post("/api/v1/plans", json={"year": 2026, "title": "危化计划", "region_code": "510681", "industries": ["hazchem"]}, headers=admin)).json()
    await api.client.post(f"/api/v1/plans/{plan['id']}/generate", headers=admin)
    rows = (await _get(api, "/api/v1/reports/plan-coverage?year=2026", admin))["rows"]
    assert [(r["title"], r["enterprises_in_scope"], r["enterprises_inspected"], r["coverage_rate"], r["assignments_total"], r["assignments_done"]) for r in rows] == [("危化计划", 2, 2, 1.0, 2, 0)]


async def test_csv_and_xlsx_carry_the_same_figures_with_chinese_headers(api, admin, fixture):
    r = await api.client.get("/api/v1/reports/hazards?by=level&format=csv", headers=admin)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert 'filename="hazards_by_level.csv"' in r.headers["content-disposition"]
    assert r.content.startswith(b"\xef\xbb\xbf")
    lines = r.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "代码,隐患等级,隐患总数,未销号,已销号,逾期,挂牌督办（未销号）,整改率,平均销号天数"
    assert lines[1:] == ["general,一般隐患,3,1,2,0,0,0.6667,3.0", "major,重大隐患,2,2,0,1,2,0.0,", "total,合计,5,3,2,1,2,0.4,3.0"]
    r = await api.client.get("/api/v1/reports/listed-supervision?format=xlsx", headers=admin)
    assert r.status_code == 200 and "spreadsheetml" in r.headers["content-type"]
    sheet = load_workbook(io.BytesIO(r.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "挂牌督办隐患清单"
    assert values[1][:3] == ("隐患编号", "企业名称", "行政区划")
    assert [(v[0], v[1], v[-2], v[-1]) for v in values[2:]] == [(fixture["h"]["h2"].id, "甲化工", "是", 3), (fixture["h"]["h5"].id, "丙建筑", "否", 0)]
    assert (await api.client.get("/api/v1/reports/hazards?format=pdf", headers=admin)).status_code == 400


async def test_mean_time_to_close_uses_registration_and_closing_times(api, admin, fixture, clock):
    # closing h3 (registered at t0) now, at t0+8d, makes general: (4 + 2 + 8) / 3 days
    async with api.ctx.db.write() as session:
        await transition_in_session(session, api.ctx, ADMIN, fixture["h"]["h3"].id, TransitionIn(to_status="rectifying", deadline=clock.now() + timedelta(days=1), responsible_person="甲"))
    await _close(api.ctx, fixture["h"]["h3"].id)
    general = next(r for r in (await _get(api, "/api/v1/reports/hazards?by=level", admin))["rows"] if r["key"] == "general")
    assert general["mean_days_to_close"] == round((4 + 2 + 8) / 3, 2) and general["rectification_rate"] == 1.0
    assert clock.now() == datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
