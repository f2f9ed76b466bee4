"""The console matrix's vocabulary: one ``ConsoleEntry`` per console route (its answers per role for a
record inside and outside the role's scope, and how to call it), and the answers most routes give.

Each area of the console lists its own entries in ``tests/web/console/matrix_<area>.py``;
``test_console_matrix.py`` runs them all and checks that together they cover exactly the console's routes.
Answers: ``OK`` — 200 (a page); ``GO`` — 303 (a form that worked, or a signed-in user sent on); ``404`` —
absent *or outside the user's scope*, the same page for both; ``403`` — a role without the permission
(the console's 403 page); ``409`` — a step the user may not take now, shown beside its form; ``NA`` — no
record to be in or out of scope.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx

from tests.reliability.authz_matrix import answers
from tests.reliability.world import Side, World
from tests.web.console.conftest import ConsoleUser

OK, GO = 200, 303
NA = None
ALL = answers(OK)
OUT_404 = answers(404, admin=OK)
OFFICERS_GO = answers(409, admin=GO, department_admin=GO, inspector=GO)

Caller = Callable[[World, ConsoleUser, str, Side], Awaitable[httpx.Response]]


@dataclass(frozen=True)
class ConsoleEntry:
    method: str
    path: str
    in_scope: dict[str, Any]
    out_of_scope: dict[str, Any] | None
    call: Caller
    note: str = ""


def get(path: Callable[[World, Side], str] | str) -> Caller:
    async def call(world: World, user: ConsoleUser, role: str, side: Side) -> httpx.Response:
        return await user.get(path(world, side) if callable(path) else path)
    return call


