"""Response bodies of regions, request and response bodies of grids."""

from __future__ import annotations

from typing import Annotated

import msgspec

from core.wire import In, RegionCode, Short


class RegionOut(msgspec.Struct, kw_only=True):
    code: str
    name: str
    parent_code: str | None
    level: str


class GridIn(In):
    code: Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z0-9_-]{1,32}$")]
    region_code: RegionCode
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
    township: Short = ""
    responsible_person: Short = ""
    responsible_phone: Annotated[str, msgspec.Meta(max_length=32)] = ""


class GridOut(msgspec.Struct, kw_only=True):
    code: str
    region_code: str
    name: str
    township: str
    responsible_person: str
    responsible_phone: str
