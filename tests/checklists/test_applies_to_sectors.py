"""``applies_to.sectors`` (工贸行业类别): validated like scales and flags, invisible when empty."""

from __future__ import annotations

import pytest

from checklists.canonical import canonical_bytes, content_hash
from checklists.diff import diff_checklists
from checklists.errors import ChecklistError
from checklists.loading import parse_checklist

DEFINITION = """\
id: sample.sectors
version: "1.0.0"
title: 样例
industry: industrial_trade
applies_to: {scales: [small_micro], high_risk_flags: [dust_explosion]%s}
sections:
  - code: A
    title: 分组
    items:
      - {code: A-01, text: 检查内容, basis: [{document: 依据, article: 第一条}]}
"""
# The hash this definition had before ``sectors`` existed (computed with the previous schema):
# adding the field must not change the content hash of any version already published.
HASH_BEFORE_SECTORS = "2ded032e85e7f1e3d4d16237956ee5cbe02bc0c6fd3aa9ae7b2b0291515ab25c"


def load(sectors: str = ""):
    return parse_checklist(DEFINITION % sectors, "yaml", source="sample.yaml")


def problems(sectors: str) -> list[tuple[str, str]]:
    with pytest.raises(ChecklistError) as caught:
        load(sectors)
    return [(p.path, p.message) for p in caught.value.problems]


def test_unknown_sector_is_reported_at_its_index():
    (path, message), = problems(", sectors: [steel, metallurgy]")
    assert path == "applies_to.sectors[0]"
    assert "steel" in message


def test_sector_listed_twice_is_reported():
    assert [path for path, _ in problems(", sectors: [textile, tobacco, textile]")] == ["applies_to.sectors[2]"]


def test_known_sectors_load():
    assert load(", sectors: [metallurgy, nonferrous]").applies_to.sectors == ["metallurgy", "nonferrous"]


def test_no_sectors_keeps_the_published_hash():
    assert content_hash(load()) == HASH_BEFORE_SECTORS
    assert content_hash(load(", sectors: []")) == HASH_BEFORE_SECTORS
    assert b'"sectors"' not in canonical_bytes(load())


def test_sectors_change_the_hash_and_show_in_the_diff():
    with_sectors = load(", sectors: [machinery]")
    assert content_hash(with_sectors) != HASH_BEFORE_SECTORS
    changes = {c.field: (c.before, c.after) for c in diff_checklists(load(), with_sectors).header}
    assert changes["applies_to.sectors"][1] == "machinery"
