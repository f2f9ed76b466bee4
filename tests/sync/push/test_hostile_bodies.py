"""Hostile push bodies: nesting deeper than 64 levels is refused before decoding (JSON, MessagePack,
gzip); a record holding a NUL character (U+0000) is that record's rejection, kept in quarantine in
a form PostgreSQL stores and an admin can read, while its neighbours are stored."""

from __future__ import annotations

import gzip
import uuid
from typing import Any

import msgspec
import pytest
from sqlmodel import func, select

from sync.push.submissions import Submission
from sync.review.quarantine_table import QuarantinedRecord

PUSH = "/api/v1/sync/push"
MSGPACK = "application/msgpack"


def _deep_json(depth: int) -> bytes:
    return b'{"a":' * depth + b"1" + b"}" * depth


def _deep_msgpack(depth: int) -> bytes:
    return b"\x81\xa1a" * depth + b"\x01"


def _json_push(record: bytes) -> bytes:
    return b'{"records": [' + record + b"]}"


def _msgpack_push(record: bytes) -> bytes:
    return b"\x81\xa7records\x91" + record


async def _count(ctx, model) -> int:  # type: ignore[no-untyped-def]
    async with ctx.db.read() as session:
        return (await session.exec(select(func.count()).select_from(model))).one()


@pytest.mark.parametrize(
    "content_type,body,gzipped",
    [
        ("application/json", _json_push(_deep_json(1000)), False),
        ("application/json", _json_push(_deep_json(1000)), True),
        (MSGPACK, _msgpack_push(_deep_msgpack(1000)), False),
        (MSGPACK, _msgpack_push(_deep_msgpack(1000)), True),
        ("application/json", _json_push(b'{"kind": "hazard_update", "transition": ' + _deep_json(70) + b"}"), False),
    ],
    ids=["json", "json-gzip", "msgpack", "msgpack-gzip", "json-70-in-a-record"],
)
async def test_deep_push_body_is_400_too_deep(world, content_type, body, gzipped) -> None:  # type: ignore[no-untyped-def]
    tablet = await world.tablet("insp1")
    headers = {**tablet.headers, "content-type": content_type}
    if gzipped:
        body = gzip.compress(body)
        headers["content-encoding"] = "gzip"
    response = await world.api.client.post(PUSH, content=body, headers=headers)
    assert response.status_code == 400, response.text
    assert response.json()["code"] == "too_deep"


@pytest.mark.parametrize("content_type", ["application/json", MSGPACK])
async def test_normal_push_still_passes_in_both_formats_gzipped(world, content_type) -> None:  # type: ignore[no-untyped-def]
    tablet = await world.tablet("insp1")
    encode = msgspec.msgpack.encode if content_type == MSGPACK else msgspec.json.encode
    body = gzip.compress(encode({"records": [world.submission(notes="备注 [含括号] {和花括号} \\u0000 只是文字")]}))
    headers = {**tablet.headers, "content-type": content_type, "accept": content_type, "content-encoding": "gzip"}
    response = await world.api.client.post(PUSH, content=body, headers=headers)
    assert response.status_code == 200, response.text
    decode = msgspec.msgpack.decode if content_type == MSGPACK else msgspec.json.decode
    assert [r["status"] for r in decode(response.content)["results"]] == ["accepted"]


def _nul_records(world) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    hazard = {"id": str(uuid.uuid4()), "item_code": "CC-1", "description": "仓库\x00无防火间距"}
    return [
        world.submission(),
        world.submission(notes="现场\x00检查"),
        world.submission(answers={"CC-1": {"result": "fail", "note": "消防\x00器材"}, "CC-2": {"value": 20}, "CC-3": {"result": "pass"}}),
        world.submission(answers={"CC-1": {"result": "fail"}, "CC-2": {"value": 20}, "CC-3": {"result": "pass"}}, hazards=[hazard]),
        world.submission(answers={"CC-1": {"result": "pass"}, "CC-2": {"value": 20}, "CC-3": {"result": "pass"}, "CC\x00-9": {"result": "pass"}}),
        world.submission(id="not-a-uuid\x00"),  # malformed as well: still kept, and storable
        world.submission(),
    ]


