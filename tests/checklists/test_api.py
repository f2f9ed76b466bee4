"""The checklist API: publishing rules, department scope, reading old versions, the offline bundle."""

from __future__ import annotations

import gzip
import json

import msgspec
import yaml

from tests.checklists.conftest import minimal_definition

BUILTIN_IDS = {
    "coal.mine_general",
    "hazchem.enterprise_general",
    "construction.site_general",
    "fire.unit_general",
    "road_transport.enterprise_general",
}
YAML = {"Content-Type": "application/yaml"}


def definition(**changes):
    data = minimal_definition()
    data["id"] = "coal.dept_ventilation"
    data.update(changes)
    return data


def as_yaml(data) -> bytes:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode("utf-8")


async def publish(api, headers, data, content_type="application/yaml"):
    body = as_yaml(data) if content_type == "application/yaml" else json.dumps(data, ensure_ascii=False).encode()
    return await api.client.post("/api/v1/checklists", content=body, headers={**headers, "Content-Type": content_type})


async def coal_admin(api):
    return await api.as_new("department_admin", region_code="510681", industries=["coal"])


async def publish_audit_count(ctx) -> int:
    from sqlmodel import col, func, select

    from core.storage.audit_log import AuditEntry

    async with ctx.db.read() as session:
        return (await session.exec(select(func.count()).where(col(AuditEntry.action) == "checklist.publish"))).one()


async def test_builtin_checklists_are_published_on_start_and_only_once(api, admin, app, settings, clock):
    response = await api.client.get("/api/v1/checklists", headers=admin)
    assert response.status_code == 200
    listed = {entry["checklist_id"]: entry for entry in response.json()}
    assert BUILTIN_IDS <= set(listed)
    assert listed["coal.mine_general"]["versions"][0]["source"] == "plugin"
    assert listed["coal.mine_general"]["versions"][0]["plugin"] == "coal"
    publishes = await publish_audit_count(api.direct)
    assert publishes == len(app.state.plugins.checklists)

    # A second start on the same database publishes nothing new.
    from litestar.testing import AsyncTestClient

    from server import create_app

    async with AsyncTestClient(app=create_app(settings, clock=clock, plugins=app.state.plugins)) as client:
        again = await client.get("/api/v1/checklists", headers=admin)
        assert [e["versions"] for e in again.json()] == [e["versions"] for e in response.json()]
    assert await publish_audit_count(api.direct) == publishes


async def test_department_admin_publishes_for_own_industry(api):
    headers = await coal_admin(api)
    response = await publish(api, headers, definition())
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["created"] is True
    assert body["checklist"]["sections"][0]["items"][0]["code"] == "TF-1"
    assert len(body["content_hash"]) == 64

    same = await publish(api, headers, definition(), content_type="application/json")
    assert same.status_code == 200
    assert same.json()["created"] is False
    assert same.json()["content_hash"] == body["content_hash"]


async def test_republishing_a_version_with_changed_content_is_refused(api):
    headers = await coal_admin(api)
    original = await publish(api, headers, definition())
    changed = definition()
    changed["sections"][0]["items"][0]["text"] = "矿井通风系统完整独立（已修改）"
    response = await publish(api, headers, changed)
    assert response.status_code == 409
    assert response.json()["code"] == "version_exists"
    assert response.json()["field"] == "version"
    kept = await api.client.get("/api/v1/checklists/coal.dept_ventilation/versions/1.0.0", headers=headers)
    assert kept.json()["content_hash"] == original.json()["content_hash"]
    assert kept.json()["checklist"]["sections"][0]["items"][0]["text"] == "矿井有完整独立的通风系统"


