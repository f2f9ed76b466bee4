"""Groups stored side by side validate one at a time, oldest first, so the first group's writes
overlap the next one's validation instead of all of them finishing together and then queueing for
the append lock."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.conftest import fresh_pg_database
from tests.sync.conftest import SyncWorld


@pytest.fixture
async def any_db_url() -> AsyncIterator[str]:
    """Only PostgreSQL stores groups side by side (SQLite admits one writer)."""
    async with fresh_pg_database("groups side by side need PostgreSQL") as url:
        yield url


async def test_parts_of_a_batch_validate_one_after_another(world: SyncWorld, monkeypatch: pytest.MonkeyPatch) -> None:
    import sync.push

    order: list[int] = []  # the group (its session) of each record validated, in order
    real = sync.push.accept_submission

    async def watched(session: Any, *args: Any, **kwargs: Any) -> Any:
        order.append(id(session))
        return await real(session, *args, **kwargs)

    monkeypatch.setattr(sync.push, "accept_submission", watched)
    tablet = await world.tablet("insp1")
    results = await world.push(tablet, *(world.submission() for _ in range(32)))
    assert [r["status"] for r in results] == ["accepted"] * 32
    runs = [group for position, group in enumerate(order) if position == 0 or order[position - 1] != group]
    assert len(set(order)) > 1, "the lone batch was not cut into parts"
    assert len(runs) == len(set(order)), f"groups interleaved their validation: {runs}"
