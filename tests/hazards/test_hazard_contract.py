"""The service functions sync relies on: create in a session, transition with a base version."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import col, select

from core.changes import Change
from core.errors import Conflict
from core.hazard_service import HazardIn, TransitionIn, create_hazard_in_session, hazard_out, transition_in_session
from core.hazards import Hazard, HazardTransition
from core.ids import new_id
from core.scope import Principal


def _inspector() -> Principal:
    return Principal(user_id=new_id(), username="insp", role="inspector", region_code="510681", industries=("hazchem",))


async def test_create_and_transition_in_the_callers_transaction(api, admin, clock):
    ent = await api.enterprise(admin)
    ctx = api.ctx
    hid = new_id()
    async with ctx.db.write() as session:
        h = await create_hazard_in_session(session, ctx, _inspector(), HazardIn(id=hid.upper(), enterprise_id=ent["id"], level="major", description="储罐区未设置可燃气体报警"))
    assert h.id == hid and h.status == "reported" and h.listed_supervision and h.version == 2
    assert h.region_code == "510681" and h.industries == ["hazchem"]
    with pytest.raises(Conflict) as exc:
        async with ctx.db.write() as session:
            await create_hazard_in_session(session, ctx, _inspector(), HazardIn(id=hid, enterprise_id=ent["id"], level="general", description="x"))
    assert exc.value.code == "id_in_use"
    data = TransitionIn(to_status="rectifying", deadline=clock.now() + timedelta(days=10), responsible_person="张三", rectification_plan="更换报警器")
    with pytest.raises(Conflict) as exc:
        async with ctx.db.write() as session:
            await transition_in_session(session, ctx, _inspector(), hid, data, base_version=1)
    assert exc.value.code == "stale_version" and exc.value.extra["current"]["version"] == 2
    async with ctx.db.write() as session:
        h = await transition_in_session(session, ctx, _inspector(), hid, data, base_version=2)
    assert h.status == "rectifying" and h.version == 3
    assert hazard_out(h, clock.now()).overdue is False
    assert hazard_out(h, clock.now() + timedelta(days=11)).overdue is True
    async with ctx.db.read() as session:
        history = (await session.exec(select(HazardTransition.action).where(col(HazardTransition.hazard_id) == hid).order_by(col(HazardTransition.resulting_version)))).all()
        changes = (await session.exec(select(Change).where(col(Change.entity) == "hazard"))).all()
        stored = await session.get(Hazard, hid)
    assert history == ["created", "listed_supervision", "order_rectification"]
    assert len(changes) == 3 and all(c.entity_id == hid and c.enterprise_id == ent["id"] for c in changes)
    assert stored is not None and stored.version == 3