async def test_new_version_must_be_greater_and_old_versions_stay_readable(api):
    headers = await coal_admin(api)
    assert (await publish(api, headers, definition(version="1.9.0"))).status_code == 201
    lower = await publish(api, headers, definition(version="1.2.0"))
    assert lower.status_code == 409
    assert lower.json()["code"] == "version_not_greater"
    assert lower.json()["latest_version"] == "1.9.0"
    newer = definition(version="1.10.0")
    newer["title"] = "煤矿通风检查表（2026版）"
    assert (await publish(api, headers, newer)).status_code == 201
    old = await api.client.get("/api/v1/checklists/coal.dept_ventilation/versions/1.9.0", headers=headers)
    assert old.status_code == 200
    assert old.json()["checklist"]["title"] == "煤矿通风检查表"
    listed = await api.client.get("/api/v1/checklists", params={"industry": "coal"}, headers=headers)
    entry = next(e for e in listed.json() if e["checklist_id"] == "coal.dept_ventilation")
    assert [v["version"] for v in entry["versions"]] == ["1.10.0", "1.9.0"]
    assert entry["latest_version"] == "1.10.0"


async def test_department_admin_cannot_publish_for_another_industry(api):
    headers = await coal_admin(api)
    response = await publish(api, headers, definition(id="hazchem.dept_tanks", industry="hazchem"))
    assert response.status_code == 403
    assert response.json()["field"] == "industry"
    assert "hazchem" in response.json()["message"]
    inspector = await api.as_new("inspector", region_code="510681", industries=["coal"])
    assert (await publish(api, inspector, definition())).status_code == 403
    assert (await api.client.get("/api/v1/checklists/hazchem.dept_tanks/versions/1.0.0", headers=headers)).status_code == 404


async def test_cannot_take_over_another_industrys_or_a_plugins_checklist(api, admin):
    headers = await coal_admin(api)
    hijack = definition(id="hazchem.enterprise_general", industry="coal", version="9.0.0")
    response = await publish(api, headers, hijack)
    assert response.status_code == 409
    assert response.json()["code"] == "industry_mismatch"
    coal_builtin = definition(id="coal.mine_general", version="9.0.0")
    response = await publish(api, admin, coal_builtin)
    assert response.status_code == 409
    assert response.json()["code"] == "checklist_owned"


async def test_invalid_definition_lists_every_problem_with_its_path(api):
    headers = await coal_admin(api)
    bad = definition()
    bad["sections"][1]["items"][0]["code"] = "TF-1"
    bad["sections"][0]["items"][0]["answer"] = {"kind": "yes_no"}
    response = await publish(api, headers, bad)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_checklist"
    assert body["field"] == "sections[0].items[0].answer.kind"
    assert [p["path"] for p in body["problems"]] == ["sections[0].items[0].answer.kind"]
    assert all(p["file"] == "request body" and p["line"] for p in body["problems"])

    bad["sections"][0]["items"][0]["answer"] = {"kind": "pass_fail"}
    response = await publish(api, headers, bad)
    assert [p["path"] for p in response.json()["problems"]] == ["sections[1].items[0].code"]
    assert "重复" in response.json()["message_zh"]


