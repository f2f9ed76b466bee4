"""A tablet process for the fault tests: ``python -m tests.reliability.push_worker spec.json``.

It logs in, puts ``count`` submissions in the reference client's outbox (one state file per server
it talks to, the same records in each), then pushes every outbox until each record has a result,
retrying whatever goes wrong (refused connections, resets, 503) until ``deadline``. It writes what
it enqueued, every result the servers gave and every HTTP status it saw to ``out``.
"""

from __future__ import annotations

import asyncio
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

from sync.client.outbox import LocalStore
from sync.client.tablet import SyncError, TabletClient
from tests.reliability.processes import failing_items, new_ids


def submission(spec: dict[str, Any], record_id: str, index: int) -> dict[str, Any]:
    answers: dict[str, Any] = {"CC-1": {"result": "pass"}, "CC-2": {"value": 21.5}, "CC-3": {"result": "pass"}}
    for code in failing_items(index):
        answers[code] = {"result": "fail", "note": f"第{index}次检查发现问题"}
    return {
        "kind": "submission", "id": record_id, "enterprise_id": spec["enterprise_id"], "checklist_id": "hazchem.storage",
        "checklist_version": "1.0.0", "checklist_hash": spec["checklist_hash"], "started_at": "2026-03-02T08:00:00+08:00",
        "finished_at": "2026-03-02T08:40:00+08:00", "gps": {"latitude": 30.99, "longitude": 104.25}, "answers": answers,
    }


async def _quick_sleep(delay: float) -> None:
    await asyncio.sleep(min(delay, 0.5))


async def drain(spec: dict[str, Any], server: str, state: str, seen: Counter[int]) -> None:
    """Log in (once) and push this outbox until it is empty, retrying everything temporary."""
    async def count(response: httpx.Response) -> None:
        seen[response.status_code] += 1

    deadline = time.monotonic() + spec["deadline"]
    store = LocalStore(state)
    async with httpx.AsyncClient(base_url=server, timeout=15.0, event_hooks={"response": [count]}) as http:
        client = TabletClient(store, http, max_attempts=3, backoff=0.05, sleep=_quick_sleep, batch_size=spec["batch_size"])
        rng = random.Random(spec["seed"])
        while True:
            try:
                if not store.get("access_token"):
                    await client.login(spec["username"], spec["password"], device_id=spec.get("device_id"))
                if not store.get("enqueued"):
                    # An answered record leaves the outbox: enqueue once, not on every retry.
                    for index, record_id in enumerate(spec["ids"]):
                        client.enqueue(submission(spec, record_id, index))
                    store.set(enqueued="1")
                await client.push()
                if store.pending_count() == 0:
                    return
            except (httpx.TransportError, SyncError) as exc:
                if isinstance(exc, SyncError) and exc.status < 500:
                    raise
            if time.monotonic() > deadline:
                raise TimeoutError(f"{store.pending_count()} records still queued for {server}")
            await asyncio.sleep(rng.uniform(0.05, 0.2))


async def main(spec_path: str) -> None:
    spec = json.loads(Path(spec_path).read_text())
    spec["ids"] = new_ids(spec["count"], spec["seed"])
    seen: Counter[int] = Counter()
    states = [spec["state"] if i == 0 else f"{spec['state']}.{i}" for i in range(len(spec["servers"]))]
    await asyncio.gather(*(drain(spec, server, state, seen) for server, state in zip(spec["servers"], states, strict=True)))
    results = {}
    for server, state in zip(spec["servers"], states, strict=True):
        store = LocalStore(state)
        results[server] = {record_id: store.result(record_id) for record_id in spec["ids"]}
        store.close()
    out = {
        "ids": spec["ids"],
        "expected_hazards": {record_id: len(failing_items(i)) for i, record_id in enumerate(spec["ids"])},
        "results": results,
        "statuses": {str(k): v for k, v in sorted(seen.items())},
    }
    Path(spec["out"]).write_text(json.dumps(out))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
