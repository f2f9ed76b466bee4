"""Property: random offline edits, replays and pulls on several tablets always converge.

Hypothesis plays an interleaving per example; at the end every tablet pushes what it still holds
and pulls. Then: each tablet's hazards equal the server's; every queued record has exactly one
verdict kept on the server (ledger or quarantine); every hazard's version equals its starting
version plus the updates accepted for it (none lost, none applied twice).
"""

from __future__ import annotations

import asyncio

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import col, select

from core.hazards.records import Hazard
from sync.client.outbox import LocalStore
from sync.client.tablet import TabletClient
from sync.push.ledger import SyncRecord
from sync.review.quarantine_table import QuarantinedRecord
from tests.conftest import PASSWORD
from tests.sync.client.test_client import LossyHttp

DEVICES = 3
NEXT_STEP = {
    "reported": {"to_status": "rectifying", "deadline": "2026-06-01T00:00:00+08:00", "responsible_person": "张三"},
    "rectifying": {"to_status": "awaiting_recheck", "evidence": ["e" * 64]},
    "awaiting_recheck": {"to_status": "rectifying", "reason": "复查不合格", "deadline": "2026-07-01T00:00:00+08:00"},
}

op = st.one_of(
    st.tuples(st.just("edit"), st.integers(0, DEVICES - 1), st.integers(0, 1)),
    st.tuples(st.just("push"), st.integers(0, DEVICES - 1), st.integers(0, 2)),  # 0..2 responses lost
    st.tuples(st.just("pull"), st.integers(0, DEVICES - 1), st.just(0)),
)


async def _no_sleep(_: float) -> None:
    return None


async def _scenario(world, tmp_path, example: int, ops: list[tuple[str, int, int]]) -> None:  # type: ignore[no-untyped-def]
    lossy = [LossyHttp(world.api.client, 0) for _ in range(DEVICES)]
    tablets = []
    for n in range(DEVICES):
        name = f"p{example}_{n}"
        await world.api.user(name, "inspector", region_code="510681", industries=["hazchem"])
        tablet = TabletClient(LocalStore(tmp_path / f"{name}.db"), lossy[n], sleep=_no_sleep)  # type: ignore[arg-type]
        await tablet.login(name, PASSWORD)
        tablets.append(tablet)
    submission = world.submission(answers={"CC-1": {"result": "fail"}, "CC-2": {"value": 99}, "CC-3": {"result": "pass"}})
    tablets[0].enqueue(submission)
    [result] = await tablets[0].push()
    hazard_ids = result["hazard_ids"]
    for tablet in tablets:
        await tablet.pull()
    async with world.api.ctx.db.read() as session:
        start = {h.id: h.version for h in (await session.exec(select(Hazard).where(col(Hazard.id).in_(hazard_ids)))).all()}
    queued: list[str] = []
    for kind, device, arg in ops:
        tablet = tablets[device]
        if kind == "edit":
            hazard = tablet.store.record("hazard", hazard_ids[arg])
            if hazard is not None and hazard["status"] in NEXT_STEP:
                queued.append(tablet.update_hazard(hazard["id"], NEXT_STEP[hazard["status"]]))
        elif kind == "push":
            lossy[device].lose = arg
            await tablet.push()
        else:
            await tablet.pull()
    for n, tablet in enumerate(tablets):
        lossy[n].lose = 0
        await tablet.push()
    for tablet in tablets:
        await tablet.pull()
    async with world.api.ctx.db.read() as session:
        server = {h.id: h for h in (await session.exec(select(Hazard).where(col(Hazard.id).in_(hazard_ids)))).all()}
        ledger = {r.id: r for r in (await session.exec(select(SyncRecord).where(col(SyncRecord.id).in_(queued or [""])))).all()}
        kept = {q.record_id for q in (await session.exec(select(QuarantinedRecord).where(col(QuarantinedRecord.record_id).in_(queued or [""])))).all()}
    for tablet in tablets:
        assert tablet.store.pending_count() == 0
        local = tablet.store.records("hazard")
        for hazard_id, hazard in server.items():
            assert (local[hazard_id]["version"], local[hazard_id]["status"]) == (hazard.version, hazard.status)
    for record_id in queued:
        assert (record_id in ledger) != (record_id in kept), record_id  # exactly one verdict kept
    for hazard_id, hazard in server.items():
        accepted = sum(1 for r in ledger.values() if r.status == "accepted" and r.outcome.get("hazard_id") == hazard_id)
        assert hazard.version == start[hazard_id] + accepted


async def test_random_offline_edits_replays_and_pulls_converge(world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    loop = asyncio.get_running_loop()
    counter = iter(range(10_000))

    @settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(ops=st.lists(op, min_size=1, max_size=14))
    def play(ops: list[tuple[str, int, int]]) -> None:
        future = asyncio.run_coroutine_threadsafe(_scenario(world, tmp_path, next(counter), ops), loop)
        future.result(timeout=120)

    await asyncio.to_thread(play)
