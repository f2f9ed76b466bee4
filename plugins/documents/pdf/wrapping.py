"""Breaking text into lines of a given width, the way Chinese documents break.

Any two hanzi may part; a Latin word or number (``GB 2312-80``, ``91510681MA6XXXXX0Q``, ``12.5℃``) stays
whole unless it alone is wider than the line; a line never begins with closing punctuation (，。、）》
…) nor ends with opening punctuation (（《“〔…): the character before moves down with it (避头尾).
Spaces at a break are dropped; nothing else ever is — a test joins the lines back to the text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate

from plugins.documents.pdf.fonts import char_width
from plugins.documents.pdf.fonts import widths as widths_of

NO_START = frozenset("，。、；：？！）》」』】〕〉’”…—·%‰℃,.;:?!)]}>、")
NO_END = frozenset("（《「『【〔〈‘“([{<")
_WORD = r"[A-Za-z0-9_.\-/:@#+%&'=~]"
_TOKEN = re.compile(rf"[^{_WORD[1:-1]}]|{_WORD}+", re.S)  # any one other character, or a Latin word or number
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")
_EPSILON = 0.01


def clean(text: str) -> str:
    """Tabs as spaces, CR/LF as one line break, other control characters dropped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return _CONTROL.sub("", text)


def _tokens(text: str, width: float) -> tuple[list[str], list[float]]:
    """Latin words and numbers as one token each (split into characters when wider than ``width``),
    every other character alone; and their widths in em."""
    tokens = _TOKEN.findall(text)
    known = widths_of()
    widths = [known.get(t) or _width(t) for t in tokens]
    if max(widths, default=0.0) > width:
        tokens = [part for t, w in zip(tokens, widths, strict=True) for part in (t if w > width else (t,))]
        widths = [known.get(t) or _width(t) for t in tokens]
    return tokens, widths


def _width(token: str) -> float:
    return sum(map(char_width, token))


def wrap(text: str, width: float, size: float, first_indent: float = 0.0) -> list[str]:
    """The lines of ``text`` (hard breaks kept) no wider than ``width`` points at ``size``; the first
    line ``first_indent`` narrower. An empty text is one empty line."""
    lines: list[str] = []
    for paragraph in clean(text).split("\n"):
        lines.extend(_wrap_paragraph(paragraph, width / size, first_indent / size if not lines else 0.0))
    return lines


def _wrap_paragraph(text: str, width: float, indent: float) -> list[str]:
    """One paragraph, greedily; ``width`` and ``indent`` in em (points / size). Each line's end is found
    by bisecting the running widths (a document wraps some hundred table cells: this is its hot path)."""
    width = max(width, 1.0)  # never narrower than one character: every line takes at least one
    tokens, widths = _tokens(text, width - indent)  # a word too wide for the (first) line is cut by character
    ends = list(accumulate(widths))  # ends[k]: width of tokens[0..k]
    if not ends or ends[-1] <= width - indent + _EPSILON:
        return [text.rstrip(" ")]
    lines: list[str] = []
    count = len(tokens)
    start = 0
    room = width - indent
    while start < count:
        base = ends[start - 1] if start else 0.0
        stop = bisect_right(ends, base + room + _EPSILON, lo=start)  # tokens[start:stop] fit
        if stop >= count:
            lines.append("".join(tokens[start:]).rstrip(" "))
            break
        if tokens[stop] == " ":  # break at the space, which goes
            cut, after = stop, stop + 1
        else:
            cut = stop  # the next line starts here: with the character before a closing mark, after an opening one
            while cut - start > 1 and tokens[cut][0] in NO_START:
                cut -= 1  # back over a run of closing marks (）。) and the character they follow
            while cut - start > 1 and tokens[cut - 1][-1] in NO_END:
                cut -= 1
            if cut < stop and ends[stop] - ends[cut - 1] > width + _EPSILON:
                cut = stop  # what would move down does not fit a line either: break plainly
            if cut == start:  # the first token of a line and it does not fit: it takes the line alone
                cut = start + 1
            after = cut
        lines.append("".join(tokens[start:cut]).rstrip(" "))
        start, room = after, width
        while start < count and tokens[start] == " ":
            start += 1  # no space at the start of a wrapped line
    return lines or [""]
