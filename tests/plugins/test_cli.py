"""``anjian plugins list`` shows every plugin with its source, status and errors."""

from __future__ import annotations

import json

from click.testing import CliRunner

from plugins.cli import plugins_cli


def test_list_shows_builtins_failures_and_the_example(installer, monkeypatch):
    installer.install_example()
    installer.install("vendor-broken", "2.0.0", {"vendor": "vendor_missing_module"})
    monkeypatch.setenv("ANJIAN_PLUGINS_DISABLED", "fire")
    monkeypatch.delenv("ANJIAN_PLUGINS_STRICT", raising=False)
    result = CliRunner().invoke(plugins_cli, ["list"])
    assert result.exit_code == 0, result.output
    assert "coal  [ok]  builtin: plugins.coal" in result.output
    assert "fire  [disabled]" in result.output
    assert "example  [ok]  entry_point: anjian_plugin_example (anjian-plugin-example 0.1.0)" in result.output
    assert "checklists: example.confined_space@1.1.0" in result.output
    assert "evaluators: example.confined_space_gas_test" in result.output
    assert "vendor  [failed]" in result.output
    assert "error [import]: ModuleNotFoundError: No module named 'vendor_missing_module'" in result.output


def test_list_json_and_strict_exit_code(installer, monkeypatch):
    installer.install("vendor-broken", "2.0.0", {"vendor": "vendor_missing_module"})
    monkeypatch.delenv("ANJIAN_PLUGINS_DISABLED", raising=False)
    result = CliRunner().invoke(plugins_cli, ["list", "--json", "--strict"])
    assert result.exit_code == 1
    report = {entry["name"]: entry for entry in json.loads(result.output)}
    assert report["vendor"]["status"] == "failed"
    assert report["vendor"]["source"] == "entry_point"
    assert report["coal"]["status"] == "ok"
