"""Pull: pages, resumable cursors, exactly-once delivery to a client that keeps its cursor, tombstones."""

from __future__ import annotations

import asyncio
import gzip
from typing import Any

import msgspec
import pytest

from core.storage.changes import record_change
from tests.conftest import pg_dsn


async def test_pages_resume_from_any_cursor_and_deliver_everything_once(world) -> None:  # type: ignore[no-untyped-def]
    tablet = await world.tablet("insp1")
    for n in range(12):
        await world.api.enterprise(world.admin, name=f"企业{n:02d}")
    cursors: list[str | None] = [None]
    pages: list[list[dict[str, Any]]] = []
    cursor = None
    while True:
        params = {"limit": 5, **({"cursor": cursor} if cursor else {})}
        body = (await world.api.client.get("/api/v1/sync/pull", params=params, headers=tablet.headers)).json()
        pages.append(body["items"])
        cursor = body["cursor"]
        cursors.append(cursor)
        if not body["has_more"]:
            break
    seen = [i["id"] for page in pages for i in page if i["entity"] == "enterprise"]
    assert len(seen) == len(set(seen)) == 13
    assert all(len(page) <= 5 for page in pages)
    # Resuming from any stored cursor gives exactly the rest.
    for index, start in enumerate(cursors[:-1]):
        rest, _ = await world.pull_all(tablet, start, limit=5)
        assert [i["id"] for i in rest] == [i["id"] for page in pages[index:] for i in page]
    # Nothing new: an empty page, same position.
    again, _ = await world.pull_all(tablet, cursor)
    assert again == []
    # Checklists of the user's industries arrive too.
    everything, _ = await world.pull_all(tablet)
    assert any(i["entity"] == "checklist_version" and i["id"] == "hazchem.storage@1.0.0" and i["data"]["content"]["id"] == "hazchem.storage" for i in everything)


async def test_out_of_scope_records_never_arrive_and_leaving_scope_sends_a_tombstone(world) -> None:  # type: ignore[no-untyped-def]
    tablet = await world.tablet("insp1")
    elsewhere = await world.api.enterprise(world.admin, name="旌阳区企业", region_code="510603")
    coal = await world.api.enterprise(world.admin, name="煤矿企业", industries=["coal"])
    items, cursor = await world.pull_all(tablet)
    ids = {i["id"] for i in items}
    assert world.enterprise["id"] in ids and elsewhere["id"] not in ids and coal["id"] not in ids
    moved = await world.api.client.patch(f"/api/v1/enterprises/{world.enterprise['id']}", json={"region_code": "510603"}, headers=world.admin)
    assert moved.status_code == 200, moved.text
    items, cursor = await world.pull_all(tablet, cursor)
    assert [(i["entity"], i["id"], i["op"]) for i in items] == [("enterprise", world.enterprise["id"], "delete")]
    assert "data" not in items[0]
    # Users who never saw it get nothing, and moving it back brings it back.
    back = await world.api.client.patch(f"/api/v1/enterprises/{world.enterprise['id']}", json={"region_code": "510681"}, headers=world.admin)
    assert back.status_code == 200
    items, cursor = await world.pull_all(tablet, cursor)
    assert [(i["id"], i["op"]) for i in items] == [(world.enterprise["id"], "upsert")]
    deactivated = await world.api.client.patch(f"/api/v1/enterprises/{world.enterprise['id']}", json={"active": False}, headers=world.admin)
    assert deactivated.status_code == 200
    items, _ = await world.pull_all(tablet, cursor)
    assert [(i["id"], i["op"]) for i in items] == [(world.enterprise["id"], "delete")]


async def test_scope_change_of_the_user_forces_a_reset(world) -> None:  # type: ignore[no-untyped-def]
    tablet = await world.tablet("insp1")
    _, cursor = await world.pull_all(tablet)
    changed = await world.api.client.patch(f"/api/v1/users/{tablet.user_id}", json={"industries": ["coal"]}, headers=world.admin)
    assert changed.status_code == 200, changed.text
    body = (await world.api.client.get("/api/v1/sync/pull", params={"cursor": cursor}, headers=tablet.headers)).json()
    assert body["reset"] is True
    assert world.enterprise["id"] not in {i["id"] for i in body["items"]}
    bad = await world.api.client.get("/api/v1/sync/pull", params={"cursor": "not-a-cursor"}, headers=tablet.headers)
    assert bad.status_code == 400 and bad.json()["field"] == "cursor"


