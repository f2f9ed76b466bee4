"""A documents world: an issuing authority for 广汉市, a hazchem enterprise with its file filled in,
two inspectors holding 执法证 on tablets, the sync tests' checklist, and an inspection pushed from
a tablet with failed items (one of them a 重大事故隐患) and its photos and signatures uploaded.

Documents are issued through the real server wiring: the inspection reader is sync's
(``sync.document_source``), handed to the plugin by ``server.py``.
"""

from __future__ import annotations

import hashlib
import io
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from PIL import Image
from sqlalchemy import update
from sqlmodel import col

from checklists.canonical import content_hash
from checklists.versions import publish_version
from core.access.users import User
from core.storage.audit_log import SYSTEM
from plugins.documents.sources import inspection_reader
from plugins.registry import PluginRegistry
from server import build_context, create_app
from sync.document_source import inspection_facts
from tests.conftest import Api, make_settings
from tests.sync.conftest import Tablet, checklist_v

AUTHORITY = {
    "name": "广汉市应急管理局", "short_name": "广", "review_body": "广汉市人民政府", "court": "广汉市人民法院",
    "address": "广汉市中山大道南一段 1 号", "phone": "0838-5222222",
}
ENTERPRISE = {
    "name": "广汉市红星化工有限公司", "address": "广汉市三星堆镇工业园 8 号", "legal_representative": "王建国",
    "safety_manager": "刘安全", "safety_manager_phone": "13800000000",
}


def png(seed: int, size: tuple[int, int] = (240, 90)) -> bytes:
    """A small signature-like PNG, different for every seed."""
    image = Image.new("RGB", size, "white")
    for x in range(20, size[0] - 20):
        image.putpixel((x, 30 + (x * (seed + 3)) % 30), (0, 0, 0))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def jpeg(seed: int, size: tuple[int, int] = (640, 480)) -> bytes:
    """A camera-like JPEG (a colour gradient), different for every seed."""
    image = Image.new("RGB", size, ((seed * 40) % 256, 120, 200))
    for y in range(0, size[1], 8):
        for x in range(0, size[0], 8):
            image.putpixel((x, y), ((x + seed) % 256, (y * 2) % 256, (x + y) % 256))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class DocWorld:
    api: Api
    admin: dict[str, str]
    enterprise: dict[str, Any]
    checklist_hash: str
    zhang: Tablet
    li: Tablet
    inspection_id: str = ""
    submission_id: str = ""
    hazard_ids: list[str] = field(default_factory=list)
    photos: dict[str, bytes] = field(default_factory=dict)
    last_record: dict[str, Any] = field(default_factory=dict)

    @property
    def client(self) -> Any:
        return self.api.client

    async def upload(self, tablet: Tablet, data: bytes) -> str:
        digest = sha(data)
        response = await self.client.put(f"/api/v1/attachments/{digest}", content=data, headers=tablet.headers)
        assert response.status_code < 300, response.text
        self.photos[digest] = data
        return digest

    async def tablet(self, name: str, region_code: str = "510681") -> Tablet:
        """Another inspector on a tablet (hazchem, ``region_code``), without a 执法证号."""
        user_id = await self.api.user(name, "inspector", region_code=region_code, industries=["hazchem"])
        device_id = str(uuid.uuid4())
        return Tablet(user_id, device_id, await self.api.login(name, device_id=device_id))

    async def relogin(self, tablet: Tablet, name: str) -> Tablet:
        """A fresh session for ``tablet`` (after the clock moved past its token's life)."""
        return Tablet(tablet.user_id, tablet.device_id, await self.api.login(name, device_id=tablet.device_id))

    async def set_officer(self, user_id: str, display_name: str, card_no: str | None) -> None:
        async with self.api.direct.db.write() as session:
            await session.exec(update(User).where(col(User.id) == user_id).values(display_name=display_name, enforcement_card_no=card_no))  # type: ignore[call-overload]

    async def push(self, tablet: Tablet, **overrides: Any) -> dict[str, Any]:
        """Push one submission (failed items by default) and return its accepted result."""
        record: dict[str, Any] = {
            "kind": "submission", "id": str(uuid.uuid4()), "enterprise_id": self.enterprise["id"], "checklist_id": "hazchem.storage",
            "checklist_version": "1.0.0", "checklist_hash": self.checklist_hash,
            "started_at": "2026-03-02T08:00:00+08:00", "finished_at": "2026-03-02T08:40:00+08:00",
            "gps": {"latitude": 30.99, "longitude": 104.25},
            "answers": {
                "CC-1": {"result": "fail", "note": "仓库未设置防爆照明"},
                "CC-2": {"value": 21.5},
                "CC-3": {"result": "fail", "note": "液氨储罐区未辨识登记"},
            },
            "hazards": [{"id": str(uuid.uuid4()), "item_code": "CC-1", "description": "危险化学品仓库未设置防爆照明", "location": "1号仓库",
                         "responsible_person": "刘安全"}],
        }
        record.update(overrides)
        self.last_record = record
        response = await self.client.post("/api/v1/sync/push", json={"records": [record]}, headers=tablet.headers)
        assert response.status_code == 200, response.text
        result = response.json()["results"][0]
        assert result["status"] == "accepted", result
        return result

    async def push_inspection(self) -> dict[str, Any]:
        """The standard inspection: zhang with li, photos, both inspectors' and the enterprise's signatures."""
        photo = await self.upload(self.zhang, jpeg(1))
        item_photo = await self.upload(self.zhang, jpeg(2))
        signatures = [
            {"role": "inspector", "name": "张三", "sha256": await self.upload(self.zhang, png(1))},
            {"role": "inspector", "name": "李四", "sha256": await self.upload(self.zhang, png(2))},
            {"role": "enterprise", "name": "王经理", "sha256": await self.upload(self.zhang, png(3))},
        ]
        answers = {
            "CC-1": {"result": "fail", "note": "仓库未设置防爆照明", "photos": [item_photo]},
            "CC-2": {"value": 21.5},
            "CC-3": {"result": "fail", "note": "液氨储罐区未辨识登记"},
        }
        result = await self.push(self.zhang, photos=[photo], signatures=signatures, answers=answers, co_inspectors=[self.li.user_id])
        self.inspection_id, self.submission_id, self.hazard_ids = result["inspection_id"], result["id"], result["hazard_ids"]
        return result

    async def hazards(self) -> dict[str, dict[str, Any]]:
        """The inspection's hazards by level (one general, one major)."""
        found = {}
        for hazard_id in self.hazard_ids:
            response = await self.client.get(f"/api/v1/hazards/{hazard_id}", headers=self.admin)
            assert response.status_code == 200, response.text
            body = response.json()
            hazard = body.get("hazard", body)
            found[hazard["level"]] = hazard
        return found

    async def step(self, hazard_id: str, headers: dict[str, str], **body: Any) -> dict[str, Any]:
        response = await self.client.post(f"/api/v1/hazards/{hazard_id}/transitions", json=body, headers=headers)
        assert response.status_code == 200, response.text
        return response.json()

    async def order_major(self) -> dict[str, Any]:
        """Order the major hazard's rectification (its deadline is its 治理方案's completion date)."""
        major = (await self.hazards())["major"]
        await self.step(major["id"], self.zhang.headers, to_status="rectifying", deadline="2026-03-20T18:00:00+08:00",
                        responsible_person="王建国", rectification_plan="委托有资质单位完成重大危险源辨识、登记建档并备案")
        return major

    async def recheck_both(self) -> None:
        """The enterprise reports both fixed; the general one passes its recheck, the major one fails."""
        hazards = await self.hazards()
        for level, passed in (("general", True), ("major", False)):
            hazard_id = hazards[level]["id"]
            evidence = await self.upload(self.zhang, jpeg(10 + len(level)))
            await self.step(hazard_id, self.zhang.headers, to_status="awaiting_recheck", evidence=[evidence], reason="已整改")
            if passed:
                await self.step(hazard_id, self.zhang.headers, to_status="closed", reason="防爆照明已安装")
            else:
                await self.step(hazard_id, self.zhang.headers, to_status="rectifying", reason="登记建档资料不全", deadline="2026-03-30T18:00:00+08:00")

    async def issue(self, headers: dict[str, str], type_code: str, expect: int = 201, **body: Any) -> dict[str, Any]:
        self.api.ctx.clock.advance(seconds=1)  # documents are listed in the order issued
        response = await self.client.post("/api/v1/documents", json={"type": type_code, "inspection_id": self.inspection_id, **body}, headers=headers)
        assert response.status_code == expect, response.text
        return response.json()


