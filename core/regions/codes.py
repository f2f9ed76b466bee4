"""行政区划代码 arithmetic: levels, parents and the prefix that selects a subtree.

GB/T 2260 codes have six digits: province (2) + city (2) + county (2). Below a county, townships and
streets (乡镇、街道) carry the statistics' nine-digit codes: the county's six digits and three more
(``510681001``). A user's scope, a grid, a plan and an enterprise may sit at either length; every
code starts with the codes of all the divisions above it, so "in the subtree" stays "starts with".
"""

from __future__ import annotations

import re

_CODE = re.compile(r"^\d{6}(\d{3})?$")
REGION_CODE_PATTERN = r"^\d{6}(\d{3})?$"  # the same rule for request bodies and query parameters
TOWNSHIP_LENGTH = 9


def is_region_code(code: str) -> bool:
    """Six digits (province, city, county) or nine (township), not all zero at the province level."""
    return isinstance(code, str) and bool(_CODE.match(code)) and code[:2] != "00"


def is_township(code: str) -> bool:
    """Whether ``code`` is a nine-digit township or street code."""
    return len(code) == TOWNSHIP_LENGTH


def region_level(code: str) -> str:
    """``province`` (xx0000), ``city`` (xxxx00), ``county`` or ``township`` (nine digits)."""
    if is_township(code):
        return "township"
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "city"
    return "county"


def subtree_prefix(code: str) -> str:
    """The code prefix shared by a region and everything under it."""
    level = region_level(code)
    return code[:2] if level == "province" else code[:4] if level == "city" else code


def in_subtree(code: str, root: str | None) -> bool:
    """Whether ``code`` is ``root`` or lies below it; ``root`` None means everywhere."""
    return root is None or code.startswith(subtree_prefix(root))


def parent_code(code: str) -> str | None:
    """The parent region's code by the numbering rules (None for a province).

    A township's parent is the six-digit division it starts with: its county, or the city itself
    for the cities without counties (东莞市 441900's streets are ``441900xxx``).
    """
    level = region_level(code)
    if level == "province":
        return None
    if level == "township":
        return code[:6]
    if level == "city":
        return code[:2] + "0000"
    return code[:4] + "00"
