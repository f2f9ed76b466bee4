"""Password hashes are bounded: at most ``max_concurrent_hashes`` at once, a bounded queue behind
them, ``429 busy`` beyond it, and the server keeps answering meanwhile."""

from __future__ import annotations

import asyncio

import pytest

from core.access.hash_gate import HashGate
from core.errors import TooManyRequests
from core.settings import Settings, usable_cores
from tests.conftest import PASSWORD
from tests.core.access.conftest import SlowChecks


async def _wait_until(condition, timeout: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.01)


@pytest.mark.settings(max_concurrent_hashes=2, max_queued_hashes=3, login_max_failures=100)
async def test_parallel_logins_never_hash_more_than_the_limit_and_healthz_answers(live):
    await live.user("u1")
    checks = SlowChecks(live.ctx.passwords.check)
    live.ctx.passwords.check = checks
    async with live.client() as http:
        logins = [asyncio.create_task(http.post("/api/v1/auth/login", json={"username": "u1", "password": PASSWORD})) for _ in range(10)]
        try:
            await _wait_until(lambda: checks.running == 2 and sum(task.done() for task in logins) == 5)
            health = await asyncio.wait_for(http.get("/healthz"), timeout=2)
            assert health.status_code == 200
            busy = [task.result() for task in logins if task.done()]
            assert all(answer.status_code == 429 for answer in busy)
            assert {answer.json()["code"] for answer in busy} == {"busy"}
            assert all(answer.json()["message_zh"].startswith("服务器繁忙") for answer in busy)
            assert all(int(answer.headers["retry-after"]) >= 1 for answer in busy)
        finally:
            checks.release()
        answered = await asyncio.gather(*logins)
    assert checks.most_at_once == 2
    assert checks.calls == 5, [(a.status_code, a.text[:120]) for a in answered]
    assert sorted(answer.status_code for answer in answered) == [200] * 5 + [429] * 5
    # A request turned away as busy changed nothing: only the five admitted were counted.
    attempts = [action for action, _ in await live.audit_actions() if action == "login_attempt"]
    assert len(attempts) == 5


async def test_admission_beyond_the_queue_is_refused_busy_and_counted_out():
    gate = HashGate(limit=1, queue=0)
    with gate.admit():
        with pytest.raises(TooManyRequests) as refused:
            with gate.admit():
                pass
    assert refused.value.code == "busy" and int(refused.value.headers["Retry-After"]) >= 1
    assert gate.admitted == 0
    assert await gate.run(lambda a, b: a + b, 2, 3) == 5


def test_the_default_limit_is_the_usable_cores():
    assert Settings().max_concurrent_hashes == usable_cores() >= 1
