"""Listing inspections (core.inspections.listing): the API's scope and permission, the office's filters."""

from __future__ import annotations

from datetime import date

import pytest

from core.access.scope import Principal
from core.errors import Forbidden
from core.inspections.listing import InspectionFilter, inspectors_of_inspections, list_inspection_rows
from tests.conftest import Api, valid_uscc


async def _record(api: Api, headers: dict[str, str], enterprise_id: str, at: str) -> str:
    response = await api.client.post("/api/v1/inspections", json={"enterprise_id": enterprise_id, "inspected_at": at}, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()["id"]


async def test_rows_are_scoped_filtered_paged_and_named(any_api: Api, any_admin: dict[str, str]) -> None:
    api, admin = any_api, any_admin  # SQLite and PostgreSQL: the count, joins and distinct inspectors on both
    inside = await api.enterprise(admin, name="广汉市甲化工有限公司")
    outside = await api.enterprise(admin, name="锦江区乙建筑公司", region_code="510104", industries=["construction"], uscc=valid_uscc("510104"))
    inspector_id = await api.user("insp", "inspector", region_code="510681", industries=["hazchem"])
    await api.user("far", "inspector", region_code="510104", industries=["construction"])
    insp, far = await api.login("insp"), await api.login("far")
    first = await _record(api, insp, inside["id"], "2026-01-31T23:30:00+08:00")  # the last local minutes of January
    second = await _record(api, insp, inside["id"], "2026-02-01T00:10:00+08:00")
    hidden = await _record(api, far, outside["id"], "2026-02-02T10:00:00+08:00")
    viewer = Principal(user_id="v", username="v", role="viewer", region_code="510681", industries=("hazchem",))
    admin_p = Principal(user_id="a", username="a", role="admin")

    everything = await list_inspection_rows(api.direct, viewer, InspectionFilter())
    assert [r.id for r in everything.items] == [second, first] and everything.total == 2  # the outside one is not even counted
    assert everything.items[0].enterprise_name == "广汉市甲化工有限公司" and everything.items[0].inspector_name == "insp"
    assert everything.items[0].hazards_found == 0 and everything.items[0].plan_id is None
    assert (await list_inspection_rows(api.direct, admin_p, InspectionFilter())).total == 3

    january = await list_inspection_rows(api.direct, viewer, InspectionFilter(date_from=date(2026, 1, 1), date_to=date(2026, 1, 31)))
    assert [r.id for r in january.items] == [first]  # local days, the end day included
    assert [r.id for r in (await list_inspection_rows(api.direct, admin_p, InspectionFilter(q="乙建筑"))).items] == [hidden]
    assert (await list_inspection_rows(api.direct, admin_p, InspectionFilter(region_code="510104"))).total == 1
    assert (await list_inspection_rows(api.direct, admin_p, InspectionFilter(industry="construction"))).total == 1
    assert (await list_inspection_rows(api.direct, admin_p, InspectionFilter(inspector_id=inspector_id))).total == 2
    paged = await list_inspection_rows(api.direct, admin_p, InspectionFilter(), page=2, page_size=2)
    assert paged.total == 3 and [r.id for r in paged.items] == [first]

    assert [name for _, name in await inspectors_of_inspections(api.direct, viewer)] == ["insp"]
    owner = Principal(user_id="o", username="o", role="enterprise_user", enterprise_id=inside["id"])
    with pytest.raises(Forbidden):
        await list_inspection_rows(api.direct, owner, InspectionFilter())


async def test_the_plan_filter_follows_the_assignment_and_hazards_are_counted_per_submission(api: Api, admin: dict[str, str]) -> None:
    from core.hazards.records import Hazard
    from core.inspections.records import Inspection

    firm = await api.enterprise(admin, name="广汉市丙化工有限公司")
    await api.user("insp", "inspector", region_code="510681", industries=["hazchem"])
    insp = await api.login("insp")
    plan = (await api.client.post("/api/v1/plans", json={"year": 2026, "title": "广汉计划", "region_code": "510681", "industries": ["hazchem"]}, headers=admin)).json()
    await api.client.post(f"/api/v1/plans/{plan['id']}/generate", headers=admin)
    assignment = (await api.client.get("/api/v1/assignments", params={"plan_id": plan["id"]}, headers=admin)).json()[0]
    planned = (await api.client.post("/api/v1/inspections", json={"enterprise_id": firm["id"], "inspected_at": "2026-03-01T10:00:00+08:00", "assignment_id": assignment["id"]}, headers=insp)).json()["id"]
    await _record(api, insp, firm["id"], "2026-02-01T10:00:00+08:00")
    # a submission's hazards: give the planned inspection a submission id and two hazards of it
    hazard = (await api.client.post("/api/v1/hazards", json={"enterprise_id": firm["id"], "level": "general", "description": "泄漏"}, headers=admin)).json()
    other = (await api.client.post("/api/v1/hazards", json={"enterprise_id": firm["id"], "level": "general", "description": "无标识"}, headers=admin)).json()
    async with api.direct.db.write() as session:
        row = await session.get(Inspection, planned)
        row.submission_id = "00000000-0000-4000-8000-000000000001"
        for hazard_id in (hazard["id"], other["id"]):
            (await session.get(Hazard, hazard_id)).submission_id = row.submission_id
    admin_p = Principal(user_id="a", username="a", role="admin")
    rows = await list_inspection_rows(api.direct, admin_p, InspectionFilter(plan_id=plan["id"]))
    assert [r.id for r in rows.items] == [planned] and rows.items[0].plan_title == "广汉计划" and rows.items[0].hazards_found == 2
