"""The minimum password policy: 10 characters, not all of one kind, not a common password.

Why these three: ``12345678``, ``password`` and eight spaces were accepted, and a guesser tries the
most common passwords first (the lockout allows a few guesses per address, and addresses are
cheap). Length and a second kind of character stop the keyboard walks and repeated characters;
the shipped list (``common_passwords.txt``, where it came from is in its header) stops the popular
choices, also when digits or symbols are only added around one (``Password2024!``).

Applied wherever a password is set: user creation (API, ``anjian user create``, the demo) and a
password change. Refusals are ``400 weak_password`` on the field ``password``, with the reason in
Chinese and English.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from importlib import resources

from core.errors import InvalidInput

MIN_LENGTH = 10
_LIST = "common_passwords.txt"
_SYMBOLS_AROUND = re.compile(r"^[\W_]+|[\W_]+$")
_DIGITS_AND_SYMBOLS_AROUND = re.compile(r"^[\W\d_]+|[\W\d_]+$")


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list of common passwords, lower-case."""
    text = resources.files("core.access").joinpath(_LIST).read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def _kind(char: str) -> str:
    if char.islower():
        return "lower"
    if char.isupper():
        return "upper"
    if char.isdigit():
        return "digit"
    if char.isalpha():
        return "letter"  # letters without case, such as Chinese characters
    return "symbol"  # punctuation, spaces and everything else


def weakness(password: str) -> tuple[str, str] | None:
    """Why ``password`` is too weak, as (English, Chinese); None when it meets the policy."""
    if len(password) < MIN_LENGTH:
        return f"password must be at least {MIN_LENGTH} characters long", f"密码至少需要 {MIN_LENGTH} 个字符"
    if len({_kind(char) for char in password}) < 2:
        return (
            "password must mix at least two kinds of characters (lower-case letters, upper-case letters, digits, symbols)",
            "密码不能只由同一类字符组成，请组合使用小写字母、大写字母、数字或符号",
        )
    lowered = unicodedata.normalize("NFKC", password).strip().lower()
    candidates = {lowered, _SYMBOLS_AROUND.sub("", lowered), _DIGITS_AND_SYMBOLS_AROUND.sub("", lowered)}
    if candidates & common_passwords():
        return "password is too common and easily guessed; choose another", "密码过于常见，容易被猜中，请换一个"
    return None


def check_password(password: str, field: str = "password") -> None:
    """Raise ``400 weak_password`` naming ``field`` when ``password`` does not meet the policy."""
    reason = weakness(password)
    if reason is not None:
        message, message_zh = reason
        raise InvalidInput(message, message_zh, field=field, code="weak_password")
