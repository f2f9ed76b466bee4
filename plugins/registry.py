"""One application's plugins and what they contribute, built per app (no global state).

The registry owns the pluggy ``PluginManager``. It registers plugins one at a time and validates
each on its own, so a plugin that fails is recorded against its name and the others carry on.
In strict mode (tests, CI) every failure is raised instead, as :class:`PluginError`.
"""

from __future__ import annotations

import logging
import os
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec
import pluggy

from checklists.canonical import content_hash
from checklists.errors import ChecklistError
from checklists.loading import checklist_from_data, load_checklist_file
from checklists.schema import Checklist
from plugins import hookspecs
from plugins.calling import ImplOutcome, await_me_maybe, call_each, implementations
from plugins.records import LOAD_STAGES, PluginInfo, PluginProblem, PluginRecord, PluginSource

log = logging.getLogger(__name__)

CONTRIBUTION_HOOKS = ("anjian_checklists", "anjian_evaluators")
# Runtime hooks (events) can fail many times; keep the most recent failures only.
_MAX_RUNTIME_ERRORS = 20


class PluginError(Exception):
    """A plugin failed in strict mode; the message names the plugin and the stage."""

    def __init__(self, plugin_name: str, stage: str, message: str) -> None:
        self.plugin_name = plugin_name
        self.stage = stage
        super().__init__(f"plugin {plugin_name!r} failed at {stage}: {message}")


@dataclass(frozen=True, slots=True)
class ContributedChecklist:
    """A validated checklist version and the plugin (and file) it came from."""

    plugin: str
    source: str
    checklist: Checklist
    content_hash: str

    @property
    def key(self) -> str:
        return f"{self.checklist.id}@{self.checklist.version}"


@dataclass(frozen=True, slots=True)
class ContributedEvaluator:
    """An evaluator object and the plugin that provides it."""

    plugin: str
    evaluator: Any

    @property
    def id(self) -> str:
        return self.evaluator.id


def describe(exc: BaseException) -> str:
    """``ValueError: boom`` — the exception's type and message, one line."""
    text = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    return text.splitlines()[-1] if text else type(exc).__name__


