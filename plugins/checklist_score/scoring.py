"""Checklist score (检查表评分): a submission's weighted score on its pinned checklist version.

Each item is worth its ``points``. A passed item earns them, a failed item loses them, a
not-applicable item leaves the maximum. A failed major-hazard item (重大事故隐患) is flagged as a
veto whatever the score. Optional items left unanswered leave the maximum too (and are listed);
a required item left unanswered is an input error, since scoring it either way would be a guess.
"""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

from checklists.schema import Checklist, Item
from plugins.evaluator import Deduction, EvaluationInputError, EvaluationResult, Veto, fmt, round2

Outcome = Literal["pass", "fail", "na"]


class ItemAnswer(msgspec.Struct, forbid_unknown_fields=True, kw_only=True, frozen=True):
    """An inspector's answer to one item.

    ``status``: pass / fail / na (``pass_fail`` items need it). ``value``: the measured number of a
    ``number`` item; outside the item's ``[min, max]`` it is a fail. ``text``: the finding.
    """

    status: Annotated[Outcome | None, msgspec.Meta(description="pass / fail / na")] = None
    value: Annotated[float | None, msgspec.Meta(description="measured value (number items)")] = None
    text: str | None = None


class ChecklistScoreInput(msgspec.Struct, forbid_unknown_fields=True, kw_only=True, frozen=True):
    """The pinned checklist version and the answers keyed by item code."""

    checklist: Checklist
    answers: dict[str, ItemAnswer]


def _field(code: str, name: str | None = None) -> str:
    path = f"answers[{msgspec.json.encode(code).decode()}]"
    return f"{path}.{name}" if name else path


def item_outcome(item: Item, answer: ItemAnswer) -> tuple[Outcome, str]:
    """The outcome of one answered item and, for a fail, the reason."""
    code, kind = item.code, item.answer.kind
    if answer.status == "na":
        if not item.answer.allow_na:
            raise EvaluationInputError(
                _field(code, "status"),
                "this item may not be answered 'not applicable'",
                "该检查项不允许选择“不适用”",
            )
        return "na", ""
    if kind == "number":
        if answer.value is None:
            raise EvaluationInputError(
                _field(code, "value"),
                "a number item needs its measured value",
                "数值型检查项需要填写测量值",
            )
        low, high = item.answer.min, item.answer.max
        unit = item.answer.unit
        if (low is not None and answer.value < low) or (high is not None and answer.value > high):
            low_text = fmt(low) if low is not None else "-∞"
            high_text = fmt(high) if high is not None else "+∞"
            bounds = f"[{low_text}, {high_text}]"
            return "fail", f"测量值 {fmt(answer.value)}{unit} 超出允许范围 {bounds}{unit}"
        if answer.status == "fail":
            return "fail", "检查人员判定不合格"
        return "pass", ""
    if kind == "pass_fail" and answer.status is None:
        raise EvaluationInputError(
            _field(code, "status"),
            "a pass/fail item needs status pass, fail or na",
            "合格/不合格型检查项需要选择合格、不合格或不适用",
        )
    if answer.status == "fail":
        return "fail", "不符合要求"
    return "pass", ""


class ChecklistScoreEvaluator:
    """Scores a submission against the checklist version it pinned."""

    id = "checklist.score"
    title = "检查表评分"
    version = "1.0.0"
    input_type = ChecklistScoreInput

    def evaluate(self, input: ChecklistScoreInput) -> EvaluationResult:
        """Earned points over applicable points; failed major-hazard items become vetoes."""
        items = {item.code: item for item in input.checklist.items()}
        for code in input.answers:
            if code not in items:
                raise EvaluationInputError(
                    _field(code),
                    f"the checklist has no item {code!r}",
                    f"检查表中没有检查项 {code}",
                )
        score = maximum = na_points = 0.0
        deductions: list[Deduction] = []
        vetoes: list[Veto] = []
        counts = {"pass": 0, "fail": 0, "na": 0, "unanswered": 0}
        unanswered: list[str] = []
        outcomes: dict[str, str] = {}
        for code, item in items.items():
            answer = input.answers.get(code)
            if answer is None:
                if item.required:
                    raise EvaluationInputError(
                        _field(code), "a required item is unanswered", "必答检查项未作答"
                    )
                counts["unanswered"] += 1
                unanswered.append(code)
                outcomes[code] = "unanswered"
                continue
            outcome, reason = item_outcome(item, answer)
            counts[outcome] += 1
            outcomes[code] = outcome
            if outcome == "na":
                na_points += item.points
                continue
            maximum += item.points
            if outcome == "pass":
                score += item.points
                continue
            if answer.text:
                reason = f"{reason}：{answer.text}"
            if item.points:
                deductions.append(Deduction(item=code, points=item.points, reason=reason))
            if item.major_hazard:
                vetoes.append(Veto(item=code, reason=f"重大事故隐患：{item.text}"))
        percent = round2(score / maximum * 100) if maximum else None
        checklist = input.checklist
        lines = [
            f"检查表《{checklist.title}》（{checklist.id} 版本 {checklist.version}）",
            f"合格 {counts['pass']} 项，不合格 {counts['fail']} 项，不适用 {counts['na']} 项"
            + (f"，未作答（选答）{counts['unanswered']} 项" if counts["unanswered"] else ""),
            f"得分 {fmt(score)} / 应得分 {fmt(maximum)}"
            + (f"（不适用项 {fmt(na_points)} 分不计入）" if na_points else "")
            + (f"，得分率 {fmt(percent)}%" if percent is not None else "，无可计分项"),
        ]
        lines += [f"扣分：{d.item} 扣 {fmt(d.points)} 分（{d.reason}）" for d in deductions]
        lines += [f"否决：{v.item} {v.reason}" for v in vetoes]
        return EvaluationResult(
            evaluator=self.id,
            evaluator_version=self.version,
            score=round2(score),
            maximum=round2(maximum),
            percent=percent,
            grade="major_hazard" if vetoes else None,
            grade_label="存在重大事故隐患" if vetoes else None,
            deductions=deductions,
            vetoes=vetoes,
            explanation=lines,
            details={
                "checklist_id": checklist.id,
                "checklist_version": checklist.version,
                "counts": counts,
                "not_applicable_points": round2(na_points),
                "unanswered": unanswered,
                "outcomes": outcomes,
                "major_hazards": [v.item for v in vetoes],
            },
        )
