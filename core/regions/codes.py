"""行政区划代码 (GB/T 2260) arithmetic: levels, parents and the prefix that selects a subtree."""

from __future__ import annotations

import re

_CODE = re.compile(r"^\d{6}$")


def is_region_code(code: str) -> bool:
    """Six digits, not all zero at the province level."""
    return isinstance(code, str) and bool(_CODE.match(code)) and code[:2] != "00"


def region_level(code: str) -> str:
    """``province`` (xx0000), ``city`` (xxxx00) or ``county``."""
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
    """The parent region's code by the numbering rules (None for a province)."""
    level = region_level(code)
    if level == "province":
        return None
    if level == "city":
        return code[:2] + "0000"
    return code[:4] + "00"
