"""Every request has an id, echoed in ``X-Request-ID`` and written in each of its log lines."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator

import msgspec
import pytest

from core.http.log_lines import log_handler
from core.http.request_id import request_id_from


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    """The root logger writes through anjian's handler into a buffer (JSON) for the test."""
    stream = io.StringIO()
    handler = log_handler("json", stream)
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def entries(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


async def test_a_sane_request_id_is_kept_and_echoed(api) -> None:
    response = await api.client.get("/healthz", headers={"X-Request-ID": "tablet-7f3a:42"})
    assert response.headers["x-request-id"] == "tablet-7f3a:42"


@pytest.mark.parametrize("sent", [None, "", "two words", "x" * 129, "line\\nbreak", "quote\"d", "中文".encode()])
async def test_a_missing_or_insane_request_id_is_replaced_by_a_new_one(api, sent) -> None:
    headers = {} if sent is None else {"X-Request-ID": sent}
    first = (await api.client.get("/healthz", headers=headers)).headers["x-request-id"]
    second = (await api.client.get("/healthz", headers=headers)).headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", first) and first != second


async def test_errors_and_unknown_routes_carry_the_id_too(api) -> None:
    for path in ("/api/v1/users", "/no/such/route"):  # 401 from the token check; 404 from routing
        response = await api.client.get(path, headers={"X-Request-ID": "req-1"})
        assert response.status_code in (401, 404) and response.headers["x-request-id"] == "req-1"


async def test_every_log_line_of_a_request_has_its_id_and_the_access_line_says_what_was_done(api, log_lines, monkeypatch) -> None:
    from core.http import health

    async def unreachable(db):  # type: ignore[no-untyped-def]
        raise ConnectionRefusedError("database down")

    monkeypatch.setattr(health, "applied_revisions", unreachable)
    await api.client.get("/readyz", headers={"X-Request-ID": "probe-9"})  # logs a warning while handled
    await api.client.get("/healthz", headers={"X-Request-ID": "probe-10"})

    lines = entries(log_lines)
    warning = next(e for e in lines if e["logger"] == "anjian.health")
    assert (warning["level"], warning["request_id"]) == ("WARNING", "probe-9") and "unreachable" in warning["message"]
    access = [e for e in lines if e["logger"] == "anjian.access"]
    assert [(e["request_id"], e["method"], e["path"], e["status"]) for e in access] == [("probe-9", "GET", "/readyz", 503), ("probe-10", "GET", "/healthz", 200)]
    assert access[1]["message"].startswith("GET /healthz 200 ") and access[1]["duration_ms"] >= 0
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", access[1]["time"])


async def test_the_access_log_can_be_turned_off(app, log_lines) -> None:
    from litestar.testing import AsyncTestClient

    from server import create_app

    quiet = create_app(msgspec.structs.replace(app.state.settings, access_log=False))
    async with AsyncTestClient(quiet) as client:
        response = await client.get("/healthz")
    assert response.headers["x-request-id"] and not [e for e in entries(log_lines) if e["logger"] == "anjian.access"]


def test_request_id_from_headers() -> None:
    assert request_id_from([(b"x-request-id", b"abc-123")]) == "abc-123"
    assert len(request_id_from([(b"x-request-id", b"a b")])) == 32
    assert len(request_id_from([])) == 32
