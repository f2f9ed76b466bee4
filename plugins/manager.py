"""Build an application's plugin registry: built-in plugins, then installed entry points.

Built-in features are plugins registered exactly like third-party ones (``DEFAULT_PLUGINS``), so
the public hooks are exercised every day. Third-party plugins are installed distributions that
declare an entry point in the group ``anjian``. Each plugin is imported in its own ``try``: an
import error is recorded against that plugin and the server starts without it (unlike pluggy's
``load_setuptools_entrypoints``, which lets one broken plugin abort start-up).
"""

from __future__ import annotations

import importlib
import importlib.metadata
import os
from collections.abc import Iterable, Mapping, Sequence

from plugins.registry import PluginRegistry

ENTRY_POINT_GROUP = "anjian"
DISABLED_ENV = "ANJIAN_PLUGINS_DISABLED"
STRICT_ENV = "ANJIAN_PLUGINS_STRICT"
BUILTIN_PREFIX = "plugins."

DEFAULT_PLUGINS: tuple[str, ...] = (
    # industries: checklists
    "plugins.coal",
    "plugins.hazchem",
    "plugins.construction",
    "plugins.fire",
    "plugins.road_transport",
    "plugins.industrial_trade",
    # evaluators
    "plugins.dual_prevention",
    "plugins.risk_grading",
    "plugins.checklist_score",
    "plugins.efficiency",
)


def parse_disabled(text: str | None) -> frozenset[str]:
    """Plugin names from a comma-separated list (``"coal, example"``); blanks ignored."""
    return frozenset(part.strip() for part in (text or "").split(",") if part.strip())


def strict_from_env(environ: Mapping[str, str]) -> bool:
    """Strict mode from ``ANJIAN_PLUGINS_STRICT`` (``1``, ``true``, ``yes``)."""
    return environ.get(STRICT_ENV, "").strip().lower() in {"1", "true", "yes", "on"}


def builtin_name(module: str) -> str:
    """A built-in's plugin name: its module without the ``plugins.`` prefix (``plugins.coal`` -> ``coal``)."""
    return module.removeprefix(BUILTIN_PREFIX)


def load_plugins(
    *,
    disabled: Iterable[str] | None = None,
    strict: bool | None = None,
    builtins: Sequence[str] = DEFAULT_PLUGINS,
    entry_points: bool = True,
    environ: Mapping[str, str] | None = None,
) -> PluginRegistry:
    """A fresh registry with every built-in and installed plugin loaded and its contributions collected.

    ``disabled`` and ``strict`` default to ``ANJIAN_PLUGINS_DISABLED`` and ``ANJIAN_PLUGINS_STRICT``
    from ``environ`` (default ``os.environ``). A disabled plugin is not even imported.
    """
    environ = os.environ if environ is None else environ
    disabled_names = parse_disabled(environ.get(DISABLED_ENV)) if disabled is None else frozenset(disabled)
    registry = PluginRegistry(strict=strict_from_env(environ) if strict is None else strict)
    for module in builtins:
        load_builtin(registry, module, disabled_names)
    if entry_points:
        load_entry_points(registry, disabled_names)
    registry.collect()
    return registry


def load_builtin(registry: PluginRegistry, module: str, disabled: frozenset[str] = frozenset()) -> bool:
    """Import and register one built-in plugin module; True when it is in use."""
    name = builtin_name(module)
    if name in disabled:
        registry.record(name, "builtin", module=module).disabled = True
        return False
    try:
        plugin = importlib.import_module(module)
    except Exception as exc:  # noqa: BLE001 - a plugin's import error must not stop the server
        registry.record(name, "builtin", module=module)
        registry.fail(name, "import", exc)
        return False
    return registry.register(plugin, name, source="builtin", module=module)


def load_entry_points(registry: PluginRegistry, disabled: frozenset[str] = frozenset()) -> None:
    """Load every entry point in the group ``anjian``, each in its own ``try``."""
    seen: set[tuple[str, str]] = set()
    for entry_point in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        # The same distribution can be visible twice on sys.path (editable + installed).
        if (entry_point.name, entry_point.value) in seen:
            continue
        seen.add((entry_point.name, entry_point.value))
        load_entry_point(registry, entry_point, disabled)


def load_entry_point(
    registry: PluginRegistry,
    entry_point: importlib.metadata.EntryPoint,
    disabled: frozenset[str] = frozenset(),
) -> bool:
    """Load and register one entry point; True when it is in use."""
    name = entry_point.name
    dist = entry_point.dist
    details = {
        "module": entry_point.value,
        "distribution": dist.name if dist is not None else "",
        "version": dist.version if dist is not None else "",
    }
    if name in registry.records:
        # The name is taken (a built-in, or another distribution): report this one under a name
        # of its own and leave the first untouched.
        owner = registry.records[name]
        clash = f"{name} ({details['distribution'] or entry_point.value})"
        registry.record(clash, "entry_point", **details)
        registry.fail(
            clash,
            "register",
            f"plugin name {name!r} is already used by {owner.source} {owner.module or owner.name}; not loaded",
        )
        return False
    if name in disabled:
        registry.record(name, "entry_point", **details).disabled = True
        return False
    try:
        plugin = entry_point.load()
    except Exception as exc:  # noqa: BLE001 - a plugin's import error must not stop the server
        registry.record(name, "entry_point", **details)
        registry.fail(name, "import", exc)
        return False
    return registry.register(plugin, name, source="entry_point", **details)
