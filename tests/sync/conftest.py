"""Fixtures for the sync tests: an app on SQLite or PostgreSQL, a published checklist, an
enterprise in 广汉市, inspectors logged in on tablets, and helpers to build records."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import msgspec
import pytest
from litestar.testing import AsyncTestClient

from checklists.canonical import content_hash
from checklists.schema import Checklist
from checklists.versions import publish_version
from core.plans.assignments import Assignment
from core.plans.service import add_assignment
from core.storage.audit_log import SYSTEM
from plugins.hookspecs import hookimpl
from plugins.registry import PluginRegistry
from server import build_context, create_app
from tests.conftest import Api, make_settings

CHECKLIST: dict[str, Any] = {
    "id": "hazchem.storage",
    "version": "1.0.0",
    "title": "危化品储存检查表",
    "industry": "hazchem",
    "sections": [
        {
            "code": "CC",
            "title": "储存管理",
            "items": [
                {"code": "CC-1", "text": "危险化学品专用仓库设置符合要求", "basis": [{"document": "危险化学品安全管理条例", "article": "第二十四条"}]},
                {"code": "CC-2", "text": "仓库温度（℃）", "basis": [{"document": "GB 15603"}], "answer": {"kind": "number", "min": -10, "max": 30, "unit": "℃"}},
                {"code": "CC-3", "text": "重大危险源未进行辨识和登记建档", "basis": [{"document": "化工和危险化学品生产经营单位重大生产安全事故隐患判定标准"}], "major_hazard": True, "rectification_days": 10},
                {"code": "CC-4", "text": "备注", "basis": [{"document": "内部"}], "answer": {"kind": "text"}, "required": False},
            ],
        }
    ],
}


def checklist_v(version: str, extra_item: bool = False) -> Checklist:
    data = msgspec.json.decode(msgspec.json.encode(CHECKLIST))
    data["version"] = version
    if extra_item:
        data["sections"][0]["items"].append({"code": "CC-5", "text": "新增：防静电设施完好", "basis": [{"document": "GB 15603"}]})
    return msgspec.convert(data, Checklist)


class Recorder:
    """A test plugin that remembers every accepted submission it is told about."""

    def __init__(self) -> None:
        self.seen: list[Any] = []

    @hookimpl
    def anjian_submission_accepted(self, submission: Any) -> None:
        self.seen.append(submission)


@dataclass
class Tablet:
    """A logged-in tablet: headers carry a device session."""

    user_id: str
    device_id: str
    headers: dict[str, str]


@dataclass
class SyncWorld:
    api: Api
    admin: dict[str, str]
    enterprise: dict[str, Any]
    checklist_hash: str
    recorder: Recorder
    tablets: dict[str, Tablet] = field(default_factory=dict)

    async def tablet(self, name: str, role: str = "inspector", **scope: Any) -> Tablet:
        if not scope and role == "inspector":
            scope = {"region_code": "510681", "industries": ["hazchem"]}
        user_id = await self.api.user(name, role, **scope)
        device_id = str(uuid.uuid4())
        headers = await self.api.login(name, device_id=device_id)
        self.tablets[name] = Tablet(user_id, device_id, headers)
        return self.tablets[name]

    async def assignment(self, tablet: Tablet, slot: str = "test") -> Assignment:
        """A pending March assignment of the world's enterprise for ``tablet``'s inspector."""
        ctx = self.api.ctx
        now = ctx.clock.now()
        assignment = Assignment(
            slot_key=f"{slot}:{self.enterprise['id']}", kind="plan", enterprise_id=self.enterprise["id"], inspector_id=tablet.user_id,
            region_code="510681", industries=["hazchem"], due_from=date(2026, 3, 1), due_until=date(2026, 3, 31), created_at=now, updated_at=now,
        )
        async with ctx.db.write() as session:
            assert await add_assignment(session, ctx, assignment)
        return assignment

    def submission(self, **overrides: Any) -> dict[str, Any]:
        record: dict[str, Any] = {
            "kind": "submission",
            "id": str(uuid.uuid4()),
            "enterprise_id": self.enterprise["id"],
            "checklist_id": "hazchem.storage",
            "checklist_version": "1.0.0",
            "checklist_hash": self.checklist_hash,
            "started_at": "2026-03-02T08:00:00+08:00",
            "finished_at": "2026-03-02T08:40:00+08:00",
            "gps": {"latitude": 30.99, "longitude": 104.25},
            "answers": {"CC-1": {"result": "pass"}, "CC-2": {"value": 21.5}, "CC-3": {"result": "pass"}},
        }
        record.update(overrides)
        return record

    async def push(self, tablet: Tablet, *records: dict[str, Any], expect: int = 200) -> list[dict[str, Any]]:
        response = await self.api.client.post("/api/v1/sync/push", json={"records": list(records)}, headers=tablet.headers)
        assert response.status_code == expect, response.text
        return response.json()["results"] if expect == 200 else response.json()

    async def pull_all(self, tablet: Tablet, cursor: str | None = None, limit: int = 500) -> tuple[list[dict[str, Any]], str]:
        items: list[dict[str, Any]] = []
        while True:
            params: dict[str, Any] = {"limit": limit}
            if cursor:
                params["cursor"] = cursor
            response = await self.api.client.get("/api/v1/sync/pull", params=params, headers=tablet.headers)
            assert response.status_code == 200, response.text
            body = response.json()
            items.extend(body["items"])
            cursor = body["cursor"]
            if not body["has_more"]:
                return items, cursor


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def sync_settings(any_db_url, tmp_path):  # type: ignore[no-untyped-def]
    return make_settings(any_db_url, str(tmp_path / "data"))


@pytest.fixture
async def sync_app(sync_settings, clock, recorder):  # type: ignore[no-untyped-def]
    plugins = PluginRegistry(strict=True)
    plugins.register(recorder, "recorder")
    return create_app(sync_settings, clock=clock, plugins=plugins)


@pytest.fixture
async def world(sync_app, sync_settings, clock, recorder) -> Any:  # type: ignore[no-untyped-def]
    async with AsyncTestClient(app=sync_app) as client:
        api = Api(client, sync_app)
        # The app runs on the test client's own event loop; direct database work from the test
        # needs an engine on the test's loop (asyncpg connections belong to one loop).
        api.ctx = build_context(sync_settings, clock)
        await api.user("root", "admin")
        admin = await api.login("root")
        enterprise = await api.enterprise(admin, name="广汉市红星化工有限公司")
        checklist = checklist_v("1.0.0")
        await publish_version(api.ctx, checklist, actor=SYSTEM, source="api")
        try:
            yield SyncWorld(api=api, admin=admin, enterprise=enterprise, checklist_hash=content_hash(checklist), recorder=recorder)
        finally:
            await api.ctx.db.dispose()


def now_utc() -> datetime:
    return datetime.now(UTC)
