"""Calling hooks so that one plugin's failure stays that plugin's problem.

pluggy stops a hook call at the first implementation that raises; anjian must not, because a
broken third-party plugin may never take the server (or the other plugins) down. So each
implementation is called on its own and its exception is handed back, not raised.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pluggy


async def await_me_maybe(value: Any) -> Any:
    """A hook may return a value, a callable or an awaitable; reduce it to the value."""
    if callable(value):
        value = value()
    if inspect.isawaitable(value):
        value = await value
    return value


@dataclass(frozen=True, slots=True)
class ImplOutcome:
    """What one plugin's implementation of a hook gave: a value, or the exception it raised."""

    plugin_name: str
    value: Any = None
    error: BaseException | None = None


def implementations(pm: pluggy.PluginManager, hook_name: str) -> list[pluggy.HookImpl]:
    """The implementations of ``hook_name`` in pluggy's calling order (tryfirst … trylast)."""
    caller = getattr(pm.hook, hook_name, None)
    if caller is None:
        return []
    return list(reversed(caller.get_hookimpls()))


def call_each(pm: pluggy.PluginManager, hook_name: str, kwargs: dict[str, Any]) -> Iterator[ImplOutcome]:
    """Call every implementation of ``hook_name`` separately, catching what each raises.

    Results are not awaited here (see :func:`await_me_maybe`); hook wrappers are refused at
    registration, so every implementation is a plain function.
    """
    for impl in implementations(pm, hook_name):
        try:
            args = [kwargs[name] for name in impl.argnames]
            value = impl.function(*args)
        except Exception as exc:  # noqa: BLE001 - isolation is the point
            yield ImplOutcome(impl.plugin_name, error=exc)
        else:
            yield ImplOutcome(impl.plugin_name, value=value)
