"""The service functions sync relies on: create in a session, transition with a base version."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import col, select

from core.access.scope import Principal
from core.errors import Conflict
from core.hazards.records import Hazard, HazardTransition
from core.hazards.service import create_hazard_in_session, transition_in_session
from core.hazards.wire import HazardIn, TransitionIn, hazard_out
from core.ids import new_id
from core.storage.changes import Change


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
    # One change row per transaction: created and listed at once tell a pull the same thing.
    assert len(changes) == 2 and all(c.entity_id == hid and c.enterprise_id == ent["id"] for c in changes)
    assert stored is not None and stored.version == 3


async def test_lifecycle_and_lists_on_every_database(any_db_url, tmp_path):
    """The same service path on SQLite and PostgreSQL: create, list with filters, close, history."""
    from datetime import UTC, datetime

    from core.bootstrap import prepare_database
    from core.clock import FrozenClock
    from core.hazards.queries import HazardFilter, list_hazards
    from server import build_context
    from tests.conftest import make_settings
    from tests.core.hazards.conftest import ADMIN, make_enterprise, store_attachments

    clock = FrozenClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    ctx = build_context(make_settings(any_db_url, str(tmp_path / "data")), clock)
    try:
        await prepare_database(ctx.db)
        ent = await make_enterprise(ctx)
        async with ctx.db.write() as session:
            h = await create_hazard_in_session(session, ctx, _inspector(), HazardIn(enterprise_id=ent.id, level="general", description="灭火器过期", deadline=clock.now() + timedelta(days=3), responsible_person="甲"))
        clock.advance(days=4)
        overdue = await list_hazards(ctx, ADMIN, HazardFilter(overdue=True, industry="hazchem", region_code="510600"))
        assert [i.id for i in overdue.items] == [h.id] and overdue.items[0].overdue_days == 1
        store_attachments(ctx, "e" * 64)
        async with ctx.db.write() as session:
            await transition_in_session(session, ctx, _inspector(), h.id, TransitionIn(to_status="awaiting_recheck", evidence=["e" * 64]))
            await transition_in_session(session, ctx, _inspector(), h.id, TransitionIn(to_status="closed"))
        assert (await list_hazards(ctx, ADMIN, HazardFilter(overdue=True))).total == 0
        assert (await list_hazards(ctx, ADMIN, HazardFilter(status="closed", listed=False))).total == 1
    finally:
        await ctx.db.dispose()
