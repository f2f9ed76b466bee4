"""Evaluations on every database anjian supports: store, list in scope, risk level, batch."""

from __future__ import annotations

from litestar.testing import AsyncTestClient

from plugins.evaluations.batch import rescore
from server import create_app
from tests.conftest import Api, make_settings
from tests.plugins.evaluations.conftest import CHECKLIST, CHECKLIST_ANSWERS, LEC_HIGH, evaluate


async def test_evaluations_on_every_database(any_db_url, tmp_path, clock):
    settings = make_settings(any_db_url, str(tmp_path / "data"))
    app = create_app(settings, clock=clock)
    async with AsyncTestClient(app=app) as client:
        api = Api(client, app)
        try:
            await api.user("root", "admin")
            admin = await api.login("root")
            firm = await api.enterprise(admin)
            coal = await api.enterprise(admin, name="煤矿", industries=["coal"])
            lec = (await evaluate(api, admin, firm["id"], "risk.lec", LEC_HIGH)).json()
            clock.advance(seconds=1)
            inline = await evaluate(api, admin, firm["id"], "checklist.score", {"checklist": CHECKLIST, "answers": CHECKLIST_ANSWERS})
            assert inline.status_code == 201, inline.text
            await evaluate(api, admin, coal["id"], "risk.lec", LEC_HIGH)

            viewer = await api.as_new("viewer", region_code="510681", industries=["hazchem"])
            listed = (await client.get("/api/v1/evaluations", headers=viewer)).json()
            assert [item["evaluator"] for item in listed["items"]] == ["checklist.score", "risk.lec"]
            assert listed["total"] == 2
            assert listed["items"][0]["input"] == {"checklist": CHECKLIST, "answers": CHECKLIST_ANSWERS}

            level = await client.post(f"/api/v1/enterprises/{firm['id']}/risk-level", json={"evaluation_id": lec["id"]}, headers=admin)
            assert (level.status_code, level.json()["risk_level"], level.json()["version"]) == (200, "high", 2)

            summary = await rescore(api.direct, app.state.plugins, "risk.lec")
            assert (summary.total, summary.unchanged, summary.without_data, summary.failures) == (2, 2, 0, [])
        finally:
            await api.direct.db.dispose()