async def test_unsupported_or_broken_bodies_are_client_errors(api):
    headers = await coal_admin(api)
    response = await api.client.post("/api/v1/checklists", content=b"id: x", headers={**headers, "Content-Type": "text/plain"})
    assert response.status_code == 415
    response = await api.client.post("/api/v1/checklists", content=b"{not json", headers={**headers, "Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json()["problems"][0]["line"] == 1


async def test_retired_version_leaves_the_bundle_but_stays_readable(api, admin):
    headers = await coal_admin(api)
    await publish(api, headers, definition())
    hazchem_admin = await api.as_new("department_admin", region_code="510681", industries=["hazchem"])
    url = "/api/v1/checklists/coal.dept_ventilation/versions/1.0.0"
    # a coal version is outside a hazchem department admin's industries: hidden (404), not refused (403)
    assert (await api.client.post(f"{url}/retire", headers=hazchem_admin)).status_code == 404
    retired = await api.client.post(f"{url}/retire", headers=headers)
    assert retired.status_code == 200
    assert retired.json()["active"] is False
    assert (await api.client.post(f"{url}/retire", headers=headers)).status_code == 200  # harmless again
    assert (await api.client.get(url, headers=headers)).json()["retired_at"] is not None
    bundle = (await api.client.get("/api/v1/checklists/bundle", headers=headers)).json()
    assert "coal.dept_ventilation" not in {e["checklist_id"] for e in bundle["checklists"]}
    listed = await api.client.get("/api/v1/checklists", params={"include_retired": "false"}, headers=admin)
    assert "coal.dept_ventilation" not in {e["checklist_id"] for e in listed.json()}


async def test_bundle_etag_gives_304_until_a_version_is_published(api):
    headers = await coal_admin(api)
    inspector = await api.as_new("inspector", region_code="510681", industries=["coal"])
    first = await api.client.get("/api/v1/checklists/bundle", headers=inspector)
    assert first.status_code == 200
    assert {e["checklist_id"] for e in first.json()["checklists"]} == {"coal.mine_general"}
    etag = first.headers["etag"]

    unchanged = await api.client.get("/api/v1/checklists/bundle", headers={**inspector, "If-None-Match": etag})
    assert unchanged.status_code == 304
    assert unchanged.content == b""
    assert unchanged.headers["etag"] == etag

    # Another industry's publication does not disturb a coal tablet.
    hazchem_admin = await api.as_new("department_admin", region_code="510681", industries=["hazchem"])
    assert (await publish(api, hazchem_admin, definition(id="hazchem.dept_tanks", industry="hazchem"))).status_code == 201
    assert (await api.client.get("/api/v1/checklists/bundle", headers={**inspector, "If-None-Match": etag})).status_code == 304

    assert (await publish(api, headers, definition())).status_code == 201
    changed = await api.client.get("/api/v1/checklists/bundle", headers={**inspector, "If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["etag"] != etag
    assert {e["checklist_id"] for e in changed.json()["checklists"]} == {"coal.mine_general", "coal.dept_ventilation"}


async def test_bundle_as_messagepack_and_gzip(api):
    inspector = await api.as_new("inspector", region_code="510681", industries=["fire", "coal"])
    packed = await api.client.get(
        "/api/v1/checklists/bundle", headers={**inspector, "Accept": "application/x-msgpack", "Accept-Encoding": "gzip"}
    )
    assert packed.status_code == 200
    assert packed.headers["content-type"].startswith("application/x-msgpack")
    assert packed.headers["content-encoding"] == "gzip"
    bundle = msgspec.msgpack.decode(packed.content)  # httpx has already undone the gzip
    assert bundle["industries"] == ["coal", "fire"]
    assert {e["checklist_id"] for e in bundle["checklists"]} == {"coal.mine_general", "fire.unit_general"}
    as_json = await api.client.get("/api/v1/checklists/bundle", headers=inspector)
    assert as_json.headers["etag"] != packed.headers["etag"]  # one ETag per representation
    assert gzip.compress(b"") and as_json.json()["etag"] == bundle["etag"]


async def test_publish_and_bundle_on_every_database(any_db_url, tmp_path, clock):
    from litestar.testing import AsyncTestClient

    from core.access.user_service import create_user
    from core.access.wire import UserIn
    from core.storage.audit_log import SYSTEM
    from server import build_context, create_app
    from tests.conftest import PASSWORD, Api, make_settings

    settings = make_settings(any_db_url, str(tmp_path / "data"))
    app = create_app(settings, clock=clock)
    async with AsyncTestClient(app=app) as client:
        # The app's connection pool lives on the test client's loop; create the user through a
        # context of this loop's own (asyncpg connections cannot cross event loops).
        side = build_context(settings, clock)
        try:
            await create_user(side, SYSTEM, UserIn(username="coal_dept", password=PASSWORD, role="department_admin",
                                                   region_code="510681", industries=["coal"]))
        finally:
            await side.db.dispose()
        api = Api(client, app)
        headers = await api.login("coal_dept")
        assert (await publish(api, headers, definition())).status_code == 201
        assert (await publish(api, headers, definition(version="1.10.0"))).status_code == 201
        assert (await publish(api, headers, definition(version="1.9.0"))).status_code == 409
        bundle = await client.get("/api/v1/checklists/bundle", headers=headers)
        versions = [e["version"] for e in bundle.json()["checklists"] if e["checklist_id"] == "coal.dept_ventilation"]
        assert versions == ["1.0.0", "1.10.0"]
        again = await client.get("/api/v1/checklists/bundle", headers={**headers, "If-None-Match": bundle.headers["etag"]})
        assert again.status_code == 304
