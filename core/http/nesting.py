"""How deep a request body nests, read from its raw bytes before any decoder sees them.

msgspec (and so litestar) decodes recursively, one C stack frame per level, and gives up with
RecursionError near Python's recursion limit: a body nested ~1,000 deep was a 500 on every route
that reads one. No request the server serves nests anywhere near ``MAX_DEPTH``; a body that does
is refused with 400 ``too_deep`` before it is decoded.

No decoder in use offers a depth limit (msgspec, litestar), hence these scans. Both are exact for
well-formed input; malformed input is left to the decoder, which names the error.
"""

from __future__ import annotations

import itertools
import re
from array import array

from core.errors import InvalidInput

MAX_DEPTH = 64
"""Containers (objects/maps, arrays) inside one another that a request body may hold."""

# --- JSON: brackets outside strings, by C-speed byte operations -----------------------------------

_SQUARE = bytes.maketrans(b"{}", b"[]")
_NOT_STRUCTURE = bytes(b for b in range(256) if b not in b'[]{}"')
_STRING = re.compile(rb'"[^"]*"')
_STEP = bytes.maketrans(b"[]", b"\x01\xff")  # +1 / -1 as signed bytes
_PEELS = 8  # rounds of removing innermost pairs: a usual body is gone after about five


def json_too_deep(body: bytes, limit: int = MAX_DEPTH) -> bool:
    """Whether the JSON ``body`` nests deeper than ``limit``.

    Escaped backslashes and quotes are dropped first, so every quote left delimits a string. The
    body is then cut down to its quotes and brackets (``bytes.translate``: about 0.5 ns a byte),
    strings without brackets (nearly all of them) vanish as empty quote pairs, and the few left
    are removed with their contents. What remains is the bare bracket structure: innermost pairs
    are peeled off a few times, and only what survives (a deep or a malformed body) is summed up.
    """
    if b"\\" in body:
        body = body.replace(b"\\\\", b"").replace(b'\\"', b"")
    skeleton = body.translate(_SQUARE, _NOT_STRUCTURE).replace(b'""', b"")
    if b'"' in skeleton:
        skeleton = _STRING.sub(b"", skeleton)
    run = b"[" * (limit + 1)
    peels = min(_PEELS, limit)
    for peeled in range(peels):
        if not skeleton:
            return False
        if run[peeled:] in skeleton:
            return True  # that many opening brackets in a row, below ``peeled`` levels taken off
        skeleton = skeleton.replace(b"[]", b"")
    if not skeleton:
        return False
    # Each round of peeling lowered the deepest point by one.
    return max(itertools.accumulate(array("b", skeleton.translate(_STEP)))) + peels > limit


# --- MessagePack: a walk over the headers ---------------------------------------------------------


def _scalar_sizes() -> tuple[int, ...]:
    """Bytes taken by a value whose first byte alone gives its size; 0: a container or length-prefixed."""
    sizes = [0] * 256
    for head in (*range(0x00, 0x80), *range(0xE0, 0x100), 0xC0, 0xC2, 0xC3):
        sizes[head] = 1  # fixint, nil, false, true
    for head in range(0xA0, 0xC0):
        sizes[head] = 1 + head - 0xA0  # fixstr
    fixed = {0xCA: 5, 0xCB: 9, 0xCC: 2, 0xCD: 3, 0xCE: 5, 0xCF: 9, 0xD0: 2, 0xD1: 3, 0xD2: 5, 0xD3: 9, 0xD4: 3, 0xD5: 4, 0xD6: 6, 0xD7: 10, 0xD8: 18}
    for head, size in fixed.items():
        sizes[head] = size  # floats, sized ints, fixext
    return tuple(sizes)


def _small_container_children() -> tuple[int, ...]:
    """Values held by a fixmap (its keys too) or fixarray, by header byte; 0 otherwise (or empty)."""
    children = [0] * 256
    for head in range(0x80, 0x90):
        children[head] = 2 * (head - 0x80)
    for head in range(0x90, 0xA0):
        children[head] = head - 0x90
    return tuple(children)


