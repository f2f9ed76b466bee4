"""Bodies nested deeper than 64 levels are refused (400 ``too_deep``) before any decoder runs.

msgspec recurses once per level and raises RecursionError near Python's recursion limit (~1,000):
uncaught, that was a 500 on every route with a body. The scans read the raw bytes only."""

from __future__ import annotations

import msgspec
import pytest

from core.http.nesting import MAX_DEPTH, json_too_deep, msgpack_too_deep


def _json_arrays(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


def _json_objects(depth: int) -> bytes:
    return b'{"a":' * (depth - 1) + b"{}" + b"}" * (depth - 1)


def _msgpack_arrays(depth: int) -> bytes:
    # msgspec cannot encode what it cannot decode: one-element arrays by hand, an empty one inside.
    return b"\x91" * (depth - 1) + b"\x90"


def _msgpack_maps(depth: int) -> bytes:
    return b"\x81\xa1a" * (depth - 1) + b"\x80"


@pytest.mark.parametrize("build", [_json_arrays, _json_objects])
def test_json_depth_limit_is_exact(build) -> None:  # type: ignore[no-untyped-def]
    assert not json_too_deep(build(MAX_DEPTH))
    assert json_too_deep(build(MAX_DEPTH + 1))
    assert json_too_deep(build(1000))
    assert msgspec.json.decode(build(MAX_DEPTH)) is not None  # what passes really is valid JSON


@pytest.mark.parametrize("build", [_msgpack_arrays, _msgpack_maps])
def test_msgpack_depth_limit_is_exact(build) -> None:  # type: ignore[no-untyped-def]
    assert not msgpack_too_deep(build(MAX_DEPTH))
    assert msgpack_too_deep(build(MAX_DEPTH + 1))
    assert msgpack_too_deep(build(1000))
    assert msgspec.msgpack.decode(build(MAX_DEPTH)) is not None


def test_brackets_inside_json_strings_do_not_count() -> None:
    many = "[" * 500 + "{" * 500
    assert not json_too_deep(msgspec.json.encode({"note": many, "other": ["]" * 300, '"]]\\' + "}" * 300]}))
    # Escaped quotes and backslashes do not end a string early.
    assert not json_too_deep(msgspec.json.encode(['\\"' + "[" * 200, "\\", '"' * 5 + "{" * 100]))


def test_closing_brackets_in_strings_cannot_hide_depth() -> None:
    body = b'["' + b"]" * 2000 + b'", ' + _json_arrays(200) + b"]"
    assert json_too_deep(body)
    body = b'["\\"' + b"]" * 2000 + b'", ' + _json_arrays(200) + b"]"
    assert json_too_deep(body)


def test_msgpack_scan_skips_payloads_that_look_like_headers() -> None:
    # Strings, binaries and extension payloads full of bytes that would be container headers.
    filler = bytes([0x91]) * 300
    body = msgspec.msgpack.encode({"s": filler.decode("latin-1"), "b": filler, "e": msgspec.msgpack.Ext(5, filler), "n": [1.5, -3, 2**40, None, True]})
    assert not msgpack_too_deep(body)
    # Sixteen- and thirty-two-bit containers count like the small ones.
    wide = b"\xdc\x00\x01" * 40 + b"\xde\x00\x01\xa1k" * 40 + b"\x90"
    assert msgpack_too_deep(wide)
    assert not msgpack_too_deep(b"\xdd\x00\x00\x00\x01" * 30 + b"\xdf\x00\x00\x00\x01\xa1k" * 30 + b"\x90")


def test_a_container_as_a_map_key_counts_too() -> None:
    body = b"\x81" * 70 + b"\x90" + b"\xc0" * 70  # each map's key is the next map; values nil
    assert msgpack_too_deep(body)


DEEP_BODIES = {
    "array": _json_arrays(1000),
    "object": b'{"username": ' + _json_objects(1000) + b', "password": "x"}',
}


@pytest.mark.parametrize("shape", sorted(DEEP_BODIES))
async def test_deep_login_body_is_400_too_deep(api, shape) -> None:  # type: ignore[no-untyped-def]
    response = await api.client.post("/api/v1/auth/login", content=DEEP_BODIES[shape], headers={"content-type": "application/json"})
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["code"] == "too_deep"
    assert str(MAX_DEPTH) in body["message"] and body["message_zh"]


@pytest.mark.parametrize("shape", sorted(DEEP_BODIES))
async def test_deep_enterprise_body_is_400_too_deep(api, admin, shape) -> None:  # type: ignore[no-untyped-def]
    response = await api.client.post("/api/v1/enterprises", content=DEEP_BODIES[shape], headers={**admin, "content-type": "application/json"})
    assert response.status_code == 400, response.text
    assert response.json()["code"] == "too_deep"


async def test_normal_bodies_still_pass(api, admin) -> None:  # type: ignore[no-untyped-def]
    # ``admin`` logged in through the same route; an enterprise with nested lists is created.
    created = await api.enterprise(admin, name="广汉市[测试]{括号}化工有限公司", industries=["hazchem", "fire"])
    assert created["name"] == "广汉市[测试]{括号}化工有限公司"
