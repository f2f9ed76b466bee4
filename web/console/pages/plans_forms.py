"""Reading the plan and draw forms into the bodies the API decodes (``PlanIn``, ``DrawIn``).

Each field is checked here first with a Chinese message naming it (shown beside the form); the
body is then converted by msgspec exactly as the API converts its JSON, so nothing the API would
refuse gets through. Scope and permission stay with the services (``create_plan``, ``run_draw``).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import msgspec

from core.errors import InvalidInput, field_path_of
from core.plans.random_draw_service import DrawIn
from core.plans.records import FREQUENCY_MONTHS
from core.plans.service import PlanIn
from core.vocabulary import INDUSTRIES
from web.console import forms

RISK_KEYS = ("major", "high", "moderate", "low", "unrated")
FIELD_LABELS = {
    "year": "年度", "title": "名称", "region_code": "行政区划代码", "industries": "行业", "frequencies": "检查频次",
    "enterprise_count": "抽取企业数", "inspectors_per_enterprise": "每家企业检查人员数", "due_from": "检查开始日期",
    "due_until": "检查截止日期", "seed": "随机种子", "through": "生成截止日期",
}
_REGION = re.compile(r"^\d{6}(\d{3})?$")


def _bad(field: str, why: str) -> InvalidInput:
    return InvalidInput(f"{field}: {why}", f"「{FIELD_LABELS.get(field, field)}」{why}", field=field)


def _number(form: Any, name: str, low: int, high: int, *, required: bool = True) -> int | None:
    try:
        value = forms.integer(form, name)
    except InvalidInput as exc:
        raise _bad(name, "应为整数") from exc
    if value is None:
        if required:
            raise _bad(name, "必须填写")
        return None
    if not low <= value <= high:
        raise _bad(name, f"应在 {low} 到 {high} 之间")
    return value


def _region(form: Any) -> str:
    value = forms.text(form, "region_code")
    if not _REGION.match(value):
        raise _bad("region_code", "应为6位（县级）或9位（乡镇）数字，如 510681")
    return value


def _industries(form: Any) -> list[str]:
    values = form.getall("industries", []) if hasattr(form, "getall") else [form.get("industries")]
    chosen = sorted({v for v in values if isinstance(v, str) and v})
    if not chosen:
        raise _bad("industries", "至少选择一个")
    unknown = [v for v in chosen if v not in INDUSTRIES]
    if unknown:
        raise _bad("industries", "包含未知的行业")
    return chosen


def _title(form: Any) -> str:
    value = forms.text(form, "title")
    if not value:
        raise _bad("title", "必须填写")
    if len(value) > 200:
        raise _bad("title", "最多200个字")
    return value


def day(form: Any, name: str, *, required: bool = True) -> date | None:
    """A YYYY-MM-DD field."""
    value = forms.text(form, name)
    if not value:
        if required:
            raise _bad(name, "必须填写")
        return None
    try:
        parsed = date.fromisoformat(value)
    except ValueError as exc:
        raise _bad(name, "格式应为 年-月-日（如 2026-05-31）") from exc
    if not 2000 <= parsed.year <= 2100:
        raise _bad(name, "应在2000年至2100年之间")
    return parsed


def _convert(raw: dict[str, Any], kind: type[Any]) -> Any:
    try:
        return msgspec.convert(raw, kind)
    except msgspec.ValidationError as exc:
        path = field_path_of(str(exc)) or ""
        field = re.match(r"[a-z_]*", path.lstrip("$.")).group(0) or None  # type: ignore[union-attr]
        raise InvalidInput(str(exc), f"「{FIELD_LABELS.get(field or '', '表单')}」填写不正确：{exc}", field=field) from exc


def plan_in(form: Any) -> PlanIn:
    """The new plan's body, checked field by field."""
    frequencies = {}
    for key in RISK_KEYS:
        value = forms.text(form, f"frequency_{key}")
        if value:
            if value not in FREQUENCY_MONTHS:
                raise _bad("frequencies", "包含未知的频次")
            frequencies[key] = value
    raw = {"year": _number(form, "year", 2000, 2100), "title": _title(form), "region_code": _region(form), "industries": _industries(form), "frequencies": frequencies}
    return _convert(raw, PlanIn)


def draw_in(form: Any) -> DrawIn:
    """The draw's body, checked field by field; a blank seed lets the service make one (and record it)."""
    seed = forms.text(form, "seed")
    if len(seed) > 64:
        raise _bad("seed", "最多64个字符")
    raw: dict[str, Any] = {
        "title": _title(form), "region_code": _region(form), "industries": _industries(form),
        "enterprise_count": _number(form, "enterprise_count", 1, 1000), "inspectors_per_enterprise": _number(form, "inspectors_per_enterprise", 1, 5),
        "due_from": day(form, "due_from"), "due_until": day(form, "due_until"), "seed": seed or None,
    }
    return _convert(raw, DrawIn)


def form_values(form: Any, names: tuple[str, ...]) -> dict[str, Any]:
    """What the user typed, to fill the form again after a refusal (industries as a list)."""
    values: dict[str, Any] = {name: forms.text(form, name) for name in names}
    picked = form.getall("industries", []) if hasattr(form, "getall") else []
    values["industries"] = [v for v in picked if isinstance(v, str)]
    return values
