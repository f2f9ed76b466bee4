"""Every problem of a rejected record at once, so a tablet's user fixes a submission in one round
trip instead of one problem per push.

Checks append what they find to a list instead of raising at the first; ``raise_all`` then raises
one error for the lot. That error *is* the first problem (its code, field and messages), so a
client reading only the top-level ``code``/``field`` sees what it always saw, and its ``problems``
carry the rest (``PushResult.problems``, ``docs/sync.md``).
"""

from __future__ import annotations

import re

from core.errors import AppError, InvalidInput
from sync.codec import field_path
from sync.wire import Problem

_INVALID_FIELD = re.compile(r"invalid field `([^`]*)`")


class RecordProblems(InvalidInput):
    """Several problems of one record; the error's own code, field and status are the first's."""

    def __init__(self, problems: list[AppError]) -> None:
        first = problems[0]
        super().__init__(
            first.message, first.message_zh, field=first.field, code=first.code,
            extra={**first.extra, "problems": [problem.to_body() for problem in problems]},
        )
        self.status_code = first.status_code
        self.problems = problems


def raise_all(problems: list[AppError]) -> None:
    """Raise the problems found, if any: a lone one as itself, several as ``RecordProblems``."""
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise RecordProblems(problems)


def problems_of(error: AppError) -> list[Problem]:
    """The problems an error stands for, in the form a push result carries them."""
    found = error.problems if isinstance(error, RecordProblems) else [error]
    return [Problem(code=p.code, field=p.field, message=p.message, message_zh=p.message_zh) for p in found]


def error_path(message: str) -> str | None:
    """The dotted path of a msgspec decoding error: where msgspec says, and below it the field a
    record's own check named (``invalid field `found_at```, from ``core.wire.invalid_field``) or an
    unknown field."""
    path = field_path(message) or _unknown_field(message)
    named = _INVALID_FIELD.search(message)
    if named:
        return f"{path}.{named.group(1)}" if path else named.group(1)
    return path


def _unknown_field(message: str) -> str | None:
    if "unknown field `" in message:
        return message.split("unknown field `", 1)[1].split("`", 1)[0]
    if "tag" in message.lower() and "kind" in message:
        return "kind"
    return None
