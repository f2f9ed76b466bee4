"""The login lockout: parallel guesses, per-client locks, unknown names treated as known ones,
the audit trail, and counters that are forgotten and pruned."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from sqlmodel import select

from core.access import lockout
from core.access.login_counters import LoginCounter
from tests.conftest import PASSWORD
from tests.core.access.conftest import SlowChecks

LOGIN = "/api/v1/auth/login"


async def _attempt(http, username: str, password: str = "wrong-password-1"):  # type: ignore[no-untyped-def]
    return await http.post(LOGIN, json={"username": username, "password": password})


async def test_parallel_guesses_check_no_more_passwords_than_failures_allowed(live):
    """19 wrong passwords and the right one at once: only five are checked, the rest refused
    before their check (the right one used to be checked too and log in)."""
    await live.user("u1")
    checks = SlowChecks(live.ctx.passwords.check, hold=0.05)
    live.ctx.passwords.check = checks
    limit = live.ctx.settings.login_max_failures
    async with live.client() as http:
        answers = await asyncio.gather(*[_attempt(http, "u1") for _ in range(19)], _attempt(http, "u1", PASSWORD))
        statuses = [a.status_code for a in answers]
        assert checks.calls == limit
        assert statuses.count(429) == 20 - limit
        assert {a.json()["code"] for a in answers if a.status_code == 429} <= {"account_locked", "login_in_progress"}
        assert all(a.headers["retry-after"] for a in answers if a.status_code == 429)
        if 200 not in statuses:  # the right password was not among the five checked: locked now
            after = await _attempt(http, "u1", PASSWORD)
            assert after.status_code == 429 and after.json()["code"] == "account_locked"
            assert checks.calls == limit


async def test_a_guessing_client_locks_the_name_for_itself_only(live):
    await live.user("u1")
    limit = live.ctx.settings.login_max_failures
    async with live.client("192.0.2.1") as guesser, live.client("192.0.2.2") as owner:
        for _ in range(limit):
            assert (await _attempt(guesser, "u1")).status_code == 401
        locked = await _attempt(guesser, "u1", PASSWORD)
        assert locked.status_code == 429 and locked.json()["code"] == "account_locked"
        assert int(locked.headers["retry-after"]) > 0
        assert (await _attempt(owner, "u1", PASSWORD)).status_code == 200


@pytest.mark.settings(login_failure_delay=0.5)
async def test_unknown_and_existing_names_get_the_same_answers_work_and_delays(live, monkeypatch):
    """Over a run of failures into the lock: same statuses, bodies and headers, one real password
    check per checked attempt for both, and the same delays."""
    await live.user("u1")
    checks = SlowChecks(live.ctx.passwords.check, hold=0)
    live.ctx.passwords.check = checks
    delays: list[int] = []

    async def record_delay(ctx, failures):  # type: ignore[no-untyped-def]
        delays.append(failures)

    monkeypatch.setattr(lockout, "slow_down", record_delay)
    runs = {}
    async with live.client() as http:
        for name in ("u1", "no_such_user"):
            checks.calls, delays[:] = 0, []
            answers = [await _attempt(http, name) for _ in range(live.ctx.settings.login_max_failures + 2)]
            # Every header but the request's own id (random per request, for anyone, so it tells nothing).
            headers = [{key: value for key, value in a.headers.items() if key != "x-request-id"} for a in answers]
            runs[name] = ([(a.status_code, a.json(), h) for a, h in zip(answers, headers, strict=True)], checks.calls, list(delays))
    assert runs["u1"] == runs["no_such_user"]
    statuses = [status for status, _, _ in runs["u1"][0]]
    assert statuses == [401] * live.ctx.settings.login_max_failures + [429, 429]
    assert runs["u1"][1] == live.ctx.settings.login_max_failures
    assert runs["u1"][2] == [1, 2, 3, 4, 5]


async def test_every_attempt_and_its_outcome_is_audited(live):
    await live.user("u1")
    async with live.client("192.0.2.7") as http:
        assert (await _attempt(http, "ghost")).status_code == 401
        assert (await _attempt(http, "u1", PASSWORD)).status_code == 200
    actions = [(action, after) for action, after in await live.audit_actions() if action.startswith(("login", "account"))]
    assert [action for action, _ in actions] == ["login_attempt", "login_failed", "login_attempt", "login"]
    assert actions[0][1]["username"] == "ghost" and actions[0][1]["client"] == "192.0.2.7"
    assert actions[1][1]["failures"] == 1 and actions[1][1]["user_id"] is None
    assert actions[3][1]["client"] == "192.0.2.7"


async def test_failures_are_forgotten_after_the_lockout_period_and_idle_counters_pruned(live, clock):
    await live.user("u1")
    limit = live.ctx.settings.login_max_failures
    async with live.client() as http:
        for _ in range(limit - 1):
            assert (await _attempt(http, "u1")).status_code == 401
        await _attempt(http, "ghost")
        clock.advance(seconds=live.ctx.settings.login_lockout_seconds + 1)
        for _ in range(limit - 1):  # a fresh count: not locked
            assert (await _attempt(http, "u1")).status_code == 401
    async with live.ctx.db.read() as session:
        names = set((await session.exec(select(LoginCounter.username))).all())
    assert names == {"u1"}  # the idle counter of "ghost" was deleted by a later attempt


async def test_a_login_refused_after_the_right_password_ends_its_check(live, admin_headers_for):
    """A revoked tablet's owner keeps getting 403, never 429 for checks left counting."""
    headers, device_id = await admin_headers_for(live)
    async with live.client() as http:
        revoke = await http.post(f"/api/v1/devices/{device_id}/revoke", json={"reason": "平板丢失"}, headers=headers)
        assert revoke.status_code == 200
        for _ in range(live.ctx.settings.login_max_failures + 2):
            again = await http.post(LOGIN, json={"username": "tab", "password": PASSWORD, "device_id": device_id})
            assert again.status_code == 403 and again.json()["code"] == "device_revoked"


@pytest.fixture
def admin_headers_for():  # type: ignore[no-untyped-def]
    async def make(live):  # type: ignore[no-untyped-def]
        await live.user("root", "admin")
        await live.user("tab", "inspector")
        device_id = str(uuid.uuid4())
        async with live.client() as http:
            admin = (await _attempt(http, "root", PASSWORD)).json()
            assert (await http.post(LOGIN, json={"username": "tab", "password": PASSWORD, "device_id": device_id})).status_code == 200
        return {"Authorization": f"Bearer {admin['access_token']}"}, device_id

    return make


async def test_parallel_attempts_on_idle_counters_prune_without_deadlocks(live, clock):
    """Each reservation prunes idle counters while others reserve theirs: no deadlock, no 503."""
    names = [f"ghost{i}" for i in range(24)]
    async with live.client() as http:
        await asyncio.gather(*[_attempt(http, name) for name in names])
        clock.advance(seconds=live.ctx.settings.login_lockout_seconds + 1)
        answers = await asyncio.gather(*[_attempt(http, name) for name in names + [f"new{i}" for i in range(8)]])
    assert [a.status_code for a in answers] == [401] * 32, [a.text for a in answers if a.status_code != 401]
    async with live.ctx.db.read() as session:
        counters = (await session.exec(select(LoginCounter))).all()
    assert all(c.failures == 1 and c.pending == 0 for c in counters)
    assert {c.username for c in counters} == set(names) | {f"new{i}" for i in range(8)}
