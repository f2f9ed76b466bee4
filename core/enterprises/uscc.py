"""统一社会信用代码 (GB 32100-2015): format and check-character validation.

18 characters: registration authority (1) + organisation type (1) + region code (6) + subject
identifier (9) + check character (1). Some early real codes fail the check; callers decide whether
an admin may override (see ``enterprise_service``).
"""

from __future__ import annotations

import re

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUES = {ch: i for i, ch in enumerate(ALPHABET)}
_WEIGHTS = [pow(3, i, 31) for i in range(17)]
USCC_PATTERN = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")


class USCCError(ValueError):
    """Why a code is not a valid USCC, in English and Chinese; ``check_failed`` marks an overridable failure."""

    def __init__(self, message: str, message_zh: str, *, check_failed: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.message_zh = message_zh
        self.check_failed = check_failed


def check_character(first17: str) -> str:
    """The check character for the first 17 characters."""
    total = sum(_VALUES[ch] * w for ch, w in zip(first17, _WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def validate_uscc(code: str) -> str:
    """Return the code if valid; raise ``USCCError`` saying why not.

    Lower-case letters are refused rather than silently upper-cased: the code is an identifier
    printed on a licence and must be entered exactly.
    """
    if not isinstance(code, str) or len(code) != 18:
        raise USCCError(
            "must be exactly 18 characters", "统一社会信用代码应为18位"
        )
    if code != code.upper():
        raise USCCError(
            "must use upper-case letters", "统一社会信用代码中的字母应为大写"
        )
    if not USCC_PATTERN.match(code):
        raise USCCError(
            "contains characters not allowed by GB 32100-2015 (I, O, Z, S, V are never used)",
            "统一社会信用代码含有不允许的字符（不使用I、O、Z、S、V），或第3-8位不是行政区划代码",
        )
    expected = check_character(code[:17])
    if code[17] != expected:
        raise USCCError(
            f"check character should be {expected!r}, not {code[17]!r}",
            f"校验码错误：应为 {expected}，实为 {code[17]}",
            check_failed=True,
        )
    return code


def organisation_code_check(first8: str) -> str:
    """GB 11714 check character of the 9-character subject identifier (positions 9–17)."""
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(_VALUES[ch] * w for ch, w in zip(first8, weights, strict=True))
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def make_uscc(authority: str, org_type: str, region_code: str, subject8: str) -> str:
    """Compose a valid USCC (used by the demo data and tests)."""
    body = authority + org_type + region_code + subject8 + organisation_code_check(subject8)
    return body + check_character(body)
