"""The console's authorization matrix: every console route × every role × a record inside and
outside the role's scope gives the documented answer, and nothing outside a user's scope is shown
or countable — the same world as the API's matrix (tests/reliability/world.py), signed in through
the console's own form.

The answers are explained in ``matrix_kit.py``. The routes listed here and in each area's
``matrix_<area>.py`` are exactly the app's console routes (``test_matrix_covers_exactly_the_console_routes``);
the API's matrix covers every other route.
"""

from __future__ import annotations

import re
import uuid
from datetime import timedelta
from typing import Any

import httpx

from core.access.scope import Principal
from core.clock import FrozenClock
from core.hazards.service import create_hazard, transition_hazard
from core.hazards.wire import HazardIn, TransitionIn
from server import build_context
from tests.conftest import Api
from tests.reliability.authz_matrix import answers, stored_attachment
from tests.reliability.world import ROLES, Side, World, build_world
from tests.web.console import (
    matrix_checklists,
    matrix_documents,
    matrix_dual_prevention,
    matrix_enterprises,
    matrix_evaluations,
    matrix_plans,
    matrix_reports,
    matrix_risk_register,
    matrix_system,
)
from tests.web.console.conftest import ConsoleUser, sign_in
from tests.web.console.matrix_kit import ALL, GO, NA, OFFICERS_GO, OK, OUT_404, ConsoleEntry, get
from web.console.router import CONSOLE_OPT


async def order_rectification(world: World, user: ConsoleUser, role: str, side: Side) -> httpx.Response:
    hazard = await world.new_hazard(side)
    form = {"action": "order_rectification", "base_version": str(hazard["version"]), "deadline": "2099-01-01", "responsible_person": "李四"}
    return await user.post(f"/hazards/{hazard['id']}/steps", form)


async def attachment(world: World, user: ConsoleUser, role: str, side: Side) -> httpx.Response:
    call = await stored_attachment(world, role, side)
    return await user.get(f"/files/{call.path['sha256']}")


async def login_again(world: World, user: ConsoleUser, role: str, side: Side) -> httpx.Response:
    fresh = await sign_in(user.client, world.usernames[role])  # asserts the 303 and the cookie
    return await fresh.get("/")


async def logout(world: World, user: ConsoleUser, role: str, side: Side) -> httpx.Response:
    fresh = await sign_in(user.client, world.usernames[role])
    return await fresh.post("/logout")


ENTRIES = [
    ConsoleEntry("GET", "/login", answers(GO), NA, get("/login"), "a signed-in user is sent on to the workbench"),
    ConsoleEntry("POST", "/login", ALL, NA, login_again, "signing in again opens a second session; its workbench answers"),
    ConsoleEntry("POST", "/logout", answers(GO), NA, logout, "a fresh session, so the role's own stays valid"),
    ConsoleEntry("GET", "/", ALL, NA, get("/"), "figures over the user's scope (checked against the API below)"),
    ConsoleEntry("GET", "/enterprises", ALL, NA, get("/enterprises"), "lists only the scope (markers; totals checked below)"),
    ConsoleEntry("GET", "/enterprises/{enterprise_id:str}", ALL, OUT_404, get(lambda w, s: f"/enterprises/{w.records(s).enterprise['id']}")),
    ConsoleEntry("GET", "/hazards", ALL, NA, get("/hazards?open=1")),
    ConsoleEntry("GET", "/hazards/{hazard_id:str}", ALL, OUT_404, get(lambda w, s: f"/hazards/{w.records(s).hazard_id}")),
    ConsoleEntry("POST", "/hazards/{hazard_id:str}/steps", OFFICERS_GO, answers(404, admin=GO), order_rectification,
                 "下达限期整改 on a fresh hazard: officers may; others see 409 beside the form; out of scope 404 first"),
    ConsoleEntry("GET", "/inspections/{inspection_id:str}", ALL, OUT_404, get(lambda w, s: f"/inspections/{w.records(s).inspection_id}"),
                 "the read-back: whoever sees the enterprise, its own users included"),
    ConsoleEntry("GET", "/files/{sha256:str}", answers(404, admin=OK, inspector=OK), answers(404, admin=OK), attachment,
                 "the uploader and admins; nobody else learns it exists (as GET /api/v1/attachments)"),
    ConsoleEntry("GET", "/documents/{document_id:str}/pdf", answers(404), NA, get(lambda w, s: f"/documents/{uuid.uuid4()}/pdf"),
                 "no document in this world: absent is 404 for everyone (scope: tests/plugins/documents)"),
    ConsoleEntry("GET", "/static/{file_path:path}", ALL, NA, get("/static/console.css")),
    ConsoleEntry("GET", "/design/{file_path:path}", ALL, NA, get("/design/anjian.css")),
    *matrix_enterprises.ENTRIES, *matrix_plans.ENTRIES, *matrix_documents.ENTRIES, *matrix_checklists.ENTRIES,
    *matrix_evaluations.ENTRIES, *matrix_reports.ENTRIES, *matrix_system.ENTRIES, *matrix_risk_register.ENTRIES,
    *matrix_dual_prevention.ENTRIES,
]


def console_routes(app: Any) -> set[tuple[str, str]]:
    """(method, path) of every route marked as the console's."""
    keys = set()
    for route in app.routes:
        handlers = getattr(route, "route_handlers", [])
        if any(handler.opt.get(CONSOLE_OPT) for handler in handlers):
            keys |= {(method, route.path) for method in route.methods if method not in ("OPTIONS", "HEAD")}
    return keys


