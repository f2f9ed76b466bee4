"""Two server instances on one PostgreSQL database, tablets spread across both.

* both start at once against a fresh database (migrations run under an advisory lock);
* every tablet pushes the same records to both instances at the same time: each record is
  accepted by exactly one of them and answered ``duplicate`` by the other, and stored once;
* a tablet that keeps its cursor and pulls alternately from either instance while the pushes run
  ends with exactly what a fresh full pull from each instance gives;
* with the scheduler on in both, every job triggered on both at once runs once for its period.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from sync.client.outbox import LocalStore
from sync.client.tablet import TabletClient
from tests.conftest import PASSWORD, fresh_pg_database
from tests.reliability.processes import ServerProcess, assert_stored_exactly_once, database_counts, seed, server_env, start_worker
from tests.reliability.scale import reliability_scale

CLIENTS = 4
PER_CLIENT = 40  # × scale: 4 × 40 = 160 records, each pushed to both instances
JOBS = ("hazard_overdue", "deadline_reminders", "monthly_dispatch", "quarterly_bulletin", "plan_assignments")


@pytest.fixture
async def pg_url() -> AsyncIterator[str]:
    async with fresh_pg_database("two instances need PostgreSQL") as url:
        yield url


async def _pull_all(url: str, state: Path, username: str) -> dict[str, dict[str, dict]]:
    async with httpx.AsyncClient(base_url=url, timeout=30.0) as http:
        client = TabletClient(LocalStore(state), http)
        await client.login(username, PASSWORD)
        await client.pull(limit=37)
        return {entity: client.store.records(entity) for entity in ("enterprise", "checklist_version", "hazard")}


async def test_two_instances_on_one_database(pg_url: str, tmp_path: Path) -> None:
    per_client = PER_CLIENT * reliability_scale()
    data_dir = str(tmp_path / "data")
    env = server_env(pg_url, data_dir, ANJIAN_RUN_SCHEDULER="true")
    servers = [ServerProcess(env, tmp_path / f"server{i}.log") for i in range(2)]
    for server in servers:
        server.spawn()  # both migrate the fresh database at the same time
    try:
        for server in servers:
            await asyncio.to_thread(server.wait_ready)
        seeded = await seed(pg_url, data_dir, CLIENTS + 1)  # migrations are done: this only adds the records
        urls = [s.url for s in servers]
        workers = [start_worker(tmp_path, f"tablet{i}", urls, seeded, seeded.inspectors[i], per_client, seed_value=200 + i, batch_size=7) for i in range(CLIENTS)]

        # A tablet that keeps its cursor pulls alternately from either instance while the pushes run.
        roaming = LocalStore(tmp_path / "roaming.db")
        clients = [TabletClient(roaming, httpx.AsyncClient(base_url=url, timeout=30.0)) for url in urls]
        await clients[0].login(seeded.inspectors[-1], PASSWORD)
        turn = 0
        while any(w.process.poll() is None for w in workers):
            await clients[turn % 2].pull(limit=23)
            turn += 1
            await asyncio.sleep(0.2)
        outcomes = [await asyncio.to_thread(w.wait, 60.0) for w in workers]
        await clients[turn % 2].pull(limit=23)
        roamed = {entity: roaming.records(entity) for entity in ("enterprise", "checklist_version", "hazard")}
        for client in clients:
            await client.http.aclose()

        # Jobs: fired on both instances at once, three times over.
        async with httpx.AsyncClient(timeout=60.0) as http:
            tokens = []
            for url in urls:
                login = await http.post(f"{url}/api/v1/auth/login", json={"username": "root", "password": PASSWORD})
                tokens.append({"Authorization": f"Bearer {login.json()['access_token']}"})
            calls = [http.post(f"{url}/api/v1/jobs/{job}/run", headers=headers) for job in JOBS for _ in range(3) for url, headers in zip(urls, tokens, strict=True)]
            answers = await asyncio.gather(*calls)
            runs = (await http.get(f"{urls[0]}/api/v1/jobs/runs", headers=tokens[0])).json()
        fresh = [await _pull_all(url, tmp_path / f"fresh{i}.db", seeded.inspectors[-1]) for i, url in enumerate(urls)]
    finally:
        for server in servers:
            server.stop()

    assert turn >= 2, "the roaming tablet pulled while the pushes ran"
    expected: dict[str, int] = {}
    for outcome in outcomes:
        by_server = list(outcome["results"].values())
        for record_id in outcome["ids"]:
            statuses = sorted(results[record_id]["status"] for results in by_server)
            assert statuses == ["accepted", "duplicate"], f"{record_id} {statuses} {[results[record_id] for results in by_server]}"  # one instance stored it, the other saw it
        expected.update(outcome["expected_hazards"])
        assert not {s for s in outcome["statuses"] if int(s) >= 500}, outcome["statuses"]
    assert len(expected) == CLIENTS * per_client
    assert_stored_exactly_once(await database_counts(pg_url, list(expected)), expected)

    assert fresh[0] == fresh[1], "both instances deliver the same state"
    assert roamed == fresh[0], "a tablet pulling from either instance converges on that state"
    assert len(roamed["hazard"]) == sum(expected.values())

    assert all(a.status_code == 200 for a in answers), [a.text for a in answers if a.status_code != 200]
    for job in JOBS:
        # At most one trigger runs it; none when the scheduler's start-up catch-up already ran it
        # for this period (core.scheduler.cron.catch_up): either way the job ran once (the job_run rows).
        done = [a.json() for a in answers if a.json()["job"] == job and a.json()["status"] == "done"]
        assert len(done) <= 1, (job, [a.json() for a in answers if a.json()["job"] == job])
        job_runs = [r for r in runs if r["job"] == job]
        assert [(r["status"], r["attempts"]) for r in job_runs] == [("done", 1)], job_runs
