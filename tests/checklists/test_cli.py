"""``anjian checklist validate`` exits non-zero and lists every problem with file and path."""

from __future__ import annotations

from click.testing import CliRunner

from checklists.cli import checklist_cli


def test_validate_accepts_a_good_file(definition, write_yaml):
    path = write_yaml(definition)
    result = CliRunner().invoke(checklist_cli, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert "coal.ventilation 1.0.0" in result.output
    assert "sha256=" in result.output


def test_validate_lists_every_problem_and_fails(definition, write_yaml, tmp_path):
    good = write_yaml(definition, "good.yaml")
    definition["sections"][1]["items"][0]["code"] = "TF-1"
    definition["total_points"] = 12
    bad = write_yaml(definition, "bad.yaml")
    result = CliRunner().invoke(checklist_cli, ["validate", str(good), str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:" in result.output
    assert "sections[1].items[0].code" in result.output
    assert "total_points" in result.output
    assert "2 个问题" in result.output
