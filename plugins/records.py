"""What the server knows about each plugin: where it came from, whether it works, what it gave.

These records are what ``GET /api/v1/plugins`` and ``anjian plugins list`` show, so an admin can
see a broken plugin and its error without reading logs.
"""

from __future__ import annotations

from typing import Literal

import msgspec

PluginSource = Literal["builtin", "entry_point", "registered"]

# ok: loaded, every hook call succeeded. degraded: loaded, but a hook raised or some of what it
# returned was rejected (see errors; the rest of its contributions are in use). failed: could not
# be loaded at all. disabled: switched off by ANJIAN_PLUGINS_DISABLED.
PluginStatus = Literal["ok", "degraded", "failed", "disabled"]

# Stages at which loading fails; a failure there means the plugin is not registered.
LOAD_STAGES = frozenset({"import", "register", "check_pending"})


class PluginProblem(msgspec.Struct, frozen=True, kw_only=True):
    """One failure of one plugin. ``stage`` is ``import``, ``register``, ``check_pending`` or a hook name."""

    stage: str
    message: str


class PluginRecord(msgspec.Struct, kw_only=True):
    """One plugin as the server sees it."""

    name: str
    source: PluginSource
    module: str = ""
    distribution: str = ""
    version: str = ""
    loaded: bool = False
    disabled: bool = False
    errors: list[PluginProblem] = msgspec.field(default_factory=list)
    checklists: list[str] = msgspec.field(default_factory=list)
    evaluators: list[str] = msgspec.field(default_factory=list)
    hooks: list[str] = msgspec.field(default_factory=list)

    @property
    def status(self) -> PluginStatus:
        if self.disabled:
            return "disabled"
        if not self.loaded:
            return "failed"
        return "degraded" if self.errors else "ok"


class PluginInfo(msgspec.Struct, frozen=True, kw_only=True):
    """The wire form of a :class:`PluginRecord` (status computed, lists copied)."""

    name: str
    source: PluginSource
    status: PluginStatus
    module: str
    distribution: str
    version: str
    hooks: list[str]
    checklists: list[str]
    evaluators: list[str]
    errors: list[PluginProblem]

    @classmethod
    def of(cls, record: PluginRecord) -> PluginInfo:
        return cls(
            name=record.name,
            source=record.source,
            status=record.status,
            module=record.module,
            distribution=record.distribution,
            version=record.version,
            hooks=list(record.hooks),
            checklists=list(record.checklists),
            evaluators=list(record.evaluators),
            errors=list(record.errors),
        )
