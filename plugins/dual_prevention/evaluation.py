"""Scoring an enterprise against a dual-prevention evaluation standard (双重预防机制评估).

Score = earned / applicable × 100, where a not-applicable item leaves the applicable total and an
item's deductions stop at its points. Every item must be assessed: the record states the finding
for each item, so silence is an input error, never full marks. A triggered veto item makes the
result 不合格 whatever the score. A veto item with a ``trigger`` is also triggered by the facts the
server supplies (``enterprise_facts``): an open listed major hazard (挂牌督办) is a veto.
"""

from __future__ import annotations

from typing import Annotated

import msgspec

from plugins.evaluator import SYSTEM_FACT_LABELS, Deduction, EnterpriseFacts, EvaluationInputError, EvaluationResult, Veto, fmt, round2

from .standard import Standard


class RuleFinding(msgspec.Struct, forbid_unknown_fields=True, kw_only=True, frozen=True):
    """One deduction rule that applied, how many times, and what was seen."""

    rule: str
    count: Annotated[int, msgspec.Meta(ge=1)] = 1
    note: str = ""


class ItemFinding(msgspec.Struct, forbid_unknown_fields=True, kw_only=True, frozen=True):
    """The assessment of one item: applicable or not, the finding, the deductions."""

    applicable: bool = True
    finding: str = ""
    deductions: list[RuleFinding] = msgspec.field(default_factory=list)


class VetoFinding(msgspec.Struct, forbid_unknown_fields=True, kw_only=True, frozen=True):
    """A triggered veto item (否决项) and what was seen."""

    code: str
    note: str = ""


class DualPreventionInput(msgspec.Struct, forbid_unknown_fields=True, kw_only=True, frozen=True):
    """Findings for every item of the standard, keyed by item code, and triggered veto items.

    ``enterprise_facts`` is filled by the server from its own records (never by the client).
    """

    items: dict[str, ItemFinding]
    vetoes: list[VetoFinding] = msgspec.field(default_factory=list)
    enterprise_facts: EnterpriseFacts | None = None


def _item_field(code: str, rest: str = "") -> str:
    return f"items[{msgspec.json.encode(code).decode()}]{rest}"


