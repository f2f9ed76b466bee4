"""文书编号: one gap-free sequence per (authority, type, year), never reused, from the closest
authority covering the enterprise; safe when two instances on one PostgreSQL issue at once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from sqlmodel import select

from core.clock import FrozenClock
from plugins.documents.authorities import DocumentAuthority
from plugins.documents.numbering import format_number, next_seq
from plugins.registry import PluginRegistry
from server import create_app
from tests.conftest import fresh_pg_database, make_settings
from tests.plugins.documents.conftest import DocWorld, build_world

COUNTY = {"name": "广汉市应急管理局（县级）", "short_name": "广", "review_body": "广汉市人民政府", "court": "广汉市人民法院"}
CITY = {"name": "德阳市应急管理局", "short_name": "德", "review_body": "德阳市人民政府", "court": "德阳市旌阳区人民法院"}


def test_the_number_reads_short_name_class_year_and_sequence() -> None:
    assert format_number("德", "检记", 2026, 12) == "德应急检记〔2026〕12号"


async def _general(world: DocWorld) -> list[str]:
    return [(await world.hazards())["general"]["id"]]


async def test_sequences_are_per_type_and_voided_numbers_are_never_reused(inspected: DocWorld) -> None:
    world = inspected
    general = await _general(world)
    numbers = [(await world.issue(world.zhang.headers, "rectification_order", hazard_ids=general))["number"] for _ in range(3)]
    assert numbers == [f"广应急责改〔2026〕{n}号" for n in (1, 2, 3)]
    voided = await world.client.post("/api/v1/documents", params={}, json={"type": "inspection_record", "inspection_id": world.inspection_id}, headers=world.zhang.headers)
    assert voided.json()["number"] == "广应急检记〔2026〕1号"  # another type: its own sequence
    await world.client.post(f"/api/v1/documents/{voided.json()['id']}/void", json={"reason": "作废"}, headers=world.zhang.headers)
    assert (await world.issue(world.zhang.headers, "inspection_record"))["number"] == "广应急检记〔2026〕2号"
    this_year = await world.client.get("/api/v1/documents", params={"year": 2026, "type": "rectification_order"}, headers=world.zhang.headers)
    assert [d["seq"] for d in this_year.json()["items"]] == [3, 2, 1]


async def test_each_authority_type_and_year_counts_on_its_own_and_a_rolled_back_draw_leaves_no_gap(world: DocWorld) -> None:
    async with world.api.direct.db.read() as session:
        authority = (await session.exec(select(DocumentAuthority))).one()
    db = world.api.direct.db

    async def draw(type_code: str, year: int) -> int:
        async with db.write() as session:
            return await next_seq(session, authority.id, type_code, year)

    assert [await draw("inspection_record", 2026) for _ in range(3)] == [1, 2, 3]
    assert await draw("inspection_record", 2027) == 1  # a new year starts again at 1
    assert await draw("recheck_opinion", 2026) == 1
    with pytest.raises(RuntimeError):
        async with db.write() as session:
            assert await next_seq(session, authority.id, "inspection_record", 2026) == 4
            raise RuntimeError("the document could not be stored")
    assert await draw("inspection_record", 2026) == 4  # the refused draw was rolled back with its transaction


async def test_the_closest_authority_issues_and_short_names_stay_distinct(world: DocWorld) -> None:
    client, admin = world.client, world.admin
    assert (await client.put("/api/v1/document-authorities/510600", json=CITY, headers=admin)).status_code == 201
    taken = await client.put("/api/v1/document-authorities/510600", json={**CITY, "short_name": "广"}, headers=admin)
    assert (taken.status_code, taken.json()["code"], taken.json()["field"]) == (409, "short_name_taken", "short_name")
    await world.push_inspection()  # 广汉市 (510681): the county's 广 wins over the city's 德
    assert (await world.issue(world.zhang.headers, "inspection_record"))["number"] == "广应急检记〔2026〕1号"
    jingyang = await world.api.enterprise(admin, name="旌阳化工", region_code="510603", address="旌阳区", legal_representative="赵")
    zhao, qian = await world.tablet("zhao", "510603"), await world.tablet("qian", "510603")
    await world.set_officer(zhao.user_id, "赵六", "51060300001")
    await world.set_officer(qian.user_id, "钱七", "51060300002")
    result = await world.push(zhao, enterprise_id=jingyang["id"], co_inspectors=[qian.user_id])
    world.inspection_id = result["inspection_id"]
    document = await world.issue(zhao.headers, "inspection_record")  # 旌阳区 has none: 德阳市's
    assert (document["number"], document["content"]["authority"]) == ("德应急检记〔2026〕1号", "德阳市应急管理局")


async def test_authorities_are_set_by_admins_checked_and_audited(world: DocWorld) -> None:
    client, admin = world.client, world.admin
    inspector = world.zhang.headers
    assert (await client.put("/api/v1/document-authorities/510600", json=CITY, headers=inspector)).status_code == 403
    for region, field in (("5106", "region_code"), ("510681001", "region_code"), ("999999", "region_code")):
        bad = await client.put(f"/api/v1/document-authorities/{region}", json=CITY, headers=admin)
        assert bad.status_code == 400, (region, bad.text)
    blank = await client.put("/api/v1/document-authorities/510600", json={**CITY, "court": " "}, headers=admin)
    assert (blank.status_code, blank.json()["field"]) == (400, "court")
    too_long = await client.put("/api/v1/document-authorities/510600", json={**CITY, "short_name": "德" * 9}, headers=admin)
    assert too_long.status_code == 400 and "short_name" in too_long.text
    updated = await client.put("/api/v1/document-authorities/510681", json={**COUNTY, "phone": "0838-1"}, headers=admin)
    assert (updated.status_code, updated.json()["version"], updated.json()["phone"]) == (200, 2, "0838-1")
    listed = await client.get("/api/v1/document-authorities", headers=inspector)
    assert [(a["region_code"], a["short_name"]) for a in listed.json()] == [("510681", "广")]
    audit = await client.get("/api/v1/audit", params={"entity": "document_authority"}, headers=admin)
    assert [(e["action"], (e["after"] or {}).get("version")) for e in audit.json()] == [("document_authority.put", 2), ("document_authority.put", 1)]


@pytest.fixture
async def pg_pair(tmp_path: Any) -> AsyncIterator[tuple[DocWorld, AsyncTestClient]]:
    """The documents world on a fresh PostgreSQL database, and a second instance of the server on it."""
    async with fresh_pg_database("two instances issuing at once need PostgreSQL") as url:
        settings = make_settings(url, str(tmp_path / "data"))
        clock = FrozenClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
        first = create_app(settings, clock=clock, plugins=PluginRegistry(strict=True))
        second = create_app(settings, clock=clock, plugins=PluginRegistry(strict=True))
        async for world in build_world(first, settings, clock):
            async with AsyncTestClient(app=second) as other:
                yield world, other


async def test_two_instances_issuing_200_documents_at_once_hand_out_200_consecutive_numbers(pg_pair: tuple[DocWorld, AsyncTestClient]) -> None:
    world, other = pg_pair
    await world.push_inspection()
    body = {"type": "rectification_order", "inspection_id": world.inspection_id, "hazard_ids": await _general(world)}
    clients = [world.client, other]
    responses = await asyncio.gather(*(clients[n % 2].post("/api/v1/documents", json=body, headers=world.zhang.headers) for n in range(200)))
    assert [r.status_code for r in responses] == [201] * 200, next(r.text for r in responses if r.status_code != 201)
    seqs = sorted(r.json()["seq"] for r in responses)
    assert seqs == list(range(1, 201))
    assert len({r.json()["number"] for r in responses}) == 200
    listed = await world.client.get("/api/v1/documents", params={"page_size": 200, "type": "rectification_order"}, headers=world.admin)
    assert listed.json()["total"] == 200