async def test_msgpack_and_gzip_on_the_wire(world) -> None:  # type: ignore[no-untyped-def]
    tablet = await world.tablet("insp1")
    body = gzip.compress(msgspec.msgpack.encode({"records": [world.submission()]}))
    headers = {**tablet.headers, "Content-Type": "application/msgpack", "Content-Encoding": "gzip", "Accept": "application/msgpack", "Accept-Encoding": "gzip"}
    response = await world.api.client.post("/api/v1/sync/push", content=body, headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/msgpack")
    out = msgspec.msgpack.decode(response.content)
    assert out["results"][0]["status"] == "accepted" and "server_time" in out
    bomb = gzip.compress(b"{" + b" " * (70 * 1024 * 1024) + b"}")
    response = await world.api.client.post("/api/v1/sync/push", content=bomb, headers={**tablet.headers, "Content-Type": "application/json", "Content-Encoding": "gzip"})
    assert response.status_code == 413
    pulled = await world.api.client.get("/api/v1/sync/pull", headers={**tablet.headers, "Accept": "application/msgpack"})
    assert msgspec.msgpack.decode(pulled.content)["items"]


async def test_change_committed_while_a_pull_runs_is_not_skipped(world) -> None:  # type: ignore[no-untyped-def]
    """A slow writer holds a change uncommitted while a faster one commits after it.

    On PostgreSQL, without ordering commits, the fast writer's higher seq would be delivered
    first and the slow one's lower seq skipped for ever; SQLite serialises writers anyway.
    """
    tablet = await world.tablet("insp1")
    second = await world.api.enterprise(world.admin, name="第二家企业")
    _, cursor = await world.pull_all(tablet)
    ctx = world.api.ctx
    slow_has_written = asyncio.Event()
    release_slow = asyncio.Event()

    async def writer(hold: bool) -> None:
        enterprise_id = world.enterprise["id"] if hold else second["id"]
        async with ctx.db.write() as session:
            await record_change(session, entity="enterprise", entity_id=enterprise_id, at=ctx.clock.now(), region_code="510681", industries=["hazchem"], enterprise_id=enterprise_id)
            await session.flush()
            if hold:
                slow_has_written.set()
                await release_slow.wait()

    slow = asyncio.create_task(writer(True))
    await slow_has_written.wait()
    fast = asyncio.create_task(writer(False)) if pg_dsn() and ctx.db.dialect == "postgresql" else None
    await asyncio.sleep(0.2)  # let the fast writer commit if nothing stops it
    during, cursor_during = await world.pull_all(tablet, cursor)
    release_slow.set()
    await slow
    if fast is not None:
        await fast
    else:
        await writer(False)
    after, _ = await world.pull_all(tablet, cursor_during)
    delivered = [(i["id"], i["seq"]) for i in during + after]
    assert len(delivered) == len(set(delivered))
    from sqlmodel import col, select

    from core.storage.changes import Change

    async with ctx.db.read() as session:
        written = {(r.entity_id, r.seq) for r in (await session.exec(select(Change).where(col(Change.seq) > 0).order_by(col(Change.seq).desc()).limit(2))).all()}
    # Both writers' changes reached the client that kept its cursor: none was skipped.
    assert written <= set(delivered)
    if ctx.db.dialect == "postgresql":
        assert during == []  # the fast writer waited for the slow one's commit


@pytest.mark.parametrize("n", [3])
async def test_pull_needs_a_device_session(world, n) -> None:  # type: ignore[no-untyped-def]
    await world.api.user("web", "inspector", region_code="510681", industries=["hazchem"])
    web = await world.api.login("web")
    response = await world.api.client.get("/api/v1/sync/pull", headers=web)
    assert response.status_code == 403 and response.json()["code"] == "device_required"
