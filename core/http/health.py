"""Liveness and readiness, the endpoints an orchestrator or load balancer polls (no token).

``/healthz``: the process answers (restart it when it does not). ``/readyz``: it can serve — the
database answers and is migrated to the revisions this code expects — else 503 ``not_ready``
with what is wrong (send it no traffic yet; do not restart it: an instance started against a
database that another version migrates, or that is briefly unreachable, becomes ready by itself).
"""

from __future__ import annotations

import asyncio
import functools
import logging

from litestar import get
from litestar.openapi.datastructures import ResponseSpec
from sqlalchemy import inspect, text

from core.context import Context
from core.errors import RetryLater
from core.storage import migrate
from core.storage.database import Database

log = logging.getLogger("anjian.health")

READY_TIMEOUT_S = 5.0
"""A database slower than this to say its revision counts as unreachable (probes time out too)."""


@functools.cache
def _expected_revisions() -> frozenset[str]:
    # Read from the migration scripts once: they do not change while the process runs.
    return frozenset(migrate.head_revisions())


async def applied_revisions(db: Database) -> set[str]:
    """The revisions the database is at (empty before the first migration). Read directly:
    alembic's ``MigrationContext`` logs two INFO lines each time, and probes come every few seconds."""
    async with db.engine.connect() as conn:
        if not await conn.run_sync(lambda sync_conn: inspect(sync_conn).has_table("alembic_version")):
            return set()
        return {row[0] for row in await conn.execute(text("SELECT version_num FROM alembic_version"))}


@get("/healthz", operation_id="healthz", tags=["system"], opt={"exclude_from_auth": True}, sync_to_thread=False)
def healthz() -> dict[str, str]:
    """Answers while the server runs."""
    return {"status": "ok"}


@get(
    "/readyz", operation_id="readyz", tags=["system"], opt={"exclude_from_auth": True},
    responses={503: ResponseSpec(None, description="Not ready: the database is unreachable or not migrated (code not_ready)")},
)
async def readyz(ctx: Context) -> dict[str, str]:
    """Ready to serve: the database answers and its migrations are current (200), else 503 ``not_ready``."""
    try:
        current = await asyncio.wait_for(applied_revisions(ctx.db), READY_TIMEOUT_S)
    except Exception as exc:  # noqa: BLE001 - whatever keeps the database from answering means "not ready"
        log.warning("not ready: database unreachable: %s", exc.__class__.__name__)
        raise RetryLater(
            "not ready: the database does not answer", "服务未就绪：数据库无法连接", code="not_ready",
            extra={"database": "unreachable"}, headers={"Retry-After": "5"},
        ) from exc
    expected = _expected_revisions()
    if current != expected:
        raise RetryLater(
            f"not ready: database at migration {', '.join(sorted(current)) or 'none'}, expected {', '.join(sorted(expected))} (run anjian migrate)",
            "服务未就绪：数据库版本与程序不一致，请执行 anjian migrate", code="not_ready",
            extra={"database": "ok", "migrations": "not_current", "current": sorted(current), "expected": sorted(expected)},
            headers={"Retry-After": "5"},
        )
    return {"status": "ready", "database": "ok", "migrations": "current"}


ROUTES = [healthz, readyz]
