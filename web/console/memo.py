"""Console figures kept for a short while per app, so a dashboard opened again does not count again.

Only for figures that may be a little late (a 12-month trend); never for anything a decision or a
list's total depends on. Kept per ``Context`` (per server process): each instance of a
multi-instance deployment counts for itself.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Hashable
from typing import Any, TypeVar

from core.access.scope import Principal
from core.context import Context

T = TypeVar("T")
MAX_ENTRIES = 1000


async def remembered(ctx: Context, key: Hashable, seconds: float, compute: Callable[[], Awaitable[T]]) -> T:
    """``compute()``'s value for ``key``, computed at most once per ``seconds`` (monotonic time)."""
    now = time.monotonic()
    kept: tuple[float, Any] | None = ctx.memo.get(key)
    if kept is not None and kept[0] > now:
        return kept[1]  # type: ignore[no-any-return]
    value = await compute()
    if len(ctx.memo) >= MAX_ENTRIES:
        for old in [k for k, (expires, _) in ctx.memo.items() if expires <= now] or list(ctx.memo)[: MAX_ENTRIES // 2]:
            del ctx.memo[old]
    ctx.memo[key] = (now + seconds, value)
    return value


def scope_key(principal: Principal) -> tuple[Any, ...]:
    """What decides a caller's scope (``Principal.enterprise_conditions``): callers with equal keys
    see exactly the same records, so they may share a remembered figure."""
    return (principal.is_admin, principal.role == "enterprise_user", principal.region_code, principal.grid_code, principal.industries, principal.enterprise_id)