NUL_FIELDS = [None, "notes", "answers.CC-1.note", "hazards.0.description", "answers.CC\\u0000-9", "id", None]


@pytest.mark.parametrize("content_type", ["application/json", MSGPACK])
async def test_a_record_with_a_nul_is_rejected_alone_and_quarantined_readably(world, content_type) -> None:  # type: ignore[no-untyped-def]
    tablet = await world.tablet("insp1")
    records = _nul_records(world)
    encode = msgspec.msgpack.encode if content_type == MSGPACK else msgspec.json.encode
    response = await world.api.client.post(PUSH, content=encode({"records": records}), headers={**tablet.headers, "content-type": content_type, "accept": content_type})
    assert response.status_code == 200, response.text
    decode = msgspec.msgpack.decode if content_type == MSGPACK else msgspec.json.decode
    results = decode(response.content)["results"]
    assert [r["status"] for r in results] == ["accepted", "rejected", "rejected", "rejected", "rejected", "rejected", "accepted"]
    assert [r.get("field") for r in results] == NUL_FIELDS
    assert [r.get("code") for r in results[1:5]] == ["nul_character"] * 4
    assert results[5]["code"] == "invalid_record"  # its id is no UUID: that is said first
    assert all(r["quarantine_id"] for r in results[1:6])
    ctx = world.api.ctx
    assert await _count(ctx, Submission) == 2
    assert await _count(ctx, QuarantinedRecord) == 5

    listed = await world.api.client.get("/api/v1/sync/quarantine", headers=world.admin)
    assert listed.status_code == 200, listed.text
    rows = {row["id"]: row for row in listed.json()["items"]}
    for position in range(1, 6):
        row = rows[results[position]["quarantine_id"]]
        # The record as received, every NUL written as the escape \u0000: exact, readable, storable.
        kept = row["payload"]
        assert set(kept) == {"nul_character_at", "as_json"}
        assert msgspec.json.decode(kept["as_json"]) == records[position]
        assert "\x00" not in msgspec.json.encode(row).decode()
    assert rows[results[1]["quarantine_id"]]["record_id"] == records[1]["id"]
    assert rows[results[5]["quarantine_id"]]["record_id"] == "not-a-uuid\\u0000"

    # The tablet sends the same batch again: nothing new is stored, the rows count attempts.
    again = await world.api.client.post(PUSH, content=encode({"records": records}), headers={**tablet.headers, "content-type": content_type, "accept": content_type})
    assert [r["status"] for r in decode(again.content)["results"]] == ["duplicate", *["rejected"] * 5, "duplicate"]
    assert await _count(ctx, QuarantinedRecord) == 5


async def test_an_admin_corrects_a_nul_record_and_reingests_it(world) -> None:  # type: ignore[no-untyped-def]
    tablet = await world.tablet("insp1")
    record = world.submission(notes="现场\x00检查")
    [result] = await world.push(tablet, record)
    assert result["code"] == "nul_character"
    client = world.api.client
    # Kept as JSON text, the record cannot be re-ingested as stored: the admin must correct it.
    response = await client.post(f"/api/v1/sync/quarantine/{result['quarantine_id']}/reingest", json={}, headers=world.admin)
    assert response.status_code == 400 and (response.json()["code"], response.json()["field"]) == ("nul_character", "payload")
    # The admin's corrected payload is itself checked at the edge.
    response = await client.post(f"/api/v1/sync/quarantine/{result['quarantine_id']}/reingest", json={"payload": record}, headers=world.admin)
    assert response.status_code == 400 and response.json()["field"] == "payload.notes"
    fixed = {**record, "notes": "现场检查"}
    response = await client.post(f"/api/v1/sync/quarantine/{result['quarantine_id']}/reingest", json={"payload": fixed}, headers=world.admin)
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "accepted"