class PluginRegistry:
    """Plugins of one application: their records, their checklists and evaluators, safe hook calls."""

    def __init__(self, *, strict: bool = False) -> None:
        self.strict = strict
        self.pm = pluggy.PluginManager(hookspecs.PROJECT_NAME)
        self.pm.add_hookspecs(hookspecs)
        self.records: dict[str, PluginRecord] = {}
        self.checklists: list[ContributedChecklist] = []
        self.evaluators: dict[str, ContributedEvaluator] = {}

    # --- registration ----------------------------------------------------------------------------

    def record(self, name: str, source: PluginSource, **details: str) -> PluginRecord:
        """The record for ``name``, created on first use."""
        record = self.records.get(name)
        if record is None:
            record = self.records[name] = PluginRecord(name=name, source=source, **details)
        return record

    def fail(self, name: str, stage: str, error: BaseException | str) -> None:
        """Record a failure of plugin ``name``; raise it instead in strict mode."""
        message = error if isinstance(error, str) else describe(error)
        record = self.records.get(name) or self.record(name, "registered")
        if stage not in LOAD_STAGES and stage not in CONTRIBUTION_HOOKS:
            runtime = [e for e in record.errors if e.stage not in LOAD_STAGES | set(CONTRIBUTION_HOOKS)]
            if len(runtime) >= _MAX_RUNTIME_ERRORS:
                record.errors.remove(runtime[0])
        record.errors.append(PluginProblem(stage=stage, message=message))
        if isinstance(error, BaseException):
            log.error("plugin %r failed at %s: %s", name, stage, message, exc_info=error)
        else:
            log.error("plugin %r failed at %s: %s", name, stage, message)
        if self.strict:
            if isinstance(error, BaseException):
                raise PluginError(name, stage, message) from error
            raise PluginError(name, stage, message)

    def register(
        self,
        plugin: object,
        name: str,
        *,
        source: PluginSource = "registered",
        module: str = "",
        distribution: str = "",
        version: str = "",
    ) -> bool:
        """Register one plugin object and validate it; True when it is in use.

        Failure modes recorded against ``name``: its implementations do not match the hookspecs
        (unknown argument, unknown hook: ``check_pending``), the name is taken, or it uses hook
        wrappers (each implementation is called on its own, so wrappers cannot work).
        """
        if name in self.records:
            # Two plugins claim one name: the first keeps it, the clash is shown on its record.
            claimant = module or type(plugin).__name__
            self.fail(name, "register", f"the name {name!r} is claimed again by {claimant}; the second one is not loaded")
            return False
        record = self.record(name, source, module=module, distribution=distribution, version=version)
        try:
            self.pm.register(plugin, name=name)
        except Exception as exc:  # noqa: BLE001 - pluggy raises ValueError or PluginValidationError
            self.fail(name, "register", exc)
            return False
        try:
            self.pm.check_pending()
        except pluggy.PluginValidationError as exc:
            # Earlier plugins passed this check, so the unmatched implementation is this plugin's.
            self.pm.unregister(name=name)
            self.fail(name, "check_pending", exc)
            return False
        wrappers = [
            impl.function.__name__
            for caller in self.pm.get_hookcallers(plugin) or []
            for impl in caller.get_hookimpls()
            if impl.plugin is plugin and (impl.hookwrapper or impl.wrapper)
        ]
        if wrappers:
            self.pm.unregister(name=name)
            self.fail(name, "register", f"hook wrappers are not supported: {', '.join(wrappers)}")
            return False
        record.loaded = True
        record.hooks = sorted(
            caller.name for caller in self.pm.get_hookcallers(plugin) or [] if caller.has_spec()
        )
        return True

    def unregister(self, name: str) -> None:
        """Remove a plugin, its record and its contributions (tests use this in yield fixtures)."""
        if self.pm.get_plugin(name) is not None:
            self.pm.unregister(name=name)
        self.records.pop(name, None)
        self.checklists = [c for c in self.checklists if c.plugin != name]
        self.evaluators = {k: v for k, v in self.evaluators.items() if v.plugin != name}

    # --- contributions -----------------------------------------------------------------------------

    def collect(self) -> None:
        """(Re)collect every plugin's checklists and evaluators, validating each one."""
        for record in self.records.values():
            record.errors = [e for e in record.errors if e.stage not in CONTRIBUTION_HOOKS]
            record.checklists = []
            record.evaluators = []
        self.checklists = []
        self.evaluators = {}
        for outcome in self._call_contribution("anjian_checklists"):
            for index, entry in enumerate(outcome.value):
                self._add_checklist(outcome.plugin_name, index, entry)
        for outcome in self._call_contribution("anjian_evaluators"):
            for index, entry in enumerate(outcome.value):
                self._add_evaluator(outcome.plugin_name, index, entry)

    def _call_contribution(self, hook_name: str) -> list[ImplOutcome]:
        """Outcomes in registration order, so on a clash the earlier plugin (a built-in) keeps its name."""
        order = {name: index for index, name in enumerate(self.records)}
        good: list[ImplOutcome] = []
        outcomes = sorted(call_each(self.pm, hook_name, {}), key=lambda o: order.get(o.plugin_name, len(order)))
        for outcome in outcomes:
            value = outcome.value
            if outcome.error is not None:
                self.fail(outcome.plugin_name, hook_name, outcome.error)
            elif hasattr(value, "__await__") or hasattr(value, "send"):
                if hasattr(value, "close"):
                    value.close()  # never awaited: avoid "coroutine was never awaited"
                self.fail(outcome.plugin_name, hook_name, f"{hook_name} must be a plain function returning a list")
            elif not isinstance(value, (list, tuple)):
                self.fail(
                    outcome.plugin_name,
                    hook_name,
                    f"{hook_name} must return a list, got {type(value).__name__}",
                )
            else:
                good.append(outcome)
        return good

    def _add_checklist(self, plugin: str, index: int, entry: Any) -> None:
        hook = "anjian_checklists"
        try:
            if isinstance(entry, (Path, os.PathLike)):
                source = str(entry)
                checklist = load_checklist_file(Path(entry))
            elif isinstance(entry, (dict, Checklist)):
                source = f"plugin {plugin}: anjian_checklists()[{index}]"
                checklist = checklist_from_data(entry, source=source)
            else:
                self.fail(
                    plugin,
                    hook,
                    f"anjian_checklists()[{index}] is a {type(entry).__name__}; "
                    "expected a pathlib.Path, a dict or a Checklist",
                )
                return
        except ChecklistError as exc:
            for problem in exc.problems:
                self.fail(plugin, hook, str(problem))
            return
        key = f"{checklist.id}@{checklist.version}"
        for other in self.checklists:
            if other.checklist.id != checklist.id:
                continue
            if other.plugin != plugin:
                self.fail(plugin, hook, f"{source}: checklist id {checklist.id} is provided by plugin {other.plugin!r}")
                return
            if other.checklist.version == checklist.version:
                self.fail(plugin, hook, f"{source}: {key} is also defined in {other.source}")
                return
        self.checklists.append(ContributedChecklist(plugin, source, checklist, content_hash(checklist)))
        self.records[plugin].checklists.append(key)

    def _add_evaluator(self, plugin: str, index: int, entry: Any) -> None:
        hook = "anjian_evaluators"
        problem = evaluator_problem(entry)
        if problem:
            self.fail(plugin, hook, f"anjian_evaluators()[{index}]: {problem}")
            return
        other = self.evaluators.get(entry.id)
        if other is not None:
            self.fail(plugin, hook, f"evaluator id {entry.id!r} is already provided by plugin {other.plugin!r}")
            return
        self.evaluators[entry.id] = ContributedEvaluator(plugin, entry)
        self.records[plugin].evaluators.append(entry.id)

    # --- lookups ---------------------------------------------------------------------------------

    def checklist(self, checklist_id: str, version: str) -> ContributedChecklist | None:
        """The contributed checklist ``checklist_id`` at ``version``, if a plugin provides it."""
        for contributed in self.checklists:
            if contributed.checklist.id == checklist_id and contributed.checklist.version == version:
                return contributed
        return None

    def evaluator(self, evaluator_id: str) -> Any | None:
        """The evaluator with ``evaluator_id``, if a plugin provides it."""
        contributed = self.evaluators.get(evaluator_id)
        return contributed.evaluator if contributed else None

    def report(self) -> list[PluginInfo]:
        """Every plugin known, in load order, for the API and the CLI."""
        return [PluginInfo.of(record) for record in self.records.values()]

    # --- runtime hooks ---------------------------------------------------------------------------

    def listens(self, hook_name: str) -> bool:
        """Whether any plugin implements ``hook_name``: callers skip building what nobody reads."""
        return bool(implementations(self.pm, hook_name))

    async def call(self, hook_name: str, **kwargs: Any) -> list[ImplOutcome]:
        """Call every implementation of a hook, awaiting what needs awaiting; failures recorded."""
        outcomes: list[ImplOutcome] = []
        for outcome in call_each(self.pm, hook_name, kwargs):
            if outcome.error is None:
                try:
                    outcome = ImplOutcome(outcome.plugin_name, value=await await_me_maybe(outcome.value))
                except Exception as exc:  # noqa: BLE001 - isolation is the point
                    outcome = ImplOutcome(outcome.plugin_name, error=exc)
            if outcome.error is not None:
                self.fail(outcome.plugin_name, hook_name, outcome.error)
            outcomes.append(outcome)
        return outcomes

    async def startup(self, app: Any) -> None:
        """Tell every plugin the server is starting (``anjian_startup``)."""
        await self.call("anjian_startup", app=app)

    async def submission_accepted(self, submission: Any) -> None:
        """Tell every plugin a submission was stored (``anjian_submission_accepted``)."""
        await self.call("anjian_submission_accepted", submission=submission)


def evaluator_problem(candidate: Any) -> str:
    """Why ``candidate`` is not a usable evaluator, or ``""``.

    Checked by shape (``plugins.evaluator.Evaluator``): ``id``, ``title`` and ``version`` are
    non-empty text, ``input_type`` is a msgspec Struct class, ``evaluate`` is callable.
    """
    missing = [attr for attr in ("id", "title", "version", "input_type", "evaluate") if not hasattr(candidate, attr)]
    if missing:
        return f"{type(candidate).__name__} is not an evaluator: missing {', '.join(missing)}"
    for attr in ("id", "title", "version"):
        value = getattr(candidate, attr)
        if not isinstance(value, str) or not value.strip():
            return f"evaluator.{attr} must be non-empty text"
    input_type = candidate.input_type
    if not (isinstance(input_type, type) and issubclass(input_type, msgspec.Struct)):
        return f"evaluator {candidate.id!r}: input_type must be a msgspec.Struct class"
    if not callable(candidate.evaluate):
        return f"evaluator {candidate.id!r}: evaluate must be callable"
    return ""
