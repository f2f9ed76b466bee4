"""The reference client: outbox acknowledged only by a result, retries, resumable uploads, concurrency."""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import uuid
from typing import Any

import httpx
from sqlmodel import func, select

from sync.client.outbox import LocalStore
from sync.client.tablet import TabletClient
from sync.push.ledger import SyncRecord
from sync.push.submissions import Submission
from tests.conftest import PASSWORD


class LossyHttp:
    """Passes requests to the real client but loses the first ``lose`` push responses after the
    server has handled them (the server committed; the tablet saw a network error)."""

    def __init__(self, http: httpx.AsyncClient, lose: int) -> None:
        self.http = http
        self.lose = lose

    async def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        response = await self.http.request(method, url, **kwargs)
        if url.endswith("/sync/push") and self.lose > 0:
            self.lose -= 1
            raise httpx.ReadError("connection reset while reading the response")
        return response

    async def post(self, url: str, **kwargs: Any) -> httpx.Response:
        return await self.request("POST", url, **kwargs)


async def _no_sleep(_: float) -> None:
    return None


async def _client(world, tmp_path, name: str, http: Any = None) -> TabletClient:  # type: ignore[no-untyped-def]
    await world.api.user(name, "inspector", region_code="510681", industries=["hazchem"])
    client = TabletClient(LocalStore(tmp_path / f"{name}.db"), http or world.api.client, sleep=_no_sleep)
    await client.login(name, PASSWORD)
    return client


async def test_lost_responses_are_retried_and_answered_duplicate(world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    lossy = LossyHttp(world.api.client, lose=2)
    client = await _client(world, tmp_path, "insp1", lossy)
    ids = [client.enqueue(world.submission()) for _ in range(3)]
    results = await client.push()
    assert sorted(r["id"] for r in results) == sorted(ids)
    assert {r["status"] for r in results} == {"duplicate"}  # the committed first attempt was retried
    assert all(r["first_status"] == "accepted" for r in results)
    assert client.store.pending_count() == 0
    async with world.api.ctx.db.read() as session:
        assert (await session.exec(select(func.count()).select_from(Submission))).one() == 3


async def test_records_stay_queued_until_answered(world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    class Offline:
        async def request(self, *args: Any, **kwargs: Any) -> httpx.Response:
            raise httpx.ConnectError("no network")

    client = await _client(world, tmp_path, "insp1")
    record_id = client.enqueue(world.submission())
    client.http = Offline()  # type: ignore[assignment]
    try:
        await client.push()
    except httpx.TransportError:
        pass
    assert client.store.pending_count() == 1
    client.http = world.api.client
    [result] = await client.push()
    assert result["id"] == record_id and result["status"] == "accepted"
    assert client.store.result(record_id)["status"] == "accepted"


async def test_client_uploads_missing_photos_resuming_a_partial_upload(world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    client = await _client(world, tmp_path, "insp1")
    photo = tmp_path / "photo.jpg"
    data = os.urandom(200_000)
    photo.write_bytes(data)
    sha = client.attach(photo)
    assert sha == hashlib.sha256(data).hexdigest()
    # An earlier attempt got 70 000 bytes through before the connection died.
    partial = await world.api.client.put(f"/api/v1/attachments/{sha}", content=data[:70_000], headers={"Authorization": f"Bearer {client.store.get('access_token')}", "Content-Range": f"bytes 0-69999/{len(data)}"})
    assert partial.json()["received"] == 70_000
    client.enqueue(world.submission(photos=[sha]))
    [result] = await client.push()
    assert result["missing_attachments"] == [sha]  # listed, then uploaded by the client
    head = await world.api.client.head(f"/api/v1/attachments/{sha}", headers={"Authorization": f"Bearer {client.store.get('access_token')}"})
    assert head.headers["upload-complete"] == "1"
    stored = world.api.ctx.settings.data_dir + f"/attachments/{sha[:2]}/{sha[2:]}"
    assert open(stored, "rb").read() == data


async def test_concurrent_pushes_from_several_devices_lose_nothing(world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    clients = [await _client(world, tmp_path, f"insp{n}") for n in range(4)]
    records = {c.store.get("device_id"): [c.enqueue(world.submission()) for _ in range(5)] for c in clients}
    shared = world.submission()  # the same record queued on two devices (a copied file): stored once
    clients[0].enqueue(shared)
    clients[1].enqueue(shared)
    outcomes = await asyncio.gather(*(c.push() for c in clients), *(c.push() for c in clients))
    answered = {r["id"] for out in outcomes for r in out}
    expected = {i for ids in records.values() for i in ids} | {shared["id"]}
    assert answered == expected
    async with world.api.ctx.db.read() as session:
        assert (await session.exec(select(func.count()).select_from(Submission))).one() == len(expected)
        assert (await session.exec(select(func.count()).select_from(SyncRecord))).one() == len(expected)


def test_tablet_cli_drives_a_tablet(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from server import cli

    record = {"kind": "submission", "id": str(uuid.uuid4()), "enterprise_id": "e", "checklist_id": "a.b", "checklist_version": "1.0.0",
              "checklist_hash": "0" * 64, "started_at": "2026-03-02T08:00:00+08:00", "finished_at": "2026-03-02T09:00:00+08:00", "answers": {}}
    (tmp_path / "r.json").write_text(json.dumps(record))
    (tmp_path / "bad.json").write_text(json.dumps({**record, "answers": {"A": {"result": "maybe"}}}))
    state = str(tmp_path / "t.db")
    runner = CliRunner()
    out = runner.invoke(cli, ["tablet", "--state", state, "enqueue", str(tmp_path / "r.json")])
    assert out.exit_code == 0 and record["id"] in out.output
    bad = runner.invoke(cli, ["tablet", "--state", state, "enqueue", str(tmp_path / "bad.json")])
    assert bad.exit_code != 0 and "invalid record" in bad.output
    status = runner.invoke(cli, ["tablet", "--state", state, "status"])
    assert json.loads(status.output)["pending"] == 1
    push = runner.invoke(cli, ["tablet", "--state", state, "push"])
    assert push.exit_code != 0 and "login" in push.output
