"""Reading the fields of a console form: text without NUL characters, dates as local deadlines.

Form posts bypass the JSON decoding that guards the API's bodies, so the same refusals are made
here: a NUL character (PostgreSQL cannot store one) is a 400 naming the field, like the API's.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from litestar.datastructures import UploadFile

from core.errors import InvalidInput
from core.http.nul import NUL, nul_refused
from core.local_time import start_of_day


def text(form: Any, name: str) -> str:
    """A text field, stripped ("" when absent)."""
    value = form.get(name)
    if not isinstance(value, str):
        return ""
    if NUL in value:
        raise nul_refused(name)
    return value.strip()


def optional_text(form: Any, name: str) -> str | None:
    """A text field, or None when absent or blank."""
    return text(form, name) or None


def deadline(form: Any, name: str = "deadline") -> datetime | None:
    """A date field (YYYY-MM-DD) as a deadline: the end of that local day; None when blank."""
    value = text(form, name)
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError as exc:
        raise InvalidInput(f"{name} must be a date YYYY-MM-DD", "日期格式应为 年-月-日（如 2026-05-31）", field=name) from exc
    if not 2000 <= day.year <= 2100:
        raise InvalidInput(f"{name} must lie between 2000 and 2100", "日期应在2000年至2100年之间", field=name)
    return start_of_day(day + timedelta(days=1)) - timedelta(seconds=1)


def integer(form: Any, name: str) -> int | None:
    """A whole-number field, or None when blank."""
    value = text(form, name)
    if not value:
        return None
    if not value.lstrip("-").isdigit() or len(value) > 12:
        raise InvalidInput(f"{name} must be a whole number", "应为整数", field=name)
    return int(value)


def files(form: Any, name: str) -> list[UploadFile]:
    """The files chosen in a file field (an empty field sends one nameless empty part: skipped)."""
    values = form.getall(name, []) if hasattr(form, "getall") else [form.get(name)]
    return [value for value in values if isinstance(value, UploadFile) and value.filename]
