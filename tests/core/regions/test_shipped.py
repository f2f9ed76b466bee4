"""The shipped divisions: every province, city and county of the country, consistent with the codes."""

from __future__ import annotations

from collections import Counter

from core.regions.codes import is_region_code, parent_code, region_level
from core.regions.records import read_shipped_csv, shipped_region_files

PROVINCES = 31


def shipped_rows() -> list[dict[str, str]]:
    return [row for name in shipped_region_files() for row in read_shipped_csv(name)]


def test_every_province_ships_with_its_cities_and_counties():
    rows = shipped_rows()
    levels = Counter(row["level"] for row in rows)
    assert levels["province"] == PROVINCES
    assert levels["city"] >= 330 and levels["county"] >= 2900
    names = {row["code"]: row["name"] for row in rows}
    for code, name in (("370000", "山东省"), ("330000", "浙江省"), ("430000", "湖南省"), ("370102", "历下区"),
                       ("330106", "西湖区"), ("430104", "岳麓区"), ("510681", "广汉市"), ("110101", "东城区")):
        assert names.get(code) == name, code
    assert len(shipped_region_files()) == PROVINCES


def test_every_row_agrees_with_its_code_and_has_its_parent():
    rows = shipped_rows()
    codes = [row["code"] for row in rows]
    assert len(codes) == len(set(codes)), "a code ships twice"
    known = set(codes)
    for row in rows:
        code = row["code"]
        assert is_region_code(code) and len(code) == 6, code
        assert row["level"] == region_level(code), code
        assert (row["parent_code"] or None) == parent_code(code), code
        assert row["parent_code"] == "" or row["parent_code"] in known, code
        assert row["name"].strip() == row["name"] and row["name"], code
