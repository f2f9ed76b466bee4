"""Line breaking: nothing is lost, lines fit, and Chinese punctuation rules (避头尾) hold."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from plugins.documents.pdf.fonts import text_width
from plugins.documents.pdf.wrapping import NO_END, NO_START, clean, wrap

SIZE = 12.0
ALPHABET = "安全生产执法文书检查记录隐患整改，。、；：（）《》“”〔〕0123456789ABCxyz -./%℃"


def _same_text(lines: list[str], text: str) -> bool:
    return "".join(lines).replace(" ", "") == clean(text).replace("\n", "").replace(" ", "")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=400), st.floats(min_value=5, max_value=500), st.floats(min_value=0, max_value=0.5))
def test_wrapping_never_loses_a_character_and_lines_fit(text: str, width: float, indent_share: float) -> None:
    indent = width * indent_share
    lines = wrap(text, width, SIZE, first_indent=indent)
    assert lines
    assert _same_text(lines, text)
    for number, line in enumerate(lines):
        room = max(width, SIZE) - (indent if number == 0 else 0)
        if len(line.replace(" ", "")) > 2:  # one token (or a carried pair) may exceed a line narrower than itself
            assert text_width(line, SIZE) <= max(room, SIZE * 2) + 0.5, (line, room)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200), st.floats(min_value=1, max_value=300))
def test_any_unicode_text_wraps_without_loss(text: str, width: float) -> None:
    lines = wrap(text, width, SIZE)
    assert _same_text(lines, text)


def test_closing_punctuation_never_starts_a_line_nor_opening_ends_one() -> None:
    text = "本次检查发现问题三处，已当场告知（见附页）。依据《安全生产法》第四十一条，责令改正。" * 6
    for width in range(60, 300, 7):
        lines = wrap(text, width, SIZE)
        assert _same_text(lines, text)
        for line in lines[1:]:
            assert line[0] not in NO_START, (width, line)
        for line in lines[:-1]:
            assert line[-1] not in NO_END, (width, line)


def test_latin_words_and_numbers_stay_whole() -> None:
    lines = wrap("统一社会信用代码 91510681MA6BQXH17U 见 GB/T 2260-2007 规定", 13 * SIZE, SIZE)
    assert any("91510681MA6BQXH17U" in line for line in lines)
    assert any("2260-2007" in line for line in lines)


def test_hard_breaks_and_the_first_line_indent() -> None:
    assert wrap("第一行\n第二行", 500, SIZE) == ["第一行", "第二行"]
    assert wrap("", 100, SIZE) == [""]
    lines = wrap("一二三四五六七八九十", 10 * SIZE, SIZE, first_indent=2 * SIZE)
    assert lines == ["一二三四五六七八", "九十"]


def test_a_token_wider_than_the_line_is_cut_by_character() -> None:
    lines = wrap("X" * 100, 10 * SIZE, SIZE)
    assert "".join(lines) == "X" * 100
    assert len(lines) > 1
