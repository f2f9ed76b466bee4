"""Property-based API tests from the live OpenAPI document, as every role (schemathesis).

For every operation the document lists, schemathesis generates valid and invalid requests and
checks two things: no response is a 5xx, and every response matches the schema the document
gives for its status (success bodies and the ``ErrorBody`` of errors alike). Half of the cases
put a real record's id into the path, so success responses of single-record operations are
checked too, not only 404s.

Special handling:
* ``POST /api/v1/auth/logout`` runs on a fresh session per case, so the role's token survives;
* everything else runs on one session per role (login and refresh get no token by design).

Bounded for CI (a few examples per operation and generation mode); ``ANJIAN_RELIABILITY_SCALE``
multiplies the examples.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import uuid
from collections import Counter
from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis")

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from hypothesis.errors import Unsatisfiable  # noqa: E402
from schemathesis import GenerationMode  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.python import asgi  # noqa: E402
from schemathesis.specs.openapi.checks import response_schema_conformance  # noqa: E402

from core.access.user_service import create_user  # noqa: E402
from core.access.wire import UserIn  # noqa: E402
from core.bootstrap import prepare_database  # noqa: E402
from core.storage.audit_log import SYSTEM  # noqa: E402
from server import build_context, create_app  # noqa: E402
from tests.conftest import PASSWORD, PG_DSN_ENV, make_settings, pg_dsn, valid_uscc  # noqa: E402
from tests.reliability.scale import reliability_scale  # noqa: E402
from tests.reliability.world import IN_INDUSTRY, IN_REGION, ROLES, checklist_definition  # noqa: E402
from tests.scratch_db import create_pg_database, drop_pg_database  # noqa: E402

SCHEMA_PATH = "/schema/openapi.json"
EXAMPLES = {GenerationMode.POSITIVE: 6, GenerationMode.NEGATIVE: 4}
FRESH_SESSION_OPERATIONS = {"POST /api/v1/auth/logout"}
CHECKS = [not_a_server_error, response_schema_conformance]


class Live:
    """The app under schemathesis' ASGI client, with one session per role and real record ids."""

    def __init__(self, schema: Any, app: Any) -> None:
        self.schema = schema
        self.client = asgi.get_client(app)
        self.usernames: dict[str, str] = {}
        self.headers: dict[str, dict[str, str]] = {}
        self.real: dict[str, dict[str, str]] = {}  # role -> path parameter -> a real value
        self.user_ids: dict[str, str] = {}

    def login(self, username: str, device_id: str | None = None) -> dict[str, str]:
        body: dict[str, Any] = {"username": username, "password": PASSWORD}
        if device_id:
            body["device_id"] = device_id
        response = self.client.post("/api/v1/auth/login", json=body)
        assert response.status_code == 200, response.text
        return {"Authorization": f"Bearer {response.json()['access_token']}"}

    def post(self, path: str, headers: dict[str, str], json: Any) -> dict[str, Any]:
        response = self.client.post(path, json=json, headers=headers)
        assert response.status_code in (200, 201), response.text
        return response.json()


@pytest.fixture(scope="module")
def live(tmp_path_factory) -> Live:  # type: ignore[no-untyped-def]
    base = tmp_path_factory.mktemp("schemathesis")
    return build_live(f"sqlite+aiosqlite:///{base}/anjian.db", base)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def live_any(request, tmp_path_factory) -> Any:  # type: ignore[no-untyped-def]
    """``live`` on SQLite, then on a fresh PostgreSQL database (NUL bytes and integer ranges differ)."""
    base = tmp_path_factory.mktemp(f"hostile_{request.param}")
    if request.param == "sqlite":
        yield build_live(f"sqlite+aiosqlite:///{base}/anjian.db", base)
        return
    dsn = pg_dsn()
    if not dsn:
        pytest.skip(f"PostgreSQL variant: set {PG_DSN_ENV}=postgresql+asyncpg://user@host:port/db to run it")
    url, name = asyncio.run(create_pg_database(dsn))
    try:
        yield build_live(url, base)
    finally:
        asyncio.run(drop_pg_database(dsn, name))


