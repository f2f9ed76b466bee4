"""NUL characters (U+0000) are refused at the edge, naming where they were.

PostgreSQL stores no U+0000 in text, varchar or jsonb (it refuses the whole statement), so every
such value was a 500 there, and SQLite would have kept what PostgreSQL cannot. No request has a
use for one: bodies, query and path parameters holding one get 400 ``nul_character`` with the
field path; a tablet's record holding one is that record's rejection (``sync.codec``), kept in
quarantine through ``without_nul``.
"""

from __future__ import annotations

from typing import Any

import msgspec

from core.errors import InvalidInput

NUL = "\x00"
JSON_NUL = b"\\u0000"
"""The only way JSON spells U+0000 (a raw 0x00 byte in a string is malformed JSON)."""

Path = list[str | int]


def find_nul(value: Any) -> Path | None:
    """The path of the first key or string holding U+0000 in decoded data, or None.

    Bodies reaching this were checked for depth first (``core.http.nesting``)."""
    if isinstance(value, str):
        return [] if NUL in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and NUL in key:
                return [key]
            inner = find_nul(item)
            if inner is not None:
                return [key, *inner]
        return None
    if isinstance(value, list | tuple):
        for index, item in enumerate(value):
            inner = find_nul(item)
            if inner is not None:
                return [index, *inner]
    return None


def escape_nul(text: str) -> str:
    """``text`` with each U+0000 written as the six characters ``\\u0000`` (storable, readable)."""
    return text.replace(NUL, "\\u0000")


def bracket_path(path: Path) -> str:
    """``industries[1].name``: the spelling of API error fields (as msgspec's)."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{escape_nul(str(part))}" if out else escape_nul(str(part)))
    return out


def dotted_path(path: Path) -> str:
    """``answers.CC-1.note``, ``hazards.0.description``: the spelling of the tablet protocol."""
    return ".".join(escape_nul(str(part)) for part in path)


def nul_refused(field: str | None) -> InvalidInput:
    """400 ``nul_character`` naming ``field``."""
    where = f" in {field}" if field else ""
    where_zh = f"字段 {field} " if field else ""
    return InvalidInput(
        f"NUL character (U+0000){where} is not allowed", f"{where_zh}含有空字符（U+0000），不能保存，请删除后重试",
        field=field, code="nul_character",
    )


def refuse_nul(value: Any, *, prefix: str = "") -> None:
    """Raise 400 ``nul_character`` when decoded ``value`` holds U+0000 anywhere."""
    path = find_nul(value)
    if path is not None:
        field = bracket_path(path)
        raise nul_refused(f"{prefix}.{field}" if prefix and field else (prefix or field or None))


def without_nul(document: Any) -> Any:
    """``document`` unchanged when it holds no U+0000; else a storable stand-in that loses nothing:
    ``{"nul_character_at": path, "as_json": the document as JSON text}``. JSON writes U+0000 as
    the escape ``\\u0000``, so the text holds none, and decoding it gives the document back."""
    path = find_nul(document)
    if path is None:
        return document
    return {"nul_character_at": dotted_path(path), "as_json": msgspec.json.encode(document).decode()}


def is_nul_stand_in(value: Any) -> bool:
    """Whether ``value`` is what ``without_nul`` kept in place of a document holding U+0000."""
    return isinstance(value, dict) and set(value) == {"nul_character_at", "as_json"}
