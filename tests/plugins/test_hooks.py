"""One test per hook (test_hook_<name>), and every hook is documented in docs/plugins.md."""

from __future__ import annotations

import re
from pathlib import Path

from plugins import hookspecs
from plugins.hookspecs import hookimpl
from plugins.registry import PluginRegistry
from tests.checklists.conftest import minimal_definition
from tests.plugins.test_registry import EchoEvaluator

DOCS = Path(__file__).resolve().parents[2] / "docs" / "plugins.md"


def hook_names() -> list[str]:
    return sorted(name for name in dir(hookspecs) if name.startswith("anjian_"))


def info(registry, name):
    return {i.name: i for i in registry.report()}[name]


def test_hook_anjian_checklists(registry):
    class P:
        @hookimpl
        def anjian_checklists(self):
            return [minimal_definition()]

    registry.register(P(), "p")
    registry.collect()
    assert registry.checklist("coal.ventilation", "1.0.0").plugin == "p"


def test_hook_anjian_evaluators(registry):
    class P:
        @hookimpl
        def anjian_evaluators(self):
            return [EchoEvaluator()]

    registry.register(P(), "p")
    registry.collect()
    assert info(registry, "p").evaluators == ["test.echo"]


def test_hook_anjian_document_types(registry):
    from plugins.documents.catalogue import collect_document_types

    notice = {
        "code": "hazard_notice", "title": "隐患告知书", "number_class": "告知", "source": "hazards",
        "body": [{"kind": "table", "rows": "hazards", "columns": [{"title": "隐患", "value": "{description}"}]}],
    }

    class P:
        @hookimpl
        def anjian_document_types(self):
            return [notice]

    registry.register(P(), "p")
    types = collect_document_types(registry)
    assert types.get("hazard_notice").title == "隐患告知书"
    assert types.by_code["hazard_notice"].plugin == "p"
    assert info(registry, "p").errors == []


async def test_hook_anjian_startup(registry):
    seen = []

    class Sync:
        @hookimpl
        def anjian_startup(self, app):
            seen.append(("sync", app))

    class Async:
        @hookimpl
        async def anjian_startup(self, app):
            seen.append(("async", app))

    class ReturnsCallable:
        @hookimpl
        def anjian_startup(self, app):
            async def later():
                seen.append(("callable", app))

            return later

    class Raises:
        @hookimpl(tryfirst=True)
        async def anjian_startup(self, app):
            raise RuntimeError("cannot reach vendor server")

    for name, plugin in {"sync": Sync(), "async": Async(), "callable": ReturnsCallable(), "raises": Raises()}.items():
        registry.register(plugin, name)
    await registry.startup("the-app")
    assert sorted(seen) == [("async", "the-app"), ("callable", "the-app"), ("sync", "the-app")]
    assert info(registry, "raises").status == "degraded"
    assert info(registry, "raises").errors[0].stage == "anjian_startup"
    assert info(registry, "sync").status == "ok"


async def test_hook_anjian_submission_accepted(registry):
    told = []

    class Listener:
        @hookimpl
        async def anjian_submission_accepted(self, submission):
            told.append(submission)

    class Flaky:
        @hookimpl
        def anjian_submission_accepted(self, submission):
            raise ValueError(f"cannot forward {submission}")

    registry.register(Listener(), "listener")
    registry.register(Flaky(), "flaky")
    for number in range(30):
        await registry.submission_accepted(f"s{number}")
    assert told == [f"s{n}" for n in range(30)]
    errors = info(registry, "flaky").errors
    assert len(errors) == 20  # only the most recent runtime failures are kept
    assert errors[-1].message == "ValueError: cannot forward s29"


def test_every_hook_has_a_test():
    tested = {name.removeprefix("test_hook_") for name in globals() if name.startswith("test_hook_")}
    assert set(hook_names()) <= tested


def test_every_hook_is_documented_with_its_arguments():
    text = DOCS.read_text(encoding="utf-8")
    registry = PluginRegistry()
    for name in hook_names():
        argnames = getattr(registry.pm.hook, name).spec.argnames
        heading = f"### {name}({', '.join(argnames)})"
        assert re.search(rf"^{re.escape(heading)}$", text, re.M), f"docs/plugins.md lacks heading {heading!r}"