def build_live(db_url: str, base: Any) -> Live:
    """A migrated database with one user per role and one real record of each kind, under schemathesis."""
    app_settings = make_settings(db_url, str(base / "data"))

    async def first_admin() -> None:
        ctx = build_context(app_settings)
        try:
            await prepare_database(ctx.db)
            await create_user(ctx, SYSTEM, UserIn(username="st_admin", password=PASSWORD, role="admin"))
        finally:
            await ctx.db.dispose()

    asyncio.run(first_admin())
    app = create_app(app_settings)
    schema = schemathesis.openapi.from_asgi(SCHEMA_PATH, app)  # starts the app's lifespan
    live = Live(schema, app)
    admin = live.login("st_admin")
    enterprise = live.post("/api/v1/enterprises", admin, {"name": "模糊测试化工有限公司", "uscc": valid_uscc(IN_REGION), "region_code": IN_REGION, "industries": [IN_INDUSTRY], "scale": "small_micro"})
    live.post("/api/v1/checklists", admin, checklist_definition("fuzz.inside", IN_INDUSTRY))
    bystander = live.post("/api/v1/users", admin, {"username": "st_bystander", "password": PASSWORD, "role": "viewer", "region_code": IN_REGION, "industries": [IN_INDUSTRY]})
    scopes: dict[str, dict[str, Any]] = {
        "department_admin": {"region_code": "510600", "industries": [IN_INDUSTRY]},
        "inspector": {"region_code": IN_REGION, "industries": [IN_INDUSTRY]},
        "evaluator": {"region_code": IN_REGION, "industries": [IN_INDUSTRY]},
        "enterprise_user": {"enterprise_id": enterprise["id"]},
        "viewer": {"region_code": IN_REGION, "industries": [IN_INDUSTRY]},
    }
    live.usernames["admin"], live.headers["admin"] = "st_admin", admin
    live.user_ids["admin"] = live.client.get("/api/v1/auth/me", headers=admin).json()["id"]
    for role, scope in scopes.items():
        live.usernames[role] = f"st_{role}"
        live.user_ids[role] = live.post("/api/v1/users", admin, {"username": live.usernames[role], "password": PASSWORD, "role": role, **scope})["id"]
    for role in ROLES:
        # every role works on a device session (sync needs one); a second tablet is the real device_id
        live.headers[role] = live.login(live.usernames[role], device_id=str(uuid.uuid4()))
    records = _records(live, admin, enterprise["id"], app_settings)
    for role in ROLES:
        device_id = str(uuid.uuid4())
        live.login(live.usernames[role], device_id=device_id)  # enrols a tablet the role's session does not use
        live.real[role] = {
            "enterprise_id": enterprise["id"], "user_id": bystander["id"], "device_id": device_id, "code": IN_REGION,
            "checklist_id": "fuzz.inside", "version": "1.0.0", **records["shared"], "notification_id": records["notifications"][role],
        }
    return live


