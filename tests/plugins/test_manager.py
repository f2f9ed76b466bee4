"""Loading plugins: built-ins and entry points, each isolated; disabled and strict modes."""

from __future__ import annotations

import pytest

from plugins.manager import DEFAULT_PLUGINS, load_plugins, parse_disabled
from plugins.registry import PluginError

BROKEN = "tests.plugins.sample_plugins.broken_import"
GOOD = "tests.plugins.sample_plugins.good"
INDUSTRIES = ("coal", "hazchem", "construction", "fire", "road_transport", "industrial_trade")


def by_name(registry):
    return {info.name: info for info in registry.report()}


def test_default_plugins_include_the_industries_and_evaluators():
    names = {module.removeprefix("plugins.") for module in DEFAULT_PLUGINS}
    assert set(INDUSTRIES) <= names
    assert {"dual_prevention", "risk_grading", "checklist_score", "efficiency"} <= names


def test_builtin_industry_plugins_load_without_errors():
    registry = load_plugins(builtins=[f"plugins.{name}" for name in INDUSTRIES], entry_points=False, environ={})
    infos = by_name(registry)
    for name in INDUSTRIES:
        assert infos[name].status == "ok", infos[name].errors
        assert infos[name].source == "builtin"
        assert infos[name].hooks == ["anjian_checklists"]
    shipped = {c.plugin for c in registry.checklists}
    assert all(c.plugin in INDUSTRIES for c in registry.checklists)
    assert shipped <= set(INDUSTRIES)


def test_import_error_is_reported_and_the_rest_load():
    registry = load_plugins(builtins=[BROKEN, GOOD], entry_points=False, environ={})
    infos = by_name(registry)
    broken = infos[BROKEN]
    assert broken.status == "failed"
    assert broken.errors[0].stage == "import"
    assert "vendor_sdk" in broken.errors[0].message
    assert infos[GOOD].status == "ok"
    assert [c.key for c in registry.checklists] == ["other.sample@1.0.0"]


def test_strict_mode_raises_with_the_plugin_name():
    with pytest.raises(PluginError) as caught:
        load_plugins(builtins=[GOOD, BROKEN], entry_points=False, environ={}, strict=True)
    assert BROKEN in str(caught.value)
    assert caught.value.stage == "import"


def test_strict_mode_from_environment():
    with pytest.raises(PluginError):
        load_plugins(builtins=[BROKEN], entry_points=False, environ={"ANJIAN_PLUGINS_STRICT": "1"})


def test_disabled_plugins_are_not_imported():
    registry = load_plugins(
        builtins=[BROKEN, GOOD, "plugins.coal"],
        entry_points=False,
        environ={"ANJIAN_PLUGINS_DISABLED": f" {BROKEN} , coal"},
    )
    infos = by_name(registry)
    assert infos[BROKEN].status == "disabled"
    assert infos[BROKEN].errors == []  # never imported, so its import error never happened
    assert infos["coal"].status == "disabled"
    assert infos[GOOD].status == "ok"


def test_parse_disabled_ignores_blanks():
    assert parse_disabled(" a, ,b ,") == {"a", "b"}
    assert parse_disabled(None) == frozenset()


def test_example_distribution_appears_through_its_entry_point(installer):
    installer.install_example()
    registry = load_plugins(builtins=[], environ={})
    example = by_name(registry)["example"]
    assert example.status == "ok", example.errors
    assert example.source == "entry_point"
    assert example.distribution == "anjian-plugin-example"
    assert example.version == "0.1.0"
    assert example.checklists == ["example.confined_space@1.1.0"]
    assert example.evaluators == ["example.confined_space_gas_test"]
    assert registry.evaluator("example.confined_space_gas_test") is not None
    assert registry.checklist("example.confined_space", "1.1.0").plugin == "example"


def test_example_can_be_disabled(installer):
    installer.install_example()
    registry = load_plugins(builtins=[], environ={"ANJIAN_PLUGINS_DISABLED": "example"})
    example = by_name(registry)["example"]
    assert example.status == "disabled"
    assert example.distribution == "anjian-plugin-example"
    assert registry.checklists == []
    assert "anjian_plugin_example" not in __import__("sys").modules


def test_broken_entry_point_is_reported_and_others_load(installer):
    installer.install("vendor-broken", "2.0.0", {"vendor": "vendor_missing_module"})
    installer.install_example()
    registry = load_plugins(builtins=[], environ={})
    infos = by_name(registry)
    assert infos["vendor"].status == "failed"
    assert infos["vendor"].distribution == "vendor-broken"
    assert "vendor_missing_module" in infos["vendor"].errors[0].message
    assert infos["example"].status == "ok"


def test_entry_point_cannot_take_a_builtin_name(installer):
    installer.install("impostor", "1.0.0", {"coal": "impostor_pkg"}, packages={"impostor_pkg": ""})
    registry = load_plugins(builtins=["plugins.coal"], environ={})
    infos = by_name(registry)
    assert infos["coal"].status == "ok"
    assert registry.pm.get_plugin("coal").__name__ == "plugins.coal"
    clash = infos["coal (impostor)"]
    assert clash.status == "failed"
    assert "already used by builtin plugins.coal" in clash.errors[0].message
    assert "impostor_pkg" not in __import__("sys").modules
