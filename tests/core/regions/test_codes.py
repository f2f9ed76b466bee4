"""Region code arithmetic for six-digit GB/T 2260 codes and nine-digit townships."""

from __future__ import annotations

import pytest

from core.regions.codes import in_subtree, is_region_code, parent_code, region_level, subtree_prefix


@pytest.mark.parametrize(
    ("code", "level", "parent", "prefix"),
    [
        ("510000", "province", None, "51"),
        ("510600", "city", "510000", "5106"),
        ("510681", "county", "510600", "510681"),
        ("510681001", "township", "510681", "510681001"),
        ("510681100", "township", "510681", "510681100"),  # ends in 00 but is no city: nine digits
        ("510681200", "township", "510681", "510681200"),
        ("441900003", "township", "441900", "441900003"),  # 东莞市 has streets and no counties
    ],
)
def test_levels_parents_and_prefixes(code, level, parent, prefix):
    assert is_region_code(code)
    assert (region_level(code), parent_code(code), subtree_prefix(code)) == (level, parent, prefix)


@pytest.mark.parametrize("code", ["51068", "5106810", "51068100", "5106810011", "000000", "00000000x", "abcdef", "510681 01"])
def test_malformed_codes_are_refused(code):
    assert not is_region_code(code)


def test_a_township_lies_in_its_county_city_and_province_but_not_beside_them():
    township = "510681001"
    for root in ("510681", "510600", "510000", township, None):
        assert in_subtree(township, root)
    for root in ("510682", "510681002", "510700", "520000"):
        assert not in_subtree(township, root)
    assert not in_subtree("510681", township), "the county is above the township, not inside it"
    assert in_subtree("441900003", "441900")
