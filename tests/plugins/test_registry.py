"""A plugin that misbehaves is reported against its name; the others keep working."""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest

from plugins.hookspecs import hookimpl
from plugins.registry import PluginError, PluginRegistry, evaluator_problem
from tests.checklists.conftest import minimal_definition


class Good:
    @hookimpl
    def anjian_checklists(self):
        return [minimal_definition()]


class Echo(msgspec.Struct):
    value: int


class EchoEvaluator:
    def __init__(self, id_: str = "test.echo") -> None:
        self.id = id_
        self.title = "回声"
        self.version = "1.0.0"
        self.input_type = Echo

    def evaluate(self, data: Echo) -> int:
        return data.value


def info(registry: PluginRegistry, name: str):
    return {i.name: i for i in registry.report()}[name]


@pytest.fixture
def good(registry):
    registry.register(Good(), "good")
    try:
        yield registry
    finally:
        registry.unregister("good")


def test_raising_contribution_hook_is_reported(good):
    class Raises:
        @hookimpl
        def anjian_checklists(self):
            raise RuntimeError("disk on fire")

    good.register(Raises(), "raises")
    good.collect()
    assert info(good, "raises").status == "degraded"
    assert info(good, "raises").errors[0].stage == "anjian_checklists"
    assert "RuntimeError: disk on fire" in info(good, "raises").errors[0].message
    assert [c.key for c in good.checklists] == ["coal.ventilation@1.0.0"]
    assert info(good, "good").status == "ok"


def test_invalid_checklist_is_reported_with_path_and_the_valid_ones_load(good, tmp_path):
    broken = minimal_definition()
    broken["id"] = "coal.broken"
    broken["sections"][0]["items"][1]["code"] = "TF-1"
    bad_file = tmp_path / "bad.yaml"
    bad_file.write_text("id: coal.file\nversion: '1.0.0'\n", encoding="utf-8")
    other = minimal_definition()
    other["id"] = "coal.other"

    class Mixed:
        @hookimpl
        def anjian_checklists(self):
            return [broken, bad_file, other, "not/a/path.yaml"]

    good.register(Mixed(), "mixed")
    good.collect()
    messages = [e.message for e in info(good, "mixed").errors]
    assert any("anjian_checklists()[0]" in m and "sections[0].items[1].code" in m for m in messages)
    assert any(str(bad_file) in m and "sections" in m for m in messages)
    assert any("anjian_checklists()[3] is a str" in m for m in messages)
    assert info(good, "mixed").checklists == ["coal.other@1.0.0"]
    assert info(good, "mixed").status == "degraded"


def test_contribution_must_be_a_list(registry):
    class ReturnsDict:
        @hookimpl
        def anjian_checklists(self):
            return {"id": "x"}

    class Async:
        @hookimpl
        async def anjian_evaluators(self):
            return []

    registry.register(ReturnsDict(), "dict")
    registry.register(Async(), "async")
    registry.collect()
    assert "must return a list, got dict" in info(registry, "dict").errors[0].message
    assert "plain function" in info(registry, "async").errors[0].message


def test_another_plugins_checklist_id_is_refused(good):
    class Thief:
        @hookimpl
        def anjian_checklists(self):
            definition = minimal_definition()
            definition["version"] = "2.0.0"
            return [definition]

    good.register(Thief(), "thief")
    good.collect()
    assert "provided by plugin 'good'" in info(good, "thief").errors[0].message
    assert [c.plugin for c in good.checklists] == ["good"]


def test_one_plugin_may_ship_several_versions_but_not_one_twice(registry):
    class Versions:
        @hookimpl
        def anjian_checklists(self):
            second = minimal_definition()
            second["version"] = "1.1.0"
            return [minimal_definition(), second, minimal_definition()]

    registry.register(Versions(), "versions")
    registry.collect()
    assert info(registry, "versions").checklists == ["coal.ventilation@1.0.0", "coal.ventilation@1.1.0"]
    assert "also defined" in info(registry, "versions").errors[0].message


