"""Re-scoring by cursor (``plugins.evaluations.batch.rescore_chunk``): the console's batch goes a few
enterprises a request, keeping nothing between requests but the last enterprise id handled."""

from __future__ import annotations

import pytest
from sqlmodel import col, select

from core.access.scope import Principal
from core.enterprises.records import Enterprise
from core.evaluations.records import Evaluation
from core.storage.audit_log import AuditEntry
from plugins.evaluations.batch import UnknownEvaluator, rescore_chunk
from tests.conftest import Api, valid_uscc
from tests.plugins.evaluations.conftest import LEC_HIGH, evaluate
from tests.plugins.evaluations.test_batch import lec_1_1, registry_with

EVALUATOR = Principal(user_id="00000000-0000-4000-8000-0000000000e1", username="pinggu", role="evaluator", region_code="510681", industries=["hazchem"])


async def test_chunks_walk_the_scope_by_id_count_and_end_with_no_cursor(api: Api, admin, clock):
    firms = [await api.enterprise(admin, name=f"化工{n}", uscc=valid_uscc()) for n in range(5)]
    outside = await api.enterprise(admin, name="锦江建筑", region_code="510104", industries=["construction"], uscc=valid_uscc("510104"))
    closed = await api.enterprise(admin, name="已关闭化工", uscc=valid_uscc())
    await api.client.patch(f"/api/v1/enterprises/{closed['id']}", json={"active": False}, headers=admin)
    for firm in [*firms[:3], outside, closed]:
        await evaluate(api, admin, firm["id"], "risk.lec", LEC_HIGH)
    await evaluate(api, admin, firms[3]["id"], "risk.lec", {"l": 0.5, "e": 6, "c": 40})  # L = 0.5 is gone in 1.2.0
    clock.advance(seconds=60)
    registry = registry_with(lec_1_1())
    ordered = sorted(firm["id"] for firm in firms)

    seen, cursor, totals = [], None, {"scored": 0, "without_data": 0, "failed": 0}
    for expected_done in (2, 4, 5):
        chunk = await rescore_chunk(api.direct, registry, "risk.lec", scope=EVALUATOR.enterprise_conditions(), after=cursor, limit=2, actor=EVALUATOR.actor)
        assert (chunk.summary.total, chunk.done) == (5, expected_done)
        totals["scored"] += chunk.summary.scored
        totals["without_data"] += chunk.summary.without_data
        totals["failed"] += len(chunk.summary.failures)
        seen += [f.enterprise_id for f in chunk.summary.failures]
        cursor = chunk.next_cursor
        if expected_done < 5:
            assert cursor == ordered[expected_done - 1]
    assert cursor is None
    assert totals == {"scored": 3, "without_data": 1, "failed": 1} and seen == [firms[3]["id"]]

    async with api.direct.db.read() as session:
        rows = (await session.exec(select(Evaluation).where(col(Evaluation.evaluator_version) == "1.2.0"))).all()
        assert sorted(r.enterprise_id for r in rows) == sorted(f["id"] for f in firms[:3])  # neither outside nor closed
        assert {r.created_by for r in rows} == {EVALUATOR.user_id}
        audit = (await session.exec(select(AuditEntry).where(col(AuditEntry.entity_id) == rows[0].id))).one()
    assert (audit.action, audit.actor_name) == ("evaluation.create", "pinggu")

    again = await rescore_chunk(api.direct, registry, "risk.lec", scope=EVALUATOR.enterprise_conditions(), after=None, limit=10, actor=EVALUATOR.actor)
    assert (again.summary.scored, again.summary.unchanged, again.done, again.next_cursor) == (0, 3, 5, None)


async def test_an_exact_last_chunk_ends_and_an_unknown_evaluator_is_refused_first(api: Api, admin):
    for n in range(2):
        await api.enterprise(admin, name=f"化工{n}", uscc=valid_uscc())
    registry = registry_with(lec_1_1())
    chunk = await rescore_chunk(api.direct, registry, "risk.lec", scope=[], after=None, limit=2, actor=EVALUATOR.actor)
    assert (chunk.done, chunk.summary.total, chunk.summary.without_data, chunk.next_cursor) == (2, 2, 2, None)
    empty = await rescore_chunk(api.direct, registry, "risk.lec", scope=[col(Enterprise.name) == "无此企业"], after=None, limit=2, actor=EVALUATOR.actor)
    assert (empty.done, empty.summary.total, empty.next_cursor) == (0, 0, None)
    with pytest.raises(UnknownEvaluator):
        await rescore_chunk(api.direct, registry, "risk.nope", scope=[], after=None, limit=2, actor=EVALUATOR.actor)


async def test_chunks_and_the_enterprise_search_on_every_database(any_db_url, tmp_path, clock):
    from litestar.testing import AsyncTestClient

    from plugins.evaluations.service import list_evaluations
    from server import create_app
    from tests.conftest import make_settings

    settings = make_settings(any_db_url, str(tmp_path / "data"))
    app = create_app(settings, clock=clock)
    async with AsyncTestClient(app=app) as client:
        api = Api(client, app)
        try:
            await api.user("root", "admin")
            admin = await api.login("root")
            firms = [await api.enterprise(admin, name=f"广汉{n}号化工", uscc=valid_uscc()) for n in range(3)]
            for firm in firms:
                await evaluate(api, admin, firm["id"], "risk.lec", LEC_HIGH)
            first = await rescore_chunk(api.direct, app.state.plugins, "risk.lec", scope=EVALUATOR.enterprise_conditions(), after=None, limit=2, actor=EVALUATOR.actor)
            rest = await rescore_chunk(api.direct, app.state.plugins, "risk.lec", scope=EVALUATOR.enterprise_conditions(), after=first.next_cursor, limit=2, actor=EVALUATOR.actor)
            assert (first.done, first.summary.unchanged, rest.done, rest.summary.unchanged, rest.next_cursor) == (2, 2, 3, 1, None)
            found = await list_evaluations(api.direct, EVALUATOR, enterprise_q="1号")
            assert [e.enterprise_id for e in found.items] == [firms[1]["id"]] and found.total == 1
        finally:
            await api.direct.db.dispose()
