"""Annual plans: every active enterprise in scope gets its slots at the configured frequency."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

from sqlmodel import col, select

from core.plans.assignments import Assignment
from core.storage.changes import Change


async def _setup(api, admin):  # type: ignore[no-untyped-def]
    ents = {}
    for key, risk in (("major", "major"), ("high", "high"), ("moderate", "moderate"), ("low", "low"), ("unrated", None)):
        ents[key] = await api.enterprise(admin, name=f"{key}化工", risk_level=risk)
    ents["inactive"] = await api.enterprise(admin, name="停产化工", risk_level="major", active=False)
    ents["construction"] = await api.enterprise(admin, name="建筑公司", industries=["construction"], risk_level="major")
    ents["elsewhere"] = await api.enterprise(admin, name="旌阳化工", region_code="510603", risk_level="major")
    inspectors = {
        "i1": await api.user("insp1", "inspector", region_code="510681", industries=["hazchem"]),
        "i2": await api.user("insp2", "inspector", region_code="510600", industries=["hazchem", "fire"]),
        "i3": await api.user("insp3", "inspector", region_code="510681", industries=["construction"]),
    }
    await api.user("dept", "department_admin", region_code="510681", industries=["hazchem"])
    dept = await api.login("dept")
    return ents, inspectors, dept


async def test_plan_generation_covers_every_enterprise_at_its_frequency(api, admin):
    ents, inspectors, dept = await _setup(api, admin)
    body = {"year": 2026, "title": "2026年广汉市危化行业执法检查计划", "region_code": "510681", "industries": ["hazchem"], "frequencies": {"low": "half_yearly"}}
    r = await api.client.post("/api/v1/plans", json=body, headers=dept)
    assert r.status_code == 201, r.text
    plan = r.json()
    assert plan["frequencies"] == {"major": "monthly", "high": "quarterly", "moderate": "half_yearly", "low": "half_yearly", "unrated": "yearly"}
    r = await api.client.post(f"/api/v1/plans/{plan['id']}/generate", headers=dept)
    assert r.status_code == 200, r.text
    # generated from today (2 March): the monthly enterprise's January and February are past
    assert r.json() == {"created": 10 + 4 + 2 + 2 + 1, "existing": 0, "uncovered": []}

    async with api.ctx.db.read() as session:
        rows = (await session.exec(select(Assignment).where(col(Assignment.plan_id) == plan["id"]))).all()
        changes = (await session.exec(select(Change).where(col(Change.entity) == "assignment"))).all()
    windows = defaultdict(list)
    for a in rows:
        windows[a.enterprise_id].append((a.due_from, a.due_until))
    assert set(windows) == {ents[k]["id"] for k in ("major", "high", "moderate", "low", "unrated")}
    assert sorted(windows[ents["high"]["id"]]) == [(date(2026, 1, 1), date(2026, 3, 31)), (date(2026, 4, 1), date(2026, 6, 30)), (date(2026, 7, 1), date(2026, 9, 30)), (date(2026, 10, 1), date(2026, 12, 31))]
    assert sorted(windows[ents["major"]["id"]])[:2] == [(date(2026, 3, 1), date(2026, 3, 31)), (date(2026, 4, 1), date(2026, 4, 30))]
    assert sorted(windows[ents["low"]["id"]]) == [(date(2026, 1, 1), date(2026, 6, 30)), (date(2026, 7, 1), date(2026, 12, 31))]
    assert windows[ents["unrated"]["id"]] == [(date(2026, 1, 1), date(2026, 12, 31))]
    # only inspectors whose scope covers the enterprises, each enterprise keeps one inspector, load is spread
    by_enterprise = {e: {a.inspector_id for a in rows if a.enterprise_id == e} for e in windows}
    assert all(len(s) == 1 for s in by_enterprise.values())
    assert {a.inspector_id for a in rows} == {inspectors["i1"], inspectors["i2"]}
    # tablets receive each assignment through pull, addressed to its inspector
    assert Counter((c.entity_id, c.user_id) for c in changes) == Counter((a.id, a.inspector_id) for a in rows)

    again = (await api.client.post(f"/api/v1/plans/{plan['id']}/generate", headers=dept)).json()
    assert again == {"created": 0, "existing": 19, "uncovered": []}

    insp1 = await api.login("insp1")
    mine = (await api.client.get("/api/v1/assignments", headers=insp1)).json()
    assert mine and all(a["inspector_id"] == inspectors["i1"] for a in mine)


async def test_generation_through_a_date_and_uncovered_enterprises(api, admin):
    ents, inspectors, dept = await _setup(api, admin)
    for inspector in ("i1", "i2"):
        r = await api.client.post("/api/v1/inspector-ties", json={"inspector_id": inspectors[inspector], "enterprise_id": ents["unrated"]["id"], "reason": "亲属在该企业任职"}, headers=dept)
        assert r.status_code == 201, r.text
    plan = (await api.client.post("/api/v1/plans", json={"year": 2026, "title": "计划", "region_code": "510681", "industries": ["hazchem"]}, headers=dept)).json()
    r = await api.client.post(f"/api/v1/plans/{plan['id']}/generate?through=2026-03-15", headers=dept)
    body = r.json()
    assert body["created"] == 1 + 1 + 1 + 1  # major March (Jan and Feb are past), high Q1, moderate H1, low year
    assert [u["enterprise_id"] for u in body["uncovered"]] == [ents["unrated"]["id"]]
    r = await api.client.post(f"/api/v1/plans/{plan['id']}/generate?through=2026-04-01", headers=dept)
    assert r.json()["created"] == 2 and r.json()["existing"] == 4  # major April, high Q2


async def test_plan_scope_and_roles(api, admin):
    _, _, dept = await _setup(api, admin)
    body = {"year": 2026, "title": "计划", "region_code": "510681", "industries": ["construction"]}
    assert (await api.client.post("/api/v1/plans", json=body, headers=dept)).status_code == 403
    body["industries"] = ["hazchem"]
    body["region_code"] = "510603"
    assert (await api.client.post("/api/v1/plans", json=body, headers=dept)).status_code == 403
    body["region_code"] = "510681"
    for role in ("inspector", "viewer", "evaluator", "enterprise_user"):
        headers = await api.as_new(role, region_code="510681", industries=["hazchem"]) if role != "enterprise_user" else None
        if headers:
            assert (await api.client.post("/api/v1/plans", json=body, headers=headers)).status_code == 403, role
    body["frequencies"] = {"major": "weekly"}
    r = await api.client.post("/api/v1/plans", json=body, headers=dept)
    assert r.status_code == 400 and "frequencies" in r.json().get("field", "")


async def test_coverage_counts_inspections_and_completion(api, admin, clock):
    ents, inspectors, dept = await _setup(api, admin)
    plan = (await api.client.post("/api/v1/plans", json={"year": 2026, "title": "计划", "region_code": "510681", "industries": ["hazchem"]}, headers=dept)).json()
    await api.client.post(f"/api/v1/plans/{plan['id']}/generate", headers=dept)
    insp1 = await api.login("insp1")
    mine = (await api.client.get(f"/api/v1/assignments?plan_id={plan['id']}", headers=insp1)).json()
    first = mine[0]
    r = await api.client.post("/api/v1/inspections", json={"enterprise_id": first["enterprise_id"], "inspected_at": clock.now().isoformat(), "assignment_id": first["id"]}, headers=insp1)
    assert r.status_code == 201, r.text
    # an inspection in 2025 does not count for the 2026 plan
    other = next(e for k, e in ents.items() if k in ("major", "high", "moderate", "low", "unrated") and e["id"] != first["enterprise_id"])
    await api.client.post("/api/v1/inspections", json={"enterprise_id": other["id"], "inspected_at": "2025-12-31T15:59:00+00:00"}, headers=admin)
    cov = (await api.client.get(f"/api/v1/plans/{plan['id']}/coverage", headers=dept)).json()
    assert cov["enterprises_in_scope"] == 5 and cov["enterprises_inspected"] == 1
    assert {e["enterprise_id"] for e in cov["not_inspected"]} == {ents[k]["id"] for k in ("major", "high", "moderate", "low", "unrated")} - {first["enterprise_id"]}
    assert cov["assignments_total"] == 10 + 4 + 2 + 1 + 1 and cov["assignments_done"] == 1  # from March on
    assert cov["completion_rate"] == round(1 / 18, 4)
    done = (await api.client.get(f"/api/v1/assignments?plan_id={plan['id']}&status=done", headers=admin)).json()
    assert [a["id"] for a in done] == [first["id"]] and done[0]["version"] == 2
