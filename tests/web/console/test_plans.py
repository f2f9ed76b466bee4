"""计划 / 双随机 / 检查 in the console (web/console/pages/plans*.py, inspections.py's list): a plan
made after a refused form, generated, its coverage naming the enterprises not yet covered; a draw
with its seed, pool and exclusions, verified (and caught when its record was altered); the
inspections list with its filters and scope; CSRF and permissions — all answering what the API does."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlmodel import col, update

from core.hazards.records import Hazard
from core.inspections.records import Inspection
from core.plans.random_draws import RandomDraw
from sync.push.submissions import Submission
from tests.conftest import Api, valid_uscc
from tests.reliability.world import checklist_definition
from tests.web.console.conftest import ConsoleUser, sign_in

REGION = "510681"


async def _world(api: Api) -> dict[str, Any]:
    """广汉市 hazchem: four enterprises, a department admin, two inspectors, a viewer, an enterprise user;
    one enterprise in 旌阳区 (inside the department's 德阳市) that no inspector covers, and a fire firm
    outside the department's industries."""
    await api.user("root", "admin")
    admin = await api.login("root")
    firms = [await api.enterprise(admin, name=name) for name in ("广汉市甲化工有限公司", "广汉市乙化工有限公司", "广汉市丙化工有限公司")]
    lonely = await api.enterprise(admin, name="旌阳区丁化工有限公司", region_code="510603", uscc=valid_uscc("510603"))
    fire = await api.enterprise(admin, name="广汉市消防商场", industries=["fire"])
    await api.user("dept", "department_admin", region_code="510600", industries=["hazchem"])
    inspectors = [await api.user(f"insp{n}", "inspector", region_code=REGION, industries=["hazchem"]) for n in (1, 2)]
    await api.user("viewer", "viewer", region_code=REGION, industries=["hazchem"])
    await api.user("boss", "enterprise_user", enterprise_id=firms[0]["id"])
    return {"admin": admin, "firms": firms, "lonely": lonely, "fire": fire, "inspectors": inspectors}


async def _plans_of(api: Api, headers: dict[str, str]) -> list[dict[str, Any]]:
    response = await api.client.get("/api/v1/plans", headers=headers)
    assert response.status_code == 200
    return response.json()


PLAN = {"year": "2026", "title": "2026年度德阳市危化执法检查计划", "region_code": "510600", "industries": "hazchem",
        "frequency_major": "monthly", "frequency_high": "quarterly", "frequency_moderate": "half_yearly", "frequency_low": "yearly", "frequency_unrated": "yearly"}


async def test_plan_refused_then_created_generated_and_its_coverage_lists_uncovered_enterprises(api: Api) -> None:
    w = await _world(api)
    dept = await sign_in(api.client, "dept")
    form = await dept.get("/plans/new")
    assert form.status_code == 200 and 'name="industries" value="hazchem" checked' in form.text  # the department's own industry preselected

    bad = await dept.post("/plans", {**PLAN, "region_code": "51060"})
    assert bad.status_code == 400
    assert 'data-error-field="region_code"' in bad.text and "「行政区划代码」应为6位" in bad.text
    assert 'value="2026年度德阳市危化执法检查计划"' in bad.text  # what was typed comes back
    no_industry = await dept.post("/plans", {k: v for k, v in PLAN.items() if k != "industries"})
    assert no_industry.status_code == 400 and 'data-error-field="industries"' in no_industry.text
    outside = await dept.post("/plans", {**PLAN, "region_code": "510104"})
    assert outside.status_code == 403 and 'data-error-field="region_code"' in outside.text and "超出您的管辖范围" in outside.text
    assert await _plans_of(api, w["admin"]) == []  # nothing was made

    made = await dept.post("/plans", PLAN)
    assert made.status_code == 303
    plan_id = re.fullmatch(r"/plans/([0-9a-f-]{36})\?created=1", made.headers["location"]).group(1)  # type: ignore[union-attr]
    page = await dept.get(made.headers["location"])
    assert page.status_code == 200 and "检查计划已创建" in page.text and "尚未生成检查任务" in page.text

    generated = await dept.post(f"/plans/{plan_id}/generate", {"through": ""})
    assert generated.status_code == 303
    api_assignments = (await api.client.get("/api/v1/assignments", params={"plan_id": plan_id}, headers=w["admin"])).json()
    assert len(api_assignments) == 3  # three 广汉 firms, yearly (unrated); 旌阳区 has no inspector
    assert f"created={len(api_assignments)}&existing=0" in generated.headers["location"]
    result = await dept.get(generated.headers["location"].split("#")[0])
    assert f'data-generated="{len(api_assignments)}"' in result.text and "新建 3 项任务" in result.text
    assert result.text.count("data-assignment-id=") == 3
    assert f'data-unstaffed-id="{w["lonely"]["id"]}"' in result.text  # no inspector can be sent there
    again = await dept.post(f"/plans/{plan_id}/generate", {})
    assert "created=0&existing=3" in again.headers["location"]

    # one firm inspected: coverage is the API's, and the uncovered list names the other three
    insp = await api.login("insp1")
    recorded = await api.client.post("/api/v1/inspections", json={"enterprise_id": w["firms"][0]["id"], "inspected_at": "2026-03-01T10:00:00+08:00"}, headers=insp)
    assert recorded.status_code == 201, recorded.text
    coverage = (await api.client.get(f"/api/v1/plans/{plan_id}/coverage", headers=w["admin"])).json()
    page = await dept.get(f"/plans/{plan_id}")
    assert coverage["enterprises_in_scope"] == 4 and coverage["enterprises_inspected"] == 1
    assert "25.0%" in page.text and "1 / 4 家已检查" in page.text
    uncovered = set(re.findall(r'data-uncovered-id="([0-9a-f-]+)"', page.text))
    assert uncovered == {e["enterprise_id"] for e in coverage["not_inspected"]} == {w["firms"][1]["id"], w["firms"][2]["id"], w["lonely"]["id"]}

    listing = await dept.get("/plans")
    assert listing.status_code == 200 and f'data-plan-id="{plan_id}"' in listing.text and "25.0%" in listing.text and "新建计划" in listing.text

    bad_date = await dept.post(f"/plans/{plan_id}/generate", {"through": "2026-13-01"})
    assert bad_date.status_code == 400 and 'data-error-field="through"' in bad_date.text and "「生成截止日期」格式应为" in bad_date.text


async def test_plan_pages_follow_the_apis_permissions_and_scope(api: Api) -> None:
    w = await _world(api)
    plan = (await api.client.post("/api/v1/plans", json={"year": 2026, "title": "广汉计划", "region_code": REGION, "industries": ["hazchem"]}, headers=w["admin"])).json()
    fire = (await api.client.post("/api/v1/plans", json={"year": 2026, "title": "消防专项计划", "region_code": REGION, "industries": ["fire"]}, headers=w["admin"])).json()
    viewer = await sign_in(api.client, "viewer")
    listing = await viewer.get("/plans")
    assert listing.status_code == 200 and plan["id"] in listing.text and fire["id"] not in listing.text and "消防专项计划" not in listing.text
    assert "/plans/new" not in listing.text  # no plan.write, no link
    assert (await viewer.get(f"/plans/{plan['id']}")).status_code == 200
    assert (await viewer.get(f"/plans/{fire['id']}")).status_code == 404  # outside: as if absent
    assert (await viewer.get("/plans/new")).status_code == 403
    assert (await viewer.post("/plans", PLAN)).status_code == 403
    assert (await viewer.post(f"/plans/{plan['id']}/generate", {})).status_code == 403
    assert (await viewer.get("/random-draws/new")).status_code == 403
    boss = await sign_in(api.client, "boss")
    for path in ("/plans", f"/plans/{plan['id']}", "/random-draws", "/inspections"):
        assert (await boss.get(path)).status_code == 403, path
    dept = await sign_in(api.client, "dept")
    assert (await dept.post(f"/plans/{fire['id']}/generate", {})).status_code == 404
    assert (await dept.get("/plans/not-a-plan")).status_code == 404


async def test_forms_without_their_csrf_token_are_refused_and_change_nothing(api: Api) -> None:
    w = await _world(api)
    dept = await sign_in(api.client, "dept")
    refused = await dept.post("/plans", PLAN, token=None)
    assert refused.status_code == 403 and "CSRF" in refused.text
    assert await _plans_of(api, w["admin"]) == []
    draw = await dept.post("/random-draws", {**DRAW, "seed": "no-token"}, token=None)
    assert draw.status_code == 403
    assert (await api.client.get("/api/v1/random-draws", headers=w["admin"])).json() == []
    plan = (await api.client.post("/api/v1/plans", json={"year": 2026, "title": "广汉计划", "region_code": REGION, "industries": ["hazchem"]}, headers=w["admin"])).json()
    assert (await dept.post(f"/plans/{plan['id']}/generate", {}, token="0" * 64)).status_code == 403
    assert (await api.client.get("/api/v1/assignments", params={"plan_id": plan["id"]}, headers=w["admin"])).json() == []


DRAW = {"title": "2026年二季度危化双随机", "region_code": REGION, "industries": "hazchem", "enterprise_count": "2",
        "inspectors_per_enterprise": "1", "due_from": "2026-04-01", "due_until": "2026-04-30", "seed": "guanghan-2026-q2"}


async def _tie(api: Api, admin: dict[str, str], inspector_id: str, enterprise_id: str, reason: str) -> None:
    response = await api.client.post("/api/v1/inspector-ties", json={"inspector_id": inspector_id, "enterprise_id": enterprise_id, "reason": reason}, headers=admin)
    assert response.status_code == 201, response.text


async def test_a_draw_shows_its_seed_pool_and_exclusions_and_verifies(api: Api) -> None:
    w = await _world(api)
    await _tie(api, w["admin"], w["inspectors"][0], w["firms"][1]["id"], "配偶在该企业任安全主管")
    dept = await sign_in(api.client, "dept")
    form = await dept.get("/random-draws/new")
    assert form.status_code == 200 and "配偶在该企业任安全主管" in form.text  # the ties it will exclude

    backwards = await dept.post("/random-draws", {**DRAW, "due_until": "2026-03-01"})
    assert backwards.status_code == 400 and 'data-error-field="due_until"' in backwards.text and "检查截止日期早于开始日期" in backwards.text
    too_many = await dept.post("/random-draws", {**DRAW, "inspectors_per_enterprise": "9"})
    assert too_many.status_code == 400 and "「每家企业检查人员数」应在 1 到 5 之间" in too_many.text
    assert (await api.client.get("/api/v1/random-draws", headers=w["admin"])).json() == []

    ran = await dept.post("/random-draws", DRAW)
    assert ran.status_code == 303
    draw_id = re.fullmatch(r"/random-draws/([0-9a-f-]{36})\?done=1", ran.headers["location"]).group(1)  # type: ignore[union-attr]
    recorded = (await api.client.get(f"/api/v1/random-draws/{draw_id}", headers=w["admin"])).json()
    page = await dept.get(ran.headers["location"])
    assert page.status_code == 200 and "guanghan-2026-q2" in page.text and "抽取完成" in page.text
    assert set(re.findall(r'data-picked-id="([0-9a-f-]+)"', page.text)) == {p["enterprise_id"] for p in recorded["result"]}
    assert set(re.findall(r'data-candidate-id="([0-9a-f-]+)"', page.text)) == set(recorded["candidates"])
    assert w["inspectors"][0] not in recorded["candidates"][w["firms"][1]["id"]]
    assert f'data-excluded="{w["inspectors"][0]}"' in page.text and "配偶在该企业任安全主管" in page.text

    verify = await dept.get(f"/random-draws/{draw_id}/verify")
    api_verify = (await api.client.get(f"/api/v1/random-draws/{draw_id}/verify", headers=w["admin"])).json()
    assert api_verify["reproduced"] is True
    assert verify.status_code == 200 and 'data-reproduced="true"' in verify.text and "验证通过" in verify.text

    # a record altered after the fact no longer verifies
    async with api.direct.db.write() as session:
        await session.exec(update(RandomDraw).where(col(RandomDraw.id) == draw_id).values(result=list(reversed(recorded["result"]))))  # type: ignore[call-overload]
    altered = await dept.get(f"/random-draws/{draw_id}/verify")
    assert 'data-reproduced="false"' in altered.text and "验证未通过" in altered.text and "不一致" in altered.text

    # a blank seed is made by the service and shown as recorded
    blank = await dept.post("/random-draws", {**DRAW, "seed": "", "title": "无种子抽查"})
    assert blank.status_code == 303
    other_id = blank.headers["location"].split("/")[-1].split("?")[0]
    seed = (await api.client.get(f"/api/v1/random-draws/{other_id}", headers=w["admin"])).json()["seed"]
    assert len(seed) == 32 and seed in (await dept.get(f"/random-draws/{other_id}")).text
    listing = await dept.get("/random-draws")
    assert listing.text.count("data-draw-id=") == 2 and "无种子抽查" in listing.text


async def _as_if_from_a_tablet(api: Api, admin: dict[str, str], inspection_id: str, enterprise_id: str) -> None:
    """Give the inspection the submission a tablet would have sent: a pinned checklist and two hazards."""
    published = await api.client.post("/api/v1/checklists", json=checklist_definition("console.plans", "hazchem"), headers=admin)
    assert published.status_code == 201, published.text
    hazards = [(await api.client.post("/api/v1/hazards", json={"enterprise_id": enterprise_id, "level": "general", "description": f"隐患{n}"}, headers=admin)).json()["id"]
               for n in (1, 2)]
    at = datetime(2026, 2, 10, 2, 0, tzinfo=UTC)
    submission_id = str(uuid.uuid4())
    async with api.direct.db.write() as session:
        session.add(Submission(
            id=submission_id, enterprise_id=enterprise_id, region_code=REGION, industries=["hazchem"], checklist_id="console.plans", checklist_version="1.0.0",
            checklist_hash=published.json()["content_hash"], inspector_id="x", started_at=at, finished_at=at, received_at=at, content_hash="0" * 64, hazard_ids=hazards,
        ))
        await session.exec(update(Inspection).where(col(Inspection.id) == inspection_id).values(submission_id=submission_id))  # type: ignore[call-overload]
        await session.exec(update(Hazard).where(col(Hazard.id).in_(hazards)).values(submission_id=submission_id))  # type: ignore[call-overload]


async def test_inspections_list_filters_within_scope_and_opens_the_read_back(api: Api) -> None:
    w = await _world(api)
    plan = (await api.client.post("/api/v1/plans", json={"year": 2026, "title": "广汉计划", "region_code": REGION, "industries": ["hazchem"]}, headers=w["admin"])).json()
    await api.client.post(f"/api/v1/plans/{plan['id']}/generate", headers=w["admin"])
    assignment = next(a for a in (await api.client.get("/api/v1/assignments", params={"plan_id": plan["id"]}, headers=w["admin"])).json()
                      if a["enterprise_id"] == w["firms"][0]["id"])
    insp = {n: await api.login(f"insp{n}") for n in (1, 2)}
    owner = 1 if assignment["inspector_id"] == w["inspectors"][0] else 2

    async def record(enterprise_id: str, at: str, who: int, assignment_id: str | None = None) -> str:
        body = {"enterprise_id": enterprise_id, "inspected_at": at, **({"assignment_id": assignment_id} if assignment_id else {})}
        response = await api.client.post("/api/v1/inspections", json=body, headers=insp[who])
        assert response.status_code == 201, response.text
        return response.json()["id"]

    planned = await record(w["firms"][0]["id"], "2026-02-10T10:00:00+08:00", owner, assignment["id"])
    early = await record(w["firms"][1]["id"], "2026-01-05T09:00:00+08:00", 1)
    late = await record(w["firms"][2]["id"], "2026-03-01T09:00:00+08:00", 2)
    viewer = await sign_in(api.client, "viewer")

    async def ids(user: ConsoleUser, query: str = "") -> list[str]:
        page = await user.get(f"/inspections{query}")
        assert page.status_code == 200, page.text[:300]
        return re.findall(r'data-inspection-id="([0-9a-f-]+)"', page.text)

    assert await ids(viewer) == [late, planned, early]  # newest first
    assert await ids(viewer, "?date_from=2026-02-01&date_to=2026-02-28") == [planned]
    assert await ids(viewer, "?date_to=2026-01-05") == [early]  # the end day is included
    assert await ids(viewer, f"?plan_id={plan['id']}") == [planned]
    assert await ids(viewer, "?q=乙化工") == [early]
    assert await ids(viewer, f"?inspector_id={w['inspectors'][1]}") == sorted([late, *([planned] if owner == 2 else [])], key=[late, planned, early].index)
    assert await ids(viewer, "?industry=fire") == []
    await _as_if_from_a_tablet(api, w["admin"], planned, w["firms"][0]["id"])
    page = await viewer.get("/inspections")
    assert "广汉计划" in page.text and f'href="/inspections/{planned}"' in page.text and "共 3 条" in page.text
    row = page.text.split(f'data-inspection-id="{planned}"')[1].split("</tr>")[0]
    assert "授权矩阵测试检查表 v1.0.0" in row and '<span class="aj-badge danger">2</span>' in row  # its checklist, its two hazards
    assert (await viewer.get(f"/inspections/{planned}")).status_code == 200

    bad = await viewer.get("/inspections?date_from=2026-02-30")
    assert bad.status_code == 400 and 'data-field="date_from"' in bad.text and "日期格式应为" in bad.text
    backwards = await viewer.get("/inspections?date_from=2026-03-01&date_to=2026-02-01")
    assert backwards.status_code == 400 and "结束日期早于开始日期" in backwards.text

    # an office of another county and industry sees none of them
    await api.user("far", "viewer", region_code="510104", industries=["construction"])
    far = await sign_in(api.client, "far")
    assert await ids(far) == []
    assert "共 0 条" in (await far.get("/inspections")).text or "没有符合条件" in (await far.get("/inspections")).text
