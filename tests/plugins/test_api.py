"""GET /api/v1/plugins, and a server that keeps serving while some plugins are broken."""

from __future__ import annotations

from litestar.testing import AsyncTestClient

from plugins.hookspecs import hookimpl
from plugins.manager import load_plugins
from server import create_app
from tests.checklists.conftest import minimal_definition
from tests.conftest import Api

INDUSTRIES = ("coal", "hazchem", "construction", "fire", "road_transport", "industrial_trade")
BROKEN_IMPORT = "tests.plugins.sample_plugins.broken_import"


async def test_plugins_lists_the_builtins_and_the_installed_example(installer, settings, clock):
    installer.install_example()
    async with AsyncTestClient(app=create_app(settings, clock=clock)) as client:
        api = Api(client, client.app)
        await api.user("root", "admin")
        admin = await api.login("root")
        response = await client.get("/api/v1/plugins", headers=admin)
        assert response.status_code == 200
        plugins = {entry["name"]: entry for entry in response.json()}
        for name in INDUSTRIES:
            assert plugins[name]["status"] == "ok", plugins[name]["errors"]
            assert plugins[name]["source"] == "builtin"
            assert plugins[name]["checklists"], f"{name} ships no checklist"
        example = plugins["example"]
        assert example["status"] == "ok"
        assert example["source"] == "entry_point"
        assert example["checklists"] == ["example.confined_space@1.1.0"]
        assert example["evaluators"] == ["example.confined_space_gas_test"]
        # The example's checklist was published at start and is readable like any other.
        version = await client.get("/api/v1/checklists/example.confined_space/versions/1.1.0", headers=admin)
        assert version.status_code == 200
        assert version.json()["plugin"] == "example"


async def test_only_admins_and_department_admins_see_plugins(api, admin):
    dept = await api.as_new("department_admin", region_code="510681", industries=["coal"])
    inspector = await api.as_new("inspector", region_code="510681", industries=["coal"])
    assert (await api.client.get("/api/v1/plugins", headers=dept)).status_code == 200
    assert (await api.client.get("/api/v1/plugins", headers=inspector)).status_code == 403


class RaisingEverywhere:
    @hookimpl
    def anjian_evaluators(self):
        raise RuntimeError("licence server unreachable")

    @hookimpl
    async def anjian_startup(self, app):
        raise RuntimeError("startup failed too")


class InvalidChecklist:
    @hookimpl
    def anjian_checklists(self):
        broken = minimal_definition()
        broken["id"] = "other.broken"
        broken["industry"] = "other"
        broken["sections"][0]["items"][0]["answer"] = {"kind": "number", "min": 5, "max": 1}
        return [broken]


async def test_broken_plugins_are_reported_while_the_server_serves(settings, clock):
    registry = load_plugins(builtins=["plugins.coal", BROKEN_IMPORT], entry_points=False, environ={})
    registry.register(RaisingEverywhere(), "raising")
    registry.register(InvalidChecklist(), "invalid")
    registry.collect()
    async with AsyncTestClient(app=create_app(settings, clock=clock, plugins=registry)) as client:
        api = Api(client, client.app)
        await api.user("root", "admin")
        admin = await api.login("root")
        plugins = {p["name"]: p for p in (await client.get("/api/v1/plugins", headers=admin)).json()}

        assert plugins[BROKEN_IMPORT]["status"] == "failed"
        assert plugins[BROKEN_IMPORT]["errors"][0]["stage"] == "import"
        assert "vendor_sdk" in plugins[BROKEN_IMPORT]["errors"][0]["message"]

        raising = plugins["raising"]
        assert raising["status"] == "degraded"
        assert {e["stage"] for e in raising["errors"]} == {"anjian_evaluators", "anjian_startup"}

        invalid = plugins["invalid"]
        assert invalid["status"] == "degraded"
        assert "sections[0].items[0].answer.min" in invalid["errors"][0]["message"]
        assert invalid["checklists"] == []

        assert plugins["coal"]["status"] == "ok"
        listed = await client.get("/api/v1/checklists", headers=admin)
        assert listed.status_code == 200
        assert [e["checklist_id"] for e in listed.json()] == ["coal.mine_general"]


async def test_changed_shipped_checklist_under_a_published_version_is_reported(settings, clock):
    class Shipping:
        def __init__(self, text: str) -> None:
            self.text = text

        @hookimpl
        def anjian_checklists(self):
            definition = minimal_definition()
            definition["sections"][0]["items"][0]["text"] = self.text
            return [definition]

    def registry_with(text: str):
        registry = load_plugins(builtins=[], entry_points=False, environ={})
        registry.register(Shipping(text), "shipping")
        registry.collect()
        return registry

    async with AsyncTestClient(app=create_app(settings, clock=clock, plugins=registry_with("原文"))):
        pass
    changed = registry_with("被修改的内容")
    async with AsyncTestClient(app=create_app(settings, clock=clock, plugins=changed)) as client:
        api = Api(client, client.app)
        await api.user("root", "admin")
        admin = await api.login("root")
        shipping = {p["name"]: p for p in (await client.get("/api/v1/plugins", headers=admin)).json()}["shipping"]
        assert shipping["status"] == "degraded"
        assert shipping["errors"][0]["stage"] == "publish"
        assert "already published with different content" in shipping["errors"][0]["message"]
        kept = await client.get("/api/v1/checklists/coal.ventilation/versions/1.0.0", headers=admin)
        assert kept.json()["checklist"]["sections"][0]["items"][0]["text"] == "原文"
