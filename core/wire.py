"""What every API body shares: field types, strict request bodies, the page of a list, row conversion.

Table models are storage only; these are converted to and from explicitly.
"""

from __future__ import annotations

from typing import Annotated, Generic, TypeVar

import msgspec

T = TypeVar("T")

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Short = Annotated[str, msgspec.Meta(max_length=64)]
RegionCode = Annotated[str, msgspec.Meta(pattern=r"^\d{6}$", description="GB/T 2260 六位行政区划代码")]
USCCField = Annotated[str, msgspec.Meta(min_length=1, max_length=32, description="统一社会信用代码 (GB 32100-2015)")]


class In(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """Request bodies refuse unknown fields: a misspelt field is an error, not silently dropped."""


class Page(msgspec.Struct, Generic[T]):
    """One page of a list: ``total`` counts only what the caller may see."""

    items: list[T]
    total: int
    page: int
    page_size: int


def to_out(record: object, out_type: type[T]) -> T:
    """Convert a table row to its response Struct (explicitly: ORM objects must not reach msgspec)."""
    return msgspec.convert(record.model_dump(), out_type)  # type: ignore[attr-defined]
