"""Every checklist a built-in industry plugin ships loads and validates."""

from __future__ import annotations

from pathlib import Path

import pytest

from checklists.loading import load_checklist_file

ROOT = Path(__file__).resolve().parents[2]
INDUSTRY_PLUGINS = ("coal", "hazchem", "construction", "fire", "road_transport", "industrial_trade")
FILES = sorted(
    path for industry in INDUSTRY_PLUGINS for path in (ROOT / "plugins" / industry / "checklists").glob("*.yaml")
)


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(ROOT)) for p in FILES])
def test_builtin_checklist_is_valid(path):
    checklist = load_checklist_file(path)
    assert checklist.items()
    assert all(item.basis for item in checklist.items())


@pytest.mark.parametrize("industry", INDUSTRY_PLUGINS)
def test_each_industry_plugin_ships_checklists(industry):
    shipped = list((ROOT / "plugins" / industry / "checklists").glob("*.yaml"))
    assert shipped, f"plugins/{industry}/checklists/ has no *.yaml definitions"
