"""Every endpoint × every role × in/out-of-scope record gives the answer ``authz_matrix`` documents.

Also: the matrix covers exactly the live routes (a new endpoint without an entry fails), no call
ever answers 5xx, a 404 is the plain ``not_found`` body, and no non-admin response ever contains
a marker of the outside records (id, USCC, name of the outside enterprise, another user's tablet).
"""

from __future__ import annotations

import inspect
import re

from tests.conftest import Api
from tests.reliability.authz_matrix import ENTRIES, OK, Answer, Call, Entry
from tests.reliability.world import ROLES, Side, World, build_world

IGNORED_METHODS = {"OPTIONS", "HEAD"}
_PARAM = re.compile(r"\{(\w+)(?::\w+)?\}")


def live_routes(app) -> set[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """(method, path template) of every route the app serves, but the OpenAPI documents and the console's pages."""
    keys = set()
    for route in app.routes:
        if route.path == "/schema" or route.path.startswith("/schema/"):
            continue
        if any(handler.opt.get("console") for handler in getattr(route, "route_handlers", ())):
            continue  # the office console's pages: their own matrix (tests/web/console/test_console_matrix.py)
        for method in getattr(route, "methods", ()):
            if method not in IGNORED_METHODS:
                keys.add((method, route.path))
    return keys


def fill(template: str, params: dict[str, str]) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in params:
            raise KeyError(f"builder gave no value for path parameter {name!r} of {template}")
        return params[name]

    return _PARAM.sub(value, template)


def matches(expected: Answer, status: int) -> bool:
    return 200 <= status < 300 if expected == OK else status == expected


async def call(world: World, entry: Entry, role: str, side: Side):  # type: ignore[no-untyped-def]
    made = entry.build(world, role, side)
    spec: Call = await made if inspect.isawaitable(made) else made  # type: ignore[assignment]
    headers = dict(world.headers[role] if spec.headers is None else spec.headers)
    kwargs: dict = {"params": spec.query}
    if spec.json is not None:
        kwargs["json"] = spec.json
    if spec.content is not None:
        kwargs["content"] = spec.content
        headers["Content-Type"] = spec.content_type or "application/octet-stream"
    if spec.files is not None:
        kwargs["files"] = spec.files
    return await world.api.client.request(entry.method, fill(entry.path, spec.path), headers=headers, **kwargs)


def test_matrix_covers_exactly_the_live_routes(app) -> None:  # type: ignore[no-untyped-def]
    entries = [entry.key for entry in ENTRIES]
    duplicates = sorted({key for key in entries if entries.count(key) > 1})
    routes = live_routes(app)
    missing = sorted(routes - set(entries))
    stale = sorted(set(entries) - routes)
    problems = []
    if missing:
        problems.append("routes without an entry in tests/reliability/authz_matrix.py (see docs/testing.md):\n  " + "\n  ".join(f"{m} {p}" for m, p in missing))
    if stale:
        problems.append("entries without a route:\n  " + "\n  ".join(f"{m} {p}" for m, p in stale))
    if duplicates:
        problems.append("duplicate entries:\n  " + "\n  ".join(f"{m} {p}" for m, p in duplicates))
    assert not problems, "\n".join(problems)


def test_every_entry_answers_for_every_role() -> None:
    for entry in ENTRIES:
        for answers in (entry.in_scope, entry.out_of_scope):
            if answers is not None:
                assert set(answers) == set(ROLES), entry.key


async def test_authorization_matrix(api: Api) -> None:
    world = await build_world(api)
    failures: list[str] = []
    for entry in ENTRIES:
        for side, expected_by_role in (("in", entry.in_scope), ("out", entry.out_of_scope)):
            if expected_by_role is None:
                continue
            for role in ROLES:
                expected = expected_by_role[role]
                response = await call(world, entry, role, side)  # type: ignore[arg-type]
                where = f"{entry.method} {entry.path} as {role}, {side}-scope record"
                if response.status_code >= 500 or not matches(expected, response.status_code):
                    failures.append(f"{where}: expected {expected}, got {response.status_code} {response.text[:200]}")
                    continue
                if response.status_code == 404 and response.json().get("code") != "not_found":
                    failures.append(f"{where}: a 404 must be the plain not_found body, got {response.text[:200]}")
                if role != "admin" and not entry.public and 200 <= response.status_code < 300:
                    leaked = [marker for marker in world.markers if marker in response.text]
                    if leaked:
                        failures.append(f"{where}: response leaks out-of-scope {leaked}")
    assert not failures, f"{len(failures)} authorization mismatch(es):\n" + "\n".join(failures)