def test_matrix_covers_exactly_the_console_routes(app) -> None:  # type: ignore[no-untyped-def]
    entries = {(entry.method, entry.path) for entry in ENTRIES}
    assert len(entries) == len(ENTRIES)
    assert console_routes(app) == entries


async def _overdue_hazards(world: World) -> None:
    """An overdue hazard on each side: registered and ordered 40 days before the test clock's now,
    with a ten-day deadline (services refuse a deadline in the past, so the clock is moved instead)."""
    settings = world.api.app.state.settings
    earlier = world.api.ctx.clock.now() - timedelta(days=40)
    past = build_context(settings, clock=FrozenClock(earlier))
    try:
        admin = Principal(user_id=world.user_ids["admin"], username="matrix_admin", role="admin")
        for side in ("in", "out"):
            hazard = await create_hazard(past, admin, HazardIn(enterprise_id=world.records(side).enterprise["id"], level="general",  # type: ignore[arg-type]
                                                                 description=f"矩阵{'内' if side == 'in' else '外'}逾期隐患"))
            await transition_hazard(past, admin, hazard.id, TransitionIn(to_status="rectifying", deadline=earlier + timedelta(days=10), responsible_person="王五"))  # type: ignore[call-arg]
            if side == "out":
                world.markers += [hazard.id, "矩阵外逾期隐患"]
    finally:
        await past.db.dispose()


async def _signed_in(world: World) -> dict[str, ConsoleUser]:
    return {role: await sign_in(world.api.client, world.usernames[role]) for role in ROLES}


async def test_console_authorization_matrix(api: Api) -> None:
    world = await build_world(api)
    await _overdue_hazards(world)
    users = await _signed_in(world)
    failures: list[str] = []
    for entry in ENTRIES:
        for side, expected_by_role in (("in", entry.in_scope), ("out", entry.out_of_scope)):
            if expected_by_role is None:
                continue
            for role in ROLES:
                expected = expected_by_role[role]
                response = await entry.call(world, users[role], role, side)  # type: ignore[arg-type]
                where = f"{entry.method} {entry.path} as {role}, {side}-scope record"
                if response.status_code != expected:
                    failures.append(f"{where}: expected {expected}, got {response.status_code} {response.text[:200]!r}")
                    continue
                if response.status_code == 404 and "页面不存在或无权访问" not in response.text:
                    failures.append(f"{where}: a 404 must be the console's plain not-found page")
                if role != "admin" and response.status_code < 300:
                    leaked = [marker for marker in world.markers if marker in response.text]
                    if leaked:
                        failures.append(f"{where}: page leaks out-of-scope {leaked}")
    assert not failures, f"{len(failures)} console authorization mismatch(es):\n" + "\n".join(failures)


_FIGURE = re.compile(r'data-figure="(\w+)">\s*(?:<div class="value">)?(?:[^\d<]*?)(\d+)')


def figures_of(html: str) -> dict[str, int]:
    """The workbench's figures by name (``data-figure`` markers)."""
    return {name: int(value) for name, value in _FIGURE.findall(html)}


async def _api_total(world: World, role: str, **query: Any) -> int:
    response = await world.api.client.get("/api/v1/hazards", params={**query, "page_size": 1}, headers=world.headers[role])
    assert response.status_code == 200, response.text
    return int(response.json()["total"])


async def test_workbench_figures_and_list_totals_equal_the_apis_scoped_counts(api: Api) -> None:
    world = await build_world(api)
    await _overdue_hazards(world)
    users = await _signed_in(world)
    open_statuses = ("reported", "rectifying", "awaiting_recheck")
    for role in ROLES:
        user = users[role]
        page = await user.get("/")
        assert page.status_code == 200
        open_total = sum([await _api_total(world, role, status=s) for s in open_statuses])
        if role == "enterprise_user":
            assert page.text.count("data-hazard-id=") == open_total, role
            continue
        figures = figures_of(page.text)
        expected = {
            "overdue": await _api_total(world, role, overdue="true"),
            "listed": sum([await _api_total(world, role, listed="true", status=s) for s in open_statuses]),
            "awaiting_recheck": await _api_total(world, role, status="awaiting_recheck"),
            "open": open_total,
            "open_major": sum([await _api_total(world, role, level="major", status=s) for s in open_statuses]),
            "open_general": sum([await _api_total(world, role, level="general", status=s) for s in open_statuses]),
        }
        assert figures == expected, (role, figures, expected)
        assert expected["overdue"] >= 1 and expected["listed"] >= 1, role  # the inside overdue and major hazards are counted
        # each figure's link opens a list of exactly that many
        for name, link in (("overdue", "/hazards?overdue=true"), ("listed", "/hazards?listed=true&open=1"), ("awaiting_recheck", "/hazards?status=awaiting_recheck"), ("open", "/hazards?open=1")):
            listing = await user.get(link)
            assert f"共 {expected[name]} 条" in listing.text, (role, name)
        enterprises = await user.get("/enterprises")
        api_total = (await world.api.client.get("/api/v1/enterprises", headers=world.headers[role])).json()["total"]
        assert f"共 {api_total} 条" in enterprises.text, role
