"""Rules a checklist must follow that the msgspec schema cannot express.

Structure (types, required fields, known answer kinds, id and code forms) is checked by msgspec
when a definition is decoded; this module checks the meaning: codes unique, text not blank,
number ranges ordered, points adding up. Every rule reports the path of the offending value and
all problems are returned at once, so a department fixes a file in one pass.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

from checklists.schema import Checklist

# A problem before the file name is attached: (path, message, message_zh).
Finding = tuple[str, str, str]

_POINTS_TOLERANCE = 1e-6


def check_checklist(checklist: Checklist) -> list[Finding]:
    """Every semantic problem in ``checklist``, in document order; empty when it is valid."""
    return list(_findings(checklist))


def _blank(path: str, value: str) -> Iterator[Finding]:
    if not value.strip():
        yield path, "must not be blank", "不能为空白"


def _claim_code(seen: dict[str, str], code: str, path: str, kind: str, kind_zh: str) -> Iterator[Finding]:
    """Record where ``code`` is first used; a second use is a finding that names the first."""
    if code in seen:
        yield path, f"{kind} code `{code}` is already used at {seen[code]}", f"{kind_zh}编码 {code} 与 {seen[code]} 重复"
    else:
        seen[code] = path


def _same(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=0, abs_tol=_POINTS_TOLERANCE)


def _fmt(value: float) -> str:
    return f"{value:g}"


def _findings(checklist: Checklist) -> Iterator[Finding]:
    yield from _blank("title", checklist.title)
    for index, source in enumerate(checklist.sources):
        yield from _blank(f"sources[{index}].document", source.document)
    for field in ("scales", "high_risk_flags", "sectors", "enterprises"):
        values = getattr(checklist.applies_to, field)
        for index, value in enumerate(values):
            if value in values[:index]:
                yield (
                    f"applies_to.{field}[{index}]",
                    f"`{value}` is listed twice",
                    f"{value} 重复列出",
                )
    if not checklist.sections:
        yield "sections", "a checklist needs at least one section", "检查表至少需要一个分组"

    section_codes: dict[str, str] = {}
    item_codes: dict[str, str] = {}
    total = 0.0
    for s_index, section in enumerate(checklist.sections):
        s_path = f"sections[{s_index}]"
        yield from _claim_code(section_codes, section.code, f"{s_path}.code", "section", "分组")
        yield from _blank(f"{s_path}.title", section.title)
        if not section.items:
            yield f"{s_path}.items", "a section needs at least one item", "分组至少需要一个检查项"

        section_sum = 0.0
        for i_index, item in enumerate(section.items):
            i_path = f"{s_path}.items[{i_index}]"
            yield from _claim_code(item_codes, item.code, f"{i_path}.code", "item", "检查项")
            yield from _blank(f"{i_path}.text", item.text)
            if not item.basis:
                yield (
                    f"{i_path}.basis",
                    "every item cites at least one legal basis",
                    "每个检查项至少需要一条依据",
                )
            for b_index, basis in enumerate(item.basis):
                yield from _blank(f"{i_path}.basis[{b_index}].document", basis.document)
            yield from _answer_findings(f"{i_path}.answer", item.answer)
            section_sum += item.points

        if section.points is not None and not _same(section.points, section_sum):
            yield (
                f"{s_path}.points",
                f"section points {_fmt(section.points)} differ from the sum of its items' "
                f"points {_fmt(section_sum)}",
                f"分组分值 {_fmt(section.points)} 与其检查项分值之和 {_fmt(section_sum)} 不一致",
            )
        total += section_sum

    if checklist.total_points is not None and not _same(checklist.total_points, total):
        yield (
            "total_points",
            f"total_points {_fmt(checklist.total_points)} differs from the sum of all items' "
            f"points {_fmt(total)}",
            f"总分 {_fmt(checklist.total_points)} 与全部检查项分值之和 {_fmt(total)} 不一致",
        )


def _answer_findings(path: str, answer) -> Iterator[Finding]:  # noqa: ANN001 - schema.Answer
    if answer.kind == "number":
        for bound in ("min", "max"):
            value = getattr(answer, bound)
            if value is not None and not math.isfinite(value):
                yield f"{path}.{bound}", "must be a finite number", "必须是有限数值"
        if (
            answer.min is not None
            and answer.max is not None
            and math.isfinite(answer.min)
            and math.isfinite(answer.max)
            and answer.min > answer.max
        ):
            yield (
                f"{path}.min",
                f"min {_fmt(answer.min)} is greater than max {_fmt(answer.max)}",
                f"下限 {_fmt(answer.min)} 大于上限 {_fmt(answer.max)}",
            )
    else:
        for bound in ("min", "max", "unit"):
            value = getattr(answer, bound)
            if value not in (None, ""):
                yield (
                    f"{path}.{bound}",
                    f"`{bound}` applies only to number answers, this answer is `{answer.kind}`",
                    f"{bound} 仅适用于数值型（number）答案，本项答案类型为 {answer.kind}",
                )