_SCALAR_SIZE = _scalar_sizes()
_SMALL_CHILDREN = _small_container_children()
_STR8 = 0xD9  # the one length-prefixed kind common enough to be skipped inline (text over 31 bytes)
# str/bin/ext 8, 16, 32: header byte -> (bytes of the length, bytes between length and payload)
_LENGTH_PREFIXED = {0xD9: (1, 0), 0xC4: (1, 0), 0xC7: (1, 1), 0xDA: (2, 0), 0xC5: (2, 0), 0xC8: (2, 1),
                    0xDB: (4, 0), 0xC6: (4, 0), 0xC9: (4, 1)}
# array/map 16, 32: header byte -> (bytes of the count, values per counted entry)
_WIDE_CONTAINERS = {0xDC: (2, 1), 0xDD: (4, 1), 0xDE: (2, 2), 0xDF: (4, 2)}


def msgpack_too_deep(body: bytes, limit: int = MAX_DEPTH) -> bool:
    """Whether the MessagePack ``body`` nests deeper than ``limit``.

    MessagePack marks no container's end, only how many values it holds, so this walks every
    value's header, skipping payloads by their length; a map's keys count as its values (a key may
    be a container). A pure-Python walk: no library at hand walks MessagePack without decoding it.
    """
    size, small = _SCALAR_SIZE, _SMALL_CHILDREN
    at = 0
    depth = 0  # containers open around the next value
    left = 1  # values still to come in the innermost open container (the body: one value)
    enclosing: list[int] = []  # the same for each container around it
    try:
        while True:
            head = body[at]
            step = size[head]
            if step:
                at += step
            elif head == _STR8:
                at += 2 + body[at + 1]
            else:
                if children := small[head]:
                    # Most containers of a record (an answer, a GPS fix) hold only short scalars and
                    # str8 text: skipped here, inline, without the stack (a third of the walk's time).
                    end = at + 1
                    for _ in range(children):
                        inner = body[end]
                        if inner_step := size[inner]:
                            end += inner_step
                        elif inner == _STR8:
                            end += 2 + body[end + 1]
                        else:
                            at += 1  # a container inside: walked value by value below
                            break
                    else:
                        at = end
                        children = 0  # done with it: a level below this one, like an empty one
                elif 0x80 <= head <= 0x9F:  # an empty fixmap or fixarray
                    at += 1
                elif head in _WIDE_CONTAINERS:
                    width, per_entry = _WIDE_CONTAINERS[head]
                    children = int.from_bytes(body[at + 1 : at + 1 + width], "big") * per_entry
                    at += 1 + width
                elif head in _LENGTH_PREFIXED:
                    width, between = _LENGTH_PREFIXED[head]
                    at += 1 + width + between + int.from_bytes(body[at + 1 : at + 1 + width], "big")
                    children = -1  # not a container
                else:
                    return False  # 0xC1, never used: malformed, the decoder says so
                if children > 0:
                    enclosing.append(left - 1)
                    left = children
                    depth += 1
                    if depth > limit:
                        return True
                    continue
                if children == 0 and depth >= limit:
                    return True  # a container (empty, or of scalars only) one level too deep
            left -= 1
            while not left:
                if not enclosing:
                    return False  # the one value is complete (trailing bytes: the decoder's to refuse)
                left = enclosing.pop()
                depth -= 1
    except IndexError:
        return False  # truncated: malformed, the decoder says so


def too_deep(limit: int = MAX_DEPTH) -> InvalidInput:
    """The refusal of a body nested deeper than ``limit``."""
    return InvalidInput(
        f"request body nests deeper than {limit} levels", f"请求数据嵌套超过 {limit} 层，已拒绝", code="too_deep",
        extra={"max_depth": limit},
    )


def refuse_deep(body: bytes, *, msgpack: bool, limit: int = MAX_DEPTH) -> None:
    """Raise 400 ``too_deep`` when ``body`` (JSON, or MessagePack) nests deeper than ``limit``."""
    if len(body) > limit and (msgpack_too_deep(body, limit) if msgpack else json_too_deep(body, limit)):
        raise too_deep(limit)