def test_unknown_hook_fails_check_pending_and_is_not_registered(good):
    class Typo:
        @hookimpl
        def anjian_checklist(self):  # missing "s"
            return []

    assert good.register(Typo(), "typo") is False
    assert info(good, "typo").status == "failed"
    assert info(good, "typo").errors[0].stage == "check_pending"
    assert good.pm.get_plugin("typo") is None
    good.collect()
    assert info(good, "good").status == "ok"


def test_unknown_argument_is_refused_at_registration(registry):
    class BadArgs:
        @hookimpl
        def anjian_startup(self, app, database):
            return None

    assert registry.register(BadArgs(), "badargs") is False
    assert info(registry, "badargs").errors[0].stage == "register"
    assert "database" in info(registry, "badargs").errors[0].message


def test_hook_wrappers_are_refused(registry):
    class Wrapper:
        @hookimpl(wrapper=True)
        def anjian_checklists(self):
            return (yield)

    assert registry.register(Wrapper(), "wrapper") is False
    assert "wrappers are not supported" in info(registry, "wrapper").errors[0].message
    assert registry.pm.get_plugin("wrapper") is None


def test_strict_registry_raises_on_hook_failure():
    registry = PluginRegistry(strict=True)

    class Raises:
        @hookimpl
        def anjian_checklists(self):
            raise ValueError("bad")

    registry.register(Raises(), "raises")
    with pytest.raises(PluginError, match="plugin 'raises' failed at anjian_checklists: ValueError: bad"):
        registry.collect()


def test_evaluators_are_collected_and_ids_must_be_unique(registry):
    class First:
        @hookimpl
        def anjian_evaluators(self):
            return [EchoEvaluator()]

    class Second:
        @hookimpl
        def anjian_evaluators(self):
            return [EchoEvaluator(), object(), EchoEvaluator("test.other")]

    registry.register(First(), "first")
    registry.register(Second(), "second")
    registry.collect()
    assert registry.evaluators["test.echo"].plugin == "first"
    assert registry.evaluator("test.echo").evaluate(Echo(value=3)) == 3
    assert info(registry, "second").evaluators == ["test.other"]
    messages = [e.message for e in info(registry, "second").errors]
    assert any("already provided by plugin 'first'" in m for m in messages)
    assert any("anjian_evaluators()[1]" in m and "missing" in m for m in messages)


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        (lambda e: setattr(e, "id", " "), "evaluator.id"),
        (lambda e: setattr(e, "input_type", dict), "input_type"),
        (lambda e: setattr(e, "evaluate", 3), "callable"),
    ],
)
def test_evaluator_shape_is_checked(change, fragment):
    evaluator = EchoEvaluator()
    assert evaluator_problem(evaluator) == ""
    change(evaluator)
    assert fragment in evaluator_problem(evaluator)


def test_collect_twice_gives_the_same_result(good):
    good.collect()
    good.collect()
    assert [c.key for c in good.checklists] == ["coal.ventilation@1.0.0"]
    assert info(good, "good").checklists == ["coal.ventilation@1.0.0"]


def test_unregister_forgets_the_plugin_and_its_contributions(good):
    good.collect()
    good.unregister("good")
    assert good.checklists == [] and "good" not in good.records
    good.register(Good(), "good")  # the fixture's teardown unregisters it again


def test_checklist_from_a_file_names_the_file(registry, tmp_path: Path):
    path = tmp_path / "ok.yaml"
    import yaml

    path.write_text(yaml.safe_dump(minimal_definition(), allow_unicode=True), encoding="utf-8")

    class Files:
        @hookimpl
        def anjian_checklists(self):
            return [path]

    registry.register(Files(), "files")
    registry.collect()
    assert registry.checklists[0].source == str(path)
    assert len(registry.checklists[0].content_hash) == 64