@pytest.fixture(autouse=True)
def wired_reader() -> Any:
    """Documents read inspections through sync's reader, wired by ``server.py`` (not a test double)."""
    assert inspection_reader() is inspection_facts, "server.py must hand sync's inspection reader to the documents plugin"
    return inspection_reader()


@pytest.fixture
def doc_settings(db_url, tmp_path):  # type: ignore[no-untyped-def]
    return make_settings(db_url, str(tmp_path / "data"))


@pytest.fixture
async def doc_app(doc_settings, clock):  # type: ignore[no-untyped-def]
    return create_app(doc_settings, clock=clock, plugins=PluginRegistry(strict=True))


async def build_world(app: Any, settings: Any, clock: Any) -> AsyncIterator[DocWorld]:
    async with AsyncTestClient(app=app) as client:
        api = Api(client, app)
        api.ctx = build_context(settings, clock)
        try:
            await api.user("root", "admin")
            admin = await api.login("root")
            put = await client.put("/api/v1/document-authorities/510681", json=AUTHORITY, headers=admin)
            assert put.status_code == 201, put.text
            enterprise = await api.enterprise(admin, **ENTERPRISE)
            checklist = checklist_v("1.0.0")
            await publish_version(api.ctx, checklist, actor=SYSTEM, source="api")
            world = DocWorld(api=api, admin=admin, enterprise=enterprise, checklist_hash=content_hash(checklist), zhang=None, li=None)  # type: ignore[arg-type]
            world.zhang, world.li = await world.tablet("zhang"), await world.tablet("li")
            await world.set_officer(world.zhang.user_id, "张三", "51068100001")
            await world.set_officer(world.li.user_id, "李四", "51068100002")
            yield world
        finally:
            await api.ctx.db.dispose()
            await api.direct.db.dispose()


@pytest.fixture
async def world(doc_app, doc_settings, clock) -> AsyncIterator[DocWorld]:  # type: ignore[no-untyped-def]
    async for world in build_world(doc_app, doc_settings, clock):
        yield world


@pytest.fixture
async def inspected(world: DocWorld) -> DocWorld:
    """The world after the standard inspection was pushed."""
    await world.push_inspection()
    return world
