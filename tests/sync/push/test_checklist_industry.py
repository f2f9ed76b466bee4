"""A checklist is for its own industry's enterprises: a submission on another industry's checklist
is refused (``checklist_industry_mismatch`` on ``checklist_id``) unless the checklist is marked
``general``; an enterprise of several industries takes the checklists of each."""

from __future__ import annotations

from typing import Any

import msgspec

from checklists.canonical import content_hash
from checklists.schema import Checklist
from checklists.versions import publish_version
from core.storage.audit_log import SYSTEM
from tests.sync.conftest import CHECKLIST

_ANSWERS = {"CC-1": {"result": "pass"}, "CC-2": {"value": 20}, "CC-3": {"result": "pass"}}


async def _publish(world, checklist_id: str, industry: str, **extra: Any) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    checklist = msgspec.convert({**CHECKLIST, "id": checklist_id, "industry": industry, **extra}, Checklist)
    await publish_version(world.api.ctx, checklist, actor=SYSTEM, source="api")
    return {"checklist_id": checklist_id, "checklist_version": checklist.version, "checklist_hash": content_hash(checklist), "answers": _ANSWERS}


async def test_another_industrys_checklist_is_refused_unless_general(world) -> None:  # type: ignore[no-untyped-def]
    tablet = await world.tablet("insp1", region_code="510681", industries=["hazchem", "fire"])
    fire = await _publish(world, "fire.unit_check", "fire")
    general = await _publish(world, "fire.every_workplace", "fire", general=True)
    both = await world.api.enterprise(world.admin, name="广汉市某化工（兼消防重点单位）", industries=["hazchem", "fire"])
    results = await world.push(
        tablet,
        world.submission(**fire),  # the world's enterprise is hazchem only
        world.submission(**general),
        world.submission(**fire, enterprise_id=both["id"]),
        world.submission(),  # its own industry's checklist, as ever
    )
    assert [r["status"] for r in results] == ["rejected", "accepted", "accepted", "accepted"]
    assert (results[0]["code"], results[0]["field"]) == ("checklist_industry_mismatch", "checklist_id")
    assert "fire" in results[0]["message"] and "消防" in results[0]["message_zh"] and "危险化学品" in results[0]["message_zh"]


async def test_a_self_inspection_on_another_industrys_checklist_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    works = await world.api.enterprise(world.admin, name="广汉市某金属制品厂", industries=["industrial_trade"])
    coal = await _publish(world, "coal.mine_check", "coal")
    tablet = await world.tablet("works", role="enterprise_user", enterprise_id=works["id"])
    [result] = await world.push(tablet, world.submission(**coal, enterprise_id=works["id"]))
    assert (result["status"], result["code"], result["field"]) == ("rejected", "checklist_industry_mismatch", "checklist_id")


def test_marking_a_checklist_general_is_optional_and_leaves_existing_hashes_alone() -> None:
    plain = msgspec.convert(CHECKLIST, Checklist)
    explicit = msgspec.convert({**CHECKLIST, "general": False}, Checklist)
    assert not plain.general and content_hash(plain) == content_hash(explicit)
    assert b"general" not in msgspec.json.encode(plain)
    assert content_hash(msgspec.convert({**CHECKLIST, "general": True}, Checklist)) != content_hash(plain)
