"""What every API body shares: field types, strict request bodies, the page of a list, row conversion.

Table models are storage only; these are converted to and from explicitly.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Generic, TypeVar

import msgspec

T = TypeVar("T")

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Short = Annotated[str, msgspec.Meta(max_length=64)]
# Six digits (GB/T 2260: province, city, county) or nine (a township or street below its county).
RegionCode = Annotated[str, msgspec.Meta(pattern=r"^\d{6}(\d{3})?$", description="行政区划代码：GB/T 2260 六位（省、市、县）或九位（乡镇、街道）")]
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


def invalid_field(name: str, reason: str) -> ValueError:
    """The error a body's ``__post_init__`` raises about one of its fields: msgspec reports it as a
    validation error at the body's path, and ``core.errors.field_path_of`` appends ``name``."""
    return ValueError(f"invalid field `{name}`: {reason}")


def within_calendar(value: datetime) -> bool:
    """Whether ``value`` has a UTC form within years 1..9999. Every stored time is converted to UTC,
    and ``9999-12-31T23:59:59-14:00`` (valid ISO 8601) is in year 10000 there: neither Python's
    datetime nor a database column holds it, so such a time must be refused where it is decoded."""
    try:
        value.astimezone(UTC)
    except OverflowError:
        return False
    return True


def check_instants(body: object, *names: str) -> None:
    """Refuse (``invalid_field``) the first of ``body``'s time fields ``names`` outside the calendar;
    called from a body's ``__post_init__``, so decoding fails with the field's path."""
    for name in names:
        value = getattr(body, name)
        if value is not None and not within_calendar(value):
            raise invalid_field(name, f"{value.isoformat()} lies outside the years 1-9999 in UTC (时间超出公元1-9999年范围)")
