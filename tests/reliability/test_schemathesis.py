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
import uuid
from collections import Counter
from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis")

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from schemathesis import GenerationMode  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.python import asgi  # noqa: E402
from schemathesis.specs.openapi.checks import response_schema_conformance  # noqa: E402

from core.audit import SYSTEM  # noqa: E402
from core.bootstrap import prepare_database  # noqa: E402
from core.user_service import create_user  # noqa: E402
from core.wire import UserIn  # noqa: E402
from server import build_context, create_app  # noqa: E402
from tests.conftest import PASSWORD, make_settings, valid_uscc  # noqa: E402
from tests.reliability.scale import reliability_scale  # noqa: E402
from tests.reliability.world import IN_INDUSTRY, IN_REGION, ROLES, checklist_definition  # noqa: E402

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
    app_settings = make_settings(f"sqlite+aiosqlite:///{base}/anjian.db", str(base / "data"))

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
    for role, scope in scopes.items():
        live.usernames[role] = f"st_{role}"
        live.post("/api/v1/users", admin, {"username": live.usernames[role], "password": PASSWORD, "role": role, **scope})
        live.headers[role] = live.login(live.usernames[role])
    for role in ROLES:
        device_id = str(uuid.uuid4())
        live.login(live.usernames[role], device_id=device_id)  # enrols a tablet the role's session does not use
        live.real[role] = {
            "enterprise_id": enterprise["id"], "user_id": bystander["id"], "device_id": device_id, "code": IN_REGION,
            "checklist_id": "fuzz.inside", "version": "1.0.0",
        }
    return live


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
        headers = live.login(live.usernames[role]) if label in FRESH_SESSION_OPERATIONS else live.headers[role]
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
            except (AssertionError, Exception, BaseExceptionGroup) as exc:  # FailureGroup is a BaseExceptionGroup
                failures.append(f"--- {operation.label} as {role} ({mode.value}):\n{str(exc)[:3000]}")
    # The role's session must have survived the run, or every later case only tested 401s.
    assert live.client.get("/api/v1/auth/me", headers=live.headers[role]).status_code == 200
    assert not failures, f"{len(failures)} operation(s) failed as {role}:\n" + "\n".join(failures)
    assert any(200 <= status < 300 for status in statuses), statuses
