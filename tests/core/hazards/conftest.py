"""Fixtures for the hazard, plan, scheduler and report tests: one enterprise and a user of each role."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from core.access.scope import Principal
from core.access.users import User
from core.enterprises.service import create_in_session
from core.enterprises.wire import EnterpriseIn
from core.storage.attachment_files import attachment_path
from core.storage.audit_log import SYSTEM
from tests.conftest import make_settings, valid_uscc

ROLES = ("admin", "department_admin", "inspector", "evaluator", "enterprise_user", "viewer")


def principal_of(user: User) -> Principal:
    """The principal a logged-in ``user`` would be."""
    return Principal(
        user_id=user.id, username=user.username, role=user.role, region_code=user.region_code, grid_code=user.grid_code,
        industries=tuple(user.industries), enterprise_id=user.enterprise_id,
    )


ADMIN = Principal(user_id="00000000-0000-0000-0000-0000000000aa", username="root", role="admin")


async def make_enterprise(ctx: Any, **fields: Any) -> Any:
    """Create an enterprise directly (as an admin); defaults: hazchem, 广汉市."""
    data: dict[str, Any] = {"name": "测试化工有限公司", "uscc": valid_uscc(), "region_code": "510681", "industries": ["hazchem"], "scale": "small_micro"}
    data.update(fields)
    async with ctx.db.write() as session:
        return await create_in_session(session, ctx, ADMIN, EnterpriseIn(**data))


@pytest.fixture
def settings(db_url, tmp_path):  # type: ignore[no-untyped-def]
    """Long-lived access tokens: these tests move the clock by days and weeks."""
    return make_settings(db_url, str(tmp_path / "data"), access_token_ttl=400 * 24 * 3600)


@dataclass
class World:
    """An enterprise in 广汉市 (hazchem) and, per role, a user whose scope covers it."""

    api: Any
    enterprise: dict[str, Any]
    headers: dict[str, dict[str, str]] = field(default_factory=dict)
    user_ids: dict[str, str] = field(default_factory=dict)


@pytest.fixture
async def world(api, admin) -> World:  # type: ignore[no-untyped-def]
    enterprise = await api.enterprise(admin, name="广汉市红星化工有限公司")
    w = World(api=api, enterprise=enterprise)
    for role in ROLES:
        scope: dict[str, Any] = {}
        if role in ("department_admin", "inspector", "evaluator", "viewer"):
            scope = {"region_code": "510681", "industries": ["hazchem"]}
        if role == "enterprise_user":
            scope = {"enterprise_id": enterprise["id"]}
        name = f"u_{role}"
        w.user_ids[role] = await api.user(name, role, **scope)
        w.headers[role] = await api.login(name)
    return w


def store_attachments(ctx: Any, *digests: str) -> None:
    """The attachments arrived, filed as ``sync.attachments`` files them: a hazard closes only on
    rectification evidence that arrived."""
    for digest in digests:
        path = attachment_path(ctx.settings.data_dir, digest)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"photo")


__all__ = ["ADMIN", "ROLES", "SYSTEM", "World", "make_enterprise", "principal_of", "store_attachments"]