class DualPreventionEvaluator:
    """Evaluates against one standard (large_medium or small_micro, or an official table)."""

    input_type = DualPreventionInput

    def __init__(self, standard: Standard) -> None:
        self.standard = standard
        self.id = standard.id
        self.title = standard.title
        self.version = standard.version
        self.scale = standard.scale  # the host refuses an enterprise of the other scale

    def evaluate(self, input: DualPreventionInput) -> EvaluationResult:
        """Score every item, apply vetoes, grade the percent (rounded to 2 decimals)."""
        std = self.standard
        items = {item.code: item for item in std.items()}
        for code in input.items:
            if code not in items:
                raise EvaluationInputError(
                    _item_field(code),
                    f"the standard has no item {code!r}",
                    f"评估标准中没有评估要点 {code}",
                )
        veto_items = {veto.code: veto for veto in std.vetoes}
        earned = applicable = 0.0
        deductions: list[Deduction] = []
        na_items: list[str] = []
        per_element: dict[str, dict[str, float]] = {}
        per_item: dict[str, dict[str, object]] = {}
        counts = input.enterprise_facts.system_counts if input.enterprise_facts is not None else None
        for element in std.elements:
            el = per_element.setdefault(element.code, {"earned": 0.0, "applicable": 0.0})
            for item in element.items:
                finding = input.items.get(item.code)
                computed = {rule.code: rule for rule in item.rules if rule.computed} if counts is not None else {}
                if finding is None and computed and len(computed) == len(item.rules):
                    finding = ItemFinding(finding="由系统数据评定")  # nothing is left for the assessor to say
                if finding is None:
                    raise EvaluationInputError(
                        _item_field(item.code),
                        "every item must be assessed",
                        f"评估要点 {item.code} 未评估：每一评估要点都应记录评估情况",
                    )
                if not finding.applicable:
                    if finding.deductions:
                        raise EvaluationInputError(
                            _item_field(item.code, ".deductions"),
                            "a not-applicable item cannot have deductions",
                            "不适用（缺项）的评估要点不能扣分",
                        )
                    na_items.append(item.code)
                    per_item[item.code] = {"applicable": False, "points": item.points}
                    continue
                rules = {rule.code: rule for rule in item.rules}
                lost = 0.0
                reasons: list[str] = []
                for r, found in enumerate(finding.deductions):
                    rule = rules.get(found.rule)
                    if rule is None:
                        raise EvaluationInputError(
                            _item_field(item.code, f".deductions[{r}].rule"),
                            f"item {item.code} has no deduction rule {found.rule!r}",
                            f"评估要点 {item.code} 没有扣分规则 {found.rule}",
                        )
                    if rule.code in computed:
                        continue  # the system's count decides this rule, not the assessor's
                    times = 1 if rule.per == "once" else found.count
                    lost += rule.points * times
                    reason = rule.text + (f" ×{times}" if times > 1 else "")
                    reasons.append(reason + (f"（{found.note}）" if found.note else ""))
                for rule in computed.values():
                    count = counts.get(rule.computed, 0) if counts else 0  # type: ignore[union-attr, arg-type]
                    if count > 0:
                        times = 1 if rule.per == "once" else count
                        lost += rule.points * times
                        label = SYSTEM_FACT_LABELS[rule.computed]  # type: ignore[index]
                        reasons.append(rule.text + (f" ×{times}" if times > 1 else "") + f"（{label}" + (f" {count} 项）" if rule.per == "each" else "）"))
                capped = min(lost, item.points)
                earned += item.points - capped
                applicable += item.points
                el["earned"] += item.points - capped
                el["applicable"] += item.points
                per_item[item.code] = {
                    "applicable": True,
                    "points": item.points,
                    "earned": item.points - capped,
                    "finding": finding.finding,
                    "computed_rules": sorted(computed),
                }
                if capped:
                    reason = "；".join(reasons)
                    if lost > item.points:
                        reason += f"（应扣 {fmt(lost)} 分，以本项分值 {fmt(item.points)} 分为限）"
                    deductions.append(Deduction(item=item.code, points=capped, reason=reason))
        if applicable == 0:
            raise EvaluationInputError(
                "items", "no item is applicable", "没有适用的评估要点，无法计算得分"
            )
        vetoes: list[Veto] = []
        for v, found in enumerate(input.vetoes):
            veto = veto_items.get(found.code)
            if veto is None:
                raise EvaluationInputError(
                    f"vetoes[{v}].code",
                    f"the standard has no veto item {found.code!r}",
                    f"评估标准中没有否决项 {found.code}",
                )
            reason = veto.text + (f"（{found.note}）" if found.note else "")
            vetoes.append(Veto(item=veto.code, reason=reason))
        vetoes += self._triggered(input.enterprise_facts, {v.item for v in vetoes})
        percent = round2(earned / applicable * 100)
        band = next(b for b in std.grades if percent >= b.min)
        if vetoes:
            band = std.grades[-1]
        passed = not vetoes and percent >= std.pass_percent
        return EvaluationResult(
            evaluator=self.id,
            evaluator_version=self.version,
            score=round2(earned),
            maximum=round2(applicable),
            percent=percent,
            grade=band.grade,
            grade_label=band.label,
            passed=passed,
            deductions=deductions,
            vetoes=vetoes,
            explanation=self._explain(
                earned, applicable, percent, na_items, deductions, vetoes, band.label
            ),
            details={
                "standard": std.id,
                "standard_version": std.version,
                "provisional": std.provisional,
                "total_points": std.total_points,
                "not_applicable_items": na_items,
                "not_applicable_points": round2(std.total_points - applicable),
                "elements": {
                    code: {name: round2(x) for name, x in figures.items()}
                    for code, figures in per_element.items()
                },
                "items": per_item,
            },
        )

    def _triggered(self, facts: EnterpriseFacts | None, already: set[str]) -> list[Veto]:
        """Veto items the server's records trigger (an assessor's own finding of one stands)."""
        listed = facts.open_listed_major_hazards if facts is not None else []
        out = []
        for veto in self.standard.vetoes:
            if veto.trigger == "open_listed_major_hazard" and listed and veto.code not in already:
                ids = "、".join(listed)
                out.append(Veto(item=veto.code, reason=f"{veto.text}（系统记录：挂牌督办的重大事故隐患 {len(listed)} 项未销号：{ids}）"))
        return out

    def _explain(
        self,
        earned: float,
        applicable: float,
        percent: float,
        na_items: list[str],
        deductions: list[Deduction],
        vetoes: list[Veto],
        label: str,
    ) -> list[str]:
        """The result in Chinese lines: formula, deductions, vetoes, pass line, conclusion."""
        std = self.standard
        lines = [f"《{std.title}》（版本 {std.version}）"]
        if std.provisional:
            lines.append("注意：本标准为暂行编码，并非官方评分表，评估结果仅供参考")
        na_points = fmt(std.total_points - applicable)
        lines.append(
            f"总分 {fmt(std.total_points)} 分，缺项 {len(na_items)} 项（{na_points} 分）不计入，"
            f"应得分 {fmt(applicable)} 分，累计得分 {fmt(earned)} 分"
        )
        lines.append(f"实际得分 = {fmt(earned)} / {fmt(applicable)} × 100 = {fmt(percent)}")
        lines += [f"扣分：{d.item} 扣 {fmt(d.points)} 分：{d.reason}" for d in deductions]
        lines += [f"否决项：{v.item} {v.reason}，评估结论为不合格" for v in vetoes]
        bands = "；".join(f"{b.label} ≥ {fmt(b.min)}" for b in std.grades[:-1])
        lines.append(f"合格线 {fmt(std.pass_percent)} 分；{bands}")
        lines.append(f"评估结论：{label}")
        return lines
