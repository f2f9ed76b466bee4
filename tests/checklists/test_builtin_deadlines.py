"""Deadline defaults in the shipped checklists follow their sources: a major-hazard item (重大事故隐患)
names no rectification_days, since its deadline is the completion date of the 治理方案 the
enterprise draws up (《安全生产事故隐患排查治理暂行规定》第十五条), never a fixed default."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted((ROOT / "plugins").glob("*/checklists/*.yaml"))


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(ROOT)) for p in FILES])
def test_major_hazard_items_name_no_default_deadline(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    items = [item for section in data["sections"] for item in section["items"]]
    assert items
    with_default = [item["code"] for item in items if item.get("major_hazard") and "rectification_days" in item]
    assert with_default == []
