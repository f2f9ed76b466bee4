"""统一社会信用代码 validation (GB 32100-2015)."""

import pytest

from core.enterprises.uscc import USCCError, check_character, make_uscc, validate_uscc

# Real codes published on public licences (check characters verified by the GB 32100 algorithm).
VALID = ["91350100M000100Y43", "91110000600037341L", "9144030071526726XG"]


@pytest.mark.parametrize("code", VALID)
def test_valid_codes_pass(code):
    assert validate_uscc(code) == code


def test_generated_codes_pass_and_check_character_is_the_weighted_sum():
    code = make_uscc("9", "1", "510681", "MA6C1234")
    assert validate_uscc(code) == code
    # Hand computation for the first published example: sum of value*weight mod 31.
    assert check_character("91350100M000100Y4") == "3"


def test_bad_check_character_is_refused_and_marked_overridable():
    code = VALID[0][:-1] + ("4" if VALID[0][-1] != "4" else "5")
    with pytest.raises(USCCError) as info:
        validate_uscc(code)
    assert info.value.check_failed
    assert "校验码" in info.value.message_zh


@pytest.mark.parametrize("code", ["91350100M000100Y4", "91350100M000100Y433", ""])
def test_wrong_length_is_refused(code):
    with pytest.raises(USCCError) as info:
        validate_uscc(code)
    assert not info.value.check_failed
    assert "18" in info.value.message_zh


def test_lowercase_is_refused_not_silently_fixed():
    with pytest.raises(USCCError) as info:
        validate_uscc("9144030071526726xg")
    assert "大写" in info.value.message_zh


@pytest.mark.parametrize("code", ["91350100M000100YI3", "9135010OM000100Y43", "91ABCDEFM000100Y43"])
def test_forbidden_characters_and_non_numeric_region_are_refused(code):
    with pytest.raises(USCCError) as info:
        validate_uscc(code)
    assert not info.value.check_failed
