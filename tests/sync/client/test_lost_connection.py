"""The database connection dies while a push is written (PostgreSQL restarted, the network to it
dropped, a SQLite handle closed under the server): the tablet gets a retryable 503, not a
"rejected" verdict on a valid record, nothing is stored or quarantined, and the retry stores it."""

from __future__ import annotations

import re
import sqlite3
from typing import Any

from sqlalchemy import event, text

from tests.sync.conftest import SyncWorld


async def _count(world: SyncWorld, sql: str, **params: Any) -> int:
    async with world.api.ctx.db.read() as session:
        return int((await session.exec(text(sql).bindparams(**params))).one()[0])  # type: ignore[call-overload]


async def test_a_connection_lost_mid_push_answers_503_and_the_retry_is_accepted(world: SyncWorld) -> None:
    tablet = await world.tablet("insp1")
    record = world.submission(answers={"CC-1": {"result": "fail"}, "CC-2": {"value": 21.5}, "CC-3": {"result": "pass"}})
    engine = world.api.app.state.ctx.db.engine.sync_engine
    postgres = engine.dialect.name == "postgresql"
    drops = {"left": 2}  # once for the group's transaction; a record-by-record fallback would meet it again

    def drop(_conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        # PostgreSQL writes a group's tables in one statement (each insert a CTE): match inside it.
        if re.search(r"INSERT INTO submission\b", statement) and drops["left"] > 0:
            drops["left"] -= 1
            if postgres:
                cursor.execute("SELECT pg_terminate_backend(pg_backend_pid())")  # the server ends this very connection
            raise sqlite3.ProgrammingError("Cannot operate on a closed database.")  # what SQLite says for a closed handle

    event.listen(engine, "before_cursor_execute", drop)
    try:
        response = await world.api.client.post("/api/v1/sync/push", json={"records": [record]}, headers=tablet.headers)
    finally:
        event.remove(engine, "before_cursor_execute", drop)
    assert response.status_code == 503, response.text
    assert response.headers.get("retry-after", "").isdigit()
    assert response.json()["code"] == "retry_later" and response.json()["message_zh"]
    assert drops["left"] == 1  # the group met it once and did not fall back record by record
    for table in ("submission", "sync_record"):
        assert await _count(world, f"SELECT count(*) FROM {table} WHERE id = :id", id=record["id"]) == 0
    assert await _count(world, "SELECT count(*) FROM sync_quarantine") == 0
    [result] = await world.push(tablet, record)
    assert result["status"] == "accepted", result
    assert await _count(world, "SELECT count(*) FROM submission WHERE id = :id", id=record["id"]) == 1