def _records(live: Live, admin: dict[str, str], enterprise_id: str, app_settings: Any) -> dict[str, Any]:
    """One real record of each newer kind (hazard, plan, draw, tie, snapshot, conflict, quarantine,
    attachment, notification per role), so success responses of their operations are checked too."""
    inspector = live.headers["inspector"]
    hazard = live.post("/api/v1/hazards", admin, {"enterprise_id": enterprise_id, "level": "major", "description": "模糊测试重大隐患"})
    plan = live.post("/api/v1/plans", admin, {"year": 2026, "title": "模糊测试计划", "region_code": IN_REGION, "industries": [IN_INDUSTRY]})
    live.post(f"/api/v1/plans/{plan['id']}/generate", admin, None)
    draw = live.post("/api/v1/random-draws", admin, {"title": "模糊测试抽查", "region_code": IN_REGION, "industries": [IN_INDUSTRY], "enterprise_count": 1,
                                                     "due_from": "2026-04-01", "due_until": "2026-04-30"})
    tie_inspector = live.post("/api/v1/users", admin, {"username": "st_tie_inspector", "password": PASSWORD, "role": "inspector", "region_code": "510500", "industries": ["coal"]})
    tie = live.post("/api/v1/inspector-ties", admin, {"inspector_id": tie_inspector["id"], "enterprise_id": enterprise_id, "reason": "近亲属"})
    live.post("/api/v1/jobs/monthly_dispatch/run", admin, None)
    snapshot = live.client.get("/api/v1/reports/snapshots", headers=admin).json()[0]
    stale = {"kind": "hazard_update", "id": str(uuid.uuid4()), "hazard_id": hazard["id"], "base_version": hazard["version"] + 5,
             "transition": {"to_status": "rectifying", "deadline": "2099-01-01T00:00:00+08:00", "responsible_person": "张三", "rectification_plan": "方案"}}
    invalid = {"kind": "hazard_update", "id": str(uuid.uuid4()), "hazard_id": hazard["id"], "base_version": hazard["version"], "transition": {"to_status": "closed"}}
    pushed = live.post("/api/v1/sync/push", inspector, {"records": [stale, invalid]})["results"]
    assert [r["status"] for r in pushed] == ["conflict", "rejected"], pushed
    photo = b"fuzz photo"
    sha = hashlib.sha256(photo).hexdigest()
    assert live.client.put(f"/api/v1/attachments/{sha}", data=photo, headers=inspector).status_code == 200

    async def notifications() -> dict[str, str]:
        from core.notifications.notices import notify

        ctx = build_context(app_settings)
        try:
            async with ctx.db.write() as session:
                for role in ROLES:
                    await notify(session, ctx, dedup_key=f"fuzz:{role}", kind="deadline_soon", title="模糊测试通知", user_id=live.user_ids[role])
            async with ctx.db.read() as session:
                from sqlmodel import select

                from core.notifications.notices import Notification

                rows = (await session.exec(select(Notification))).all()
                by_user = {row.user_id: row.id for row in rows}
        finally:
            await ctx.db.dispose()
        return {role: by_user[live.user_ids[role]] for role in ROLES}

    shared = {
        "hazard_id": hazard["id"], "plan_id": plan["id"], "draw_id": draw["id"], "tie_id": tie["id"], "snapshot_id": snapshot["id"],
        "conflict_id": pushed[0]["conflict_id"], "row_id": pushed[1]["quarantine_id"], "sha256": sha, "name": "deadline_reminders",
    }
    return {"shared": shared, "notifications": asyncio.run(notifications())}


def run_operation(live: Live, operation: Any, role: str, mode: GenerationMode, statuses: Counter) -> None:
    label = operation.label

    @given(case=operation.as_strategy(generation_mode=mode), use_real=st.booleans())
    @settings(
        max_examples=EXAMPLES[mode] * reliability_scale(), deadline=None, database=None, derandomize=True,
        suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate, Phase.shrink],
    )
    def check(case: Any, use_real: bool) -> None:
        if use_real and case.path_parameters:
            for name in list(case.path_parameters):
                if name in live.real[role]:
                    case.path_parameters[name] = live.real[role][name]
        headers = live.login(live.usernames[role], device_id=str(uuid.uuid4())) if label in FRESH_SESSION_OPERATIONS else live.headers[role]
        response = case.call_and_validate(headers=headers, checks=CHECKS)
        statuses[response.status_code] += 1

    check()


@pytest.mark.parametrize("role", ROLES)
def test_api_conforms_to_its_openapi_document(live: Live, role: str) -> None:
    failures: list[str] = []
    statuses: Counter = Counter()
    operations = [result.ok() for result in live.schema.get_all_operations()]
    assert len(operations) > 20, "the OpenAPI document lost its operations"
    for operation in operations:
        for mode in EXAMPLES:
            try:
                run_operation(live, operation, role, mode, statuses)
            except Unsatisfiable:
                if mode is not GenerationMode.NEGATIVE:
                    raise
                # nothing to make invalid: no parameters, no body, no token (/healthz, /readyz)
            except (AssertionError, Exception, BaseExceptionGroup) as exc:  # FailureGroup is a BaseExceptionGroup
                failures.append(f"--- {operation.label} as {role} ({mode.value}):\n{str(exc)[:3000]}")
    # The role's session must have survived the run, or every later case only tested 401s.
    assert live.client.get("/api/v1/auth/me", headers=live.headers[role]).status_code == 200
    assert not failures, f"{len(failures)} operation(s) failed as {role}:\n" + "\n".join(failures)
    assert any(200 <= status < 300 for status in statuses), statuses


