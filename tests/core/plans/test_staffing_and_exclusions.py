"""What a plan cannot staff (core.plans.staffing) and what a draw excluded (core.plans.draw_exclusions)."""

from __future__ import annotations

import pytest

from core.access.scope import Principal
from core.errors import Forbidden, NotFound
from core.plans.draw_exclusions import draw_exclusions
from core.plans.staffing import unstaffed_enterprises
from tests.conftest import Api, valid_uscc

ADMIN = Principal(user_id="a", username="a", role="admin")


async def test_unstaffed_are_the_enterprises_without_an_eligible_inspector_in_the_callers_scope(api: Api, admin: dict[str, str]) -> None:
    covered = await api.enterprise(admin, name="广汉市甲化工")
    tied = await api.enterprise(admin, name="广汉市乙化工")
    remote = await api.enterprise(admin, name="旌阳区丙化工", region_code="510603", uscc=valid_uscc("510603"))
    inspector = await api.user("insp", "inspector", region_code="510681", industries=["hazchem"])
    tie = await api.client.post("/api/v1/inspector-ties", json={"inspector_id": inspector, "enterprise_id": tied["id"], "reason": "亲属"}, headers=admin)
    assert tie.status_code == 201
    plan = (await api.client.post("/api/v1/plans", json={"year": 2026, "title": "德阳计划", "region_code": "510600", "industries": ["hazchem"]}, headers=admin)).json()

    names = {u.name for u in await unstaffed_enterprises(api.direct, ADMIN, plan["id"])}
    assert names == {"广汉市乙化工", "旌阳区丙化工"} and covered["name"] not in names
    # what generation reports as uncovered is the same list
    generated = (await api.client.post(f"/api/v1/plans/{plan['id']}/generate", headers=admin)).json()
    assert {u["name"] for u in generated["uncovered"]} == names
    county = Principal(user_id="v", username="v", role="viewer", region_code="510681", industries=("hazchem",))
    assert [u.enterprise_id for u in await unstaffed_enterprises(api.direct, county, plan["id"])] == [tied["id"]]  # 旌阳区 is not theirs
    with pytest.raises(Forbidden):
        await unstaffed_enterprises(api.direct, Principal(user_id="e", username="e", role="enterprise_user", enterprise_id=covered["id"]), plan["id"])
    assert remote["id"]


async def test_exclusions_are_the_ties_the_draw_removed_with_their_reasons(api: Api, admin: dict[str, str]) -> None:
    firms = [await api.enterprise(admin, name=f"广汉市化工{n}") for n in range(3)]
    inspectors = [await api.user(f"insp{n}", "inspector", region_code="510681", industries=["hazchem"]) for n in range(2)]
    await api.client.post("/api/v1/inspector-ties", json={"inspector_id": inspectors[0], "enterprise_id": firms[0]["id"], "reason": "曾在该企业任职"}, headers=admin)
    body = {"title": "抽查", "region_code": "510681", "industries": ["hazchem"], "enterprise_count": 2, "inspectors_per_enterprise": 1,
            "due_from": "2026-04-01", "due_until": "2026-04-30", "seed": "s1"}
    draw = (await api.client.post("/api/v1/random-draws", json=body, headers=admin)).json()
    # a tie declared after the draw took no part in it (the test clock stands still: move it on)
    api.ctx.clock.advance(seconds=60)  # type: ignore[attr-defined]
    await api.client.post("/api/v1/inspector-ties", json={"inspector_id": inspectors[1], "enterprise_id": firms[1]["id"], "reason": "后来登记"}, headers=admin)

    excluded = await draw_exclusions(api.direct, ADMIN, draw["id"])
    assert [(x.inspector_id, x.enterprise_id, x.reason, x.enterprise_name, x.inspector_name) for x in excluded] == [
        (inspectors[0], firms[0]["id"], "曾在该企业任职", "广汉市化工0", "insp0")]
    far = Principal(user_id="f", username="f", role="viewer", region_code="510104", industries=("construction",))
    with pytest.raises(NotFound):
        await draw_exclusions(api.direct, far, draw["id"])
