"""kill -9 the server again and again while tablets push: nothing acknowledged is lost or doubled.

Several tablet processes (the reference client, its SQLite outbox) push submissions in small
batches with retries while a killer sends SIGKILL to the server at random moments (seeded) and
restarts it. At the end every record was answered (the tablets retried until it was), and the
database holds each submission exactly once — submission row, ledger row, audit entry and its
derived hazards — whatever the server was doing when it died.
"""

from __future__ import annotations

import asyncio
import random
from pathlib import Path

from tests.reliability.processes import ServerProcess, assert_stored_exactly_once, database_counts, seed, server_env, start_worker
from tests.reliability.scale import reliability_scale

CLIENTS = 3
PER_CLIENT = 70  # × scale: 3 × 70 ≈ 200 in CI, ANJIAN_RELIABILITY_SCALE=10 → 2,100
KILLS = 5


async def test_kill9_during_pushes_loses_and_doubles_nothing(any_db_url: str, tmp_path: Path) -> None:
    scale = reliability_scale()
    per_client, kills = PER_CLIENT * scale, KILLS * scale
    data_dir = str(tmp_path / "data")
    seeded = await seed(any_db_url, data_dir, CLIENTS)
    server = ServerProcess(server_env(any_db_url, data_dir), tmp_path / "server.log", keep_warm=True)
    server.start()
    rng = random.Random(20260302)
    workers = [
        start_worker(tmp_path, f"tablet{i}", [server.url], seeded, seeded.inspectors[i], per_client, seed_value=100 + i, deadline=60.0 + 30.0 * scale)
        for i in range(CLIENTS)
    ]
    try:
        done_kills = 0
        for _ in range(kills):
            await asyncio.sleep(rng.uniform(0.2, 1.0))
            for _ in range(300):  # let the replacement finish loading first (bounded), tablets push meanwhile
                if server.standby_ready():
                    break
                await asyncio.sleep(0.1)
            if all(w.process.poll() is not None for w in workers):
                break  # everything was pushed before the next kill
            server.kill()
            done_kills += 1
            await asyncio.sleep(rng.uniform(0.0, 0.3))  # tablets meet refused connections meanwhile
            server.start()
        outcomes = [await asyncio.to_thread(w.wait, 120.0 + 60.0 * scale) for w in workers]
    finally:
        for w in workers:
            if w.process.poll() is None:
                w.process.kill()
        server.stop()

    assert done_kills >= 1, "the server was killed while tablets pushed"
    expected: dict[str, int] = {}
    for outcome in outcomes:
        [results] = outcome["results"].values()
        for record_id in outcome["ids"]:
            result = results[record_id]
            assert result is not None, f"{record_id} was never answered"
            # accepted now, or a replay of a push whose answer died with the server
            assert result["status"] == "accepted" or (result["status"] == "duplicate" and result["first_status"] == "accepted"), result
        expected.update(outcome["expected_hazards"])
        bad = {s: n for s, n in outcome["statuses"].items() if int(s) >= 500 and int(s) != 503}
        assert not bad, f"server errors other than the retryable 503: {bad}\n{server.log_tail()}"
    assert len(expected) == CLIENTS * per_client
    counts = await database_counts(any_db_url, list(expected))
    assert_stored_exactly_once(counts, expected)
