"""Groups stored side by side decode and validate one at a time, oldest first, so the first group's writes
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
    import sync.push.batch

    order: list[int] = []  # the group (its session) of each record validated, in order
    real = sync.push.batch.accept_submission

    async def watched(session: Any, *args: Any, **kwargs: Any) -> Any:
        order.append(id(session))
        return await real(session, *args, **kwargs)

    monkeypatch.setattr(sync.push.batch, "accept_submission", watched)
    tablet = await world.tablet("insp1")
    results = await world.push(tablet, *(world.submission() for _ in range(32)))
    assert [r["status"] for r in results] == ["accepted"] * 32
    runs = [group for position, group in enumerate(order) if position == 0 or order[position - 1] != group]
    assert len(set(order)) > 1, "the lone batch was not cut into parts"
    assert len(runs) == len(set(order)), f"groups interleaved their validation: {runs}"


async def test_each_part_decodes_its_own_records_in_its_turn_and_a_malformed_one_is_rejected_in_place(
    world: SyncWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    import contextlib

    import sync.push.batch
    from sync.push.turns import Turns

    holder: list[int | None] = [None]  # the ticket holding the turn, if any
    real_take, real_decode, real_accept = Turns.take, sync.push.batch._decode, sync.push.batch.accept_submission

    @contextlib.asynccontextmanager
    async def take(self: Turns, ticket: int | None = None) -> Any:
        async with real_take(self, ticket):
            holder[0] = ticket
            try:
                yield
            finally:
                holder[0] = None

    decoded_in: dict[str, int | None] = {}  # record id -> the ticket holding the turn when it was decoded / validated
    validated_in: dict[str, int | None] = {}

    async def decode(ctx: Any, principal: Any, raw: Any, content_type: Any) -> Any:
        decoded = await real_decode(ctx, principal, raw, content_type)
        decoded_in[decoded.id] = holder[0]
        return decoded

    async def accept(session: Any, writes: Any, ctx: Any, principal: Any, record: Any, *args: Any, **kwargs: Any) -> Any:
        validated_in[record.id] = holder[0]
        return await real_accept(session, writes, ctx, principal, record, *args, **kwargs)

    monkeypatch.setattr(Turns, "take", take)
    monkeypatch.setattr(sync.push.batch, "_decode", decode)
    monkeypatch.setattr(sync.push.batch, "accept_submission", accept)
    tablet = await world.tablet("insp1")
    records = [world.submission() for _ in range(32)]
    records[9]["answers"] = {**records[9]["answers"], "CC-1": {"result": "maybe"}}  # its head reads fine; the record does not decode
    results = await world.push(tablet, *records)
    assert [r.get("index", 0) for r in results] == list(range(32)) and [r["id"] for r in results] == [r["id"] for r in records]
    assert [r["status"] for r in results] == ["accepted"] * 9 + ["rejected"] + ["accepted"] * 22
    assert results[9]["field"] == "answers.CC-1.result" and results[9]["quarantine_id"]
    # Every record was decoded in the turn of the part that validated it, the parts in batch order.
    tickets = [decoded_in[r["id"]] for r in records]
    assert None not in tickets and tickets == sorted(tickets) and len(set(tickets)) > 1, tickets
    assert all(validated_in[r["id"]] == decoded_in[r["id"]] for position, r in enumerate(records) if position != 9)