# Hostile values an attacker or a broken tablet sends: each replaces every value of its kind in an
# otherwise generated request (body, query and path), and none may ever answer 5xx.
EDGE_TIME = "9999-12-31T23:59:59-14:00"


DEPTH = 100_000  # 200 KB of brackets: deeper than any decoder's recursion limit, small for a request
DEEP_MARK = "\u2063deep\u2063"


def _with_leaves(value: Any, leaf: Any) -> Any:
    if isinstance(value, dict):
        return {key: _with_leaves(item, leaf) for key, item in value.items()}
    if isinstance(value, list):
        return [_with_leaves(item, leaf) for item in value] or [leaf]
    return leaf


def _hostile(value: Any, kind: str) -> Any:
    if isinstance(value, dict):
        return {key: _hostile(item, kind) for key, item in value.items()}
    if isinstance(value, list):
        return [_hostile(item, kind) for item in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        return {"huge": 2**63, "int32": 2**31}.get(kind, value)
    if isinstance(value, str):
        if kind == "nul":
            return value + "\u0000"
        if kind == "time" and len(value) >= 10 and value[4:5] == "-" and value[:4].isdigit():
            return EDGE_TIME if "T" in value or len(value) > 10 else "9999-12-31"
    return value


HOSTILE_KINDS = ("nul", "time", "huge", "int32", "deep")


@pytest.mark.parametrize("role", ["admin", "inspector", "enterprise_user"])
def test_hostile_values_never_answer_5xx(live_any: Live, role: str) -> None:
    """NUL characters, calendar-edge times, integers past 32 and 64 bits and 1,000-deep nesting,
    in every field of every operation's generated requests, on SQLite and PostgreSQL."""
    live = live_any
    server_errors: list[str] = []
    for operation in [result.ok() for result in live.schema.get_all_operations()]:
        for kind in HOSTILE_KINDS:

            @given(case=operation.as_strategy(generation_mode=GenerationMode.POSITIVE))
            @settings(max_examples=2 * reliability_scale(), deadline=None, database=None, derandomize=True,
                      suppress_health_check=list(HealthCheck), phases=[Phase.generate])
            def check(case: Any) -> None:
                if kind == "deep":
                    if case.body is None:
                        return
                    # Raw bytes: no client serialiser would nest this deep; a hostile one does.
                    nested = _with_leaves(case.body, DEEP_MARK)  # every value of the generated body made deep
                    inside = json.dumps(nested, ensure_ascii=False).replace(json.dumps(DEEP_MARK), "[" * DEPTH + "]" * DEPTH).encode()
                    for media_type, raw in (("application/json", b"[" * DEPTH + b"]" * DEPTH), ("application/json", inside),
                                            ("application/msgpack", b"\x91" * DEPTH + b"\x90")):
                        headers = {**live.headers[role], "content-type": media_type}
                        response = live.client.request(case.method, case.formatted_path, data=raw, headers=headers)
                        if response.status_code >= 500:
                            server_errors.append(f"{operation.label} [deep {media_type}] → {response.status_code}: {response.text[:200]}")
                    return
                else:
                    if case.body is not None and not isinstance(case.body, bytes):
                        case.body = _hostile(case.body, kind)
                    if case.query:
                        case.query = _hostile(dict(case.query), kind)
                    if case.path_parameters and kind == "nul":
                        case.path_parameters = _hostile(dict(case.path_parameters), kind)
                response = case.call(headers=live.headers[role])
                if response.status_code >= 500:
                    server_errors.append(f"{operation.label} [{kind}] → {response.status_code}: {response.text[:200]}")

            check()
    assert not server_errors, f"{len(server_errors)} server error(s) as {role}:\n" + "\n".join(sorted(set(server_errors))[:60])
