"""风险点 form: reading the posted fields into the API's body and naming each refusal in Chinese.

The form's fields become exactly the body ``POST /api/v1/enterprises/{id}/risk-register/points``
(``RiskPointIn``) or ``PUT /api/v1/risk-points/{id}`` (``RiskPointUpdate``) takes; the service decides
the rest. Blank required fields are named all at once (each control row its own); what msgspec or
the service then refuses is shown at the field path it names (``controls[1].responsible_person``,
``assessment.inputs.l``, ``hazard_factors[0]`` …), mapped to where the form shows that field.
"""

from __future__ import annotations

import re
from typing import Any

from core.errors import field_path_of
from core.risk_register.vocabulary import (
    ACCIDENT_TYPE_LABELS,
    CONTROL_KIND_LABELS,
    CONTROL_LEVEL_LABELS,
    DIRECT_RULE_LABELS,
    FREQUENCY_LABELS,
    HAZARD_FACTOR_CATEGORIES,
    METHOD_LABELS,
    POINT_KIND_LABELS,
)
from core.risk_register.wire import RiskPointOut
from plugins.risk_grading.tables import load_tables
from web.console import forms

CONTROL_FIELDS = ("code", "kind", "text", "level", "responsible_post", "responsible_person", "frequency")
CONTROL_REQUIRED = ("kind", "text", "level", "responsible_post", "responsible_person")
FACTOR_INPUTS = {"lec": ("l", "e", "c"), "ls": ("l", "s")}
_CONTROL_NAME = re.compile(r"^controls\[(\d{1,3})\]\.(\w+)$")
_POST_SPLIT = re.compile(r"[,，、;；\n]+")

LABELS = {
    "name": "风险点名称", "kind": "类型", "location": "位置", "posts": "涉及岗位", "hazard_factors": "危险有害因素",
    "accident_types": "可能导致的事故类型", "assessment.method": "评价方法", "assessment.inputs": "评价取值", "direct_judgements": "直接判定",
    "controls": "管控措施", "plan": "平面图位置", "emergency_contact": "应急联系方式", "reason": "修改原因", "expected_version": "版本",
    "code": "编号", "risk_point_id": "风险点",
}
CONTROL_LABELS = {
    "code": "编号", "kind": "措施类别", "text": "措施内容", "level": "管控层级", "responsible_post": "责任岗位",
    "responsible_person": "责任人", "frequency": "排查频次",
}


def factor_groups() -> list[tuple[str, str, list[tuple[str, str]]]]:
    """GB/T 13861 大类 (code, label) with their 中类 (code, label), in code order."""
    groups: list[tuple[str, str, list[tuple[str, str]]]] = []
    for code, label in HAZARD_FACTOR_CATEGORIES.items():
        if len(code) == 1:
            groups.append((code, label, []))
        else:
            groups[-1][2].append((code, label))
    return groups


def factor_label(code: str) -> str:
    """A factor code in words: its category, or the 中类 a finer code sits under."""
    if code in HAZARD_FACTOR_CATEGORIES:
        return HAZARD_FACTOR_CATEGORIES[code]
    parent = HAZARD_FACTOR_CATEGORIES.get(code[:2])
    return f"{parent}（{code}）" if parent else code


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def method_tables() -> dict[str, list[tuple[str, str, list[tuple[str, str]]]]]:
    """Per method, each factor (key, title, [(value, meaning)]) from the grading plugin's tables."""
    tables = load_tables()
    lec = [(key, getattr(tables.lec, key).title, [(_number(v.value), v.label) for v in getattr(tables.lec, key).values]) for key in ("l", "e", "c")]
    ls = [(key, getattr(tables.matrix, key).title, [(_number(v.value), v.label) for v in getattr(tables.matrix, key).values]) for key in ("l", "s")]
    return {"lec": lec, "ls": ls}


def vocabulary() -> dict[str, Any]:
    """The choices the form draws."""
    return {
        "point_kinds": POINT_KIND_LABELS, "factor_groups": factor_groups(), "accident_types": ACCIDENT_TYPE_LABELS,
        "methods": METHOD_LABELS, "method_tables": method_tables(), "direct_rules": DIRECT_RULE_LABELS,
        "control_kinds": CONTROL_KIND_LABELS, "control_levels": CONTROL_LEVEL_LABELS, "frequencies": FREQUENCY_LABELS,
        "labels": LABELS, "control_labels": CONTROL_LABELS, "factor_label": factor_label,
    }


def blank_control() -> dict[str, str]:
    return dict.fromkeys(CONTROL_FIELDS, "")


def new_values() -> dict[str, Any]:
    """An empty form (two control rows to fill in)."""
    return {
        "name": "", "kind": "", "location": "", "posts": "", "hazard_factors": [], "accident_types": [], "method": "lec",
        "inputs": {"lec": {}, "ls": {}}, "direct": {}, "controls": [blank_control(), blank_control()],
        "plan_x": "", "plan_y": "", "emergency_contact": "", "reason": "", "expected_version": "",
    }


def values_of(point: RiskPointOut) -> dict[str, Any]:
    """The form's values for an existing point (a control's frequency blank when it is its level's default)."""
    inputs: dict[str, dict[str, str]] = {"lec": {}, "ls": {}}
    inputs[point.assessment.method] = {k: _number(v) for k, v in point.assessment.inputs.items()}
    return {
        "name": point.name, "kind": point.kind, "location": point.location, "posts": "、".join(point.posts),
        "hazard_factors": list(point.hazard_factors), "accident_types": list(point.accident_types), "method": point.assessment.method,
        "inputs": inputs, "direct": {d["rule"]: d.get("note", "") for d in point.direct_judgements},
        "controls": [
            {"code": c.code, "kind": c.kind, "text": c.text, "level": c.level, "responsible_post": c.responsible_post,
             "responsible_person": c.responsible_person, "frequency": "" if c.frequency_is_default else c.frequency}
            for c in point.controls
        ],
        "plan_x": "" if point.plan_x is None else f"{point.plan_x:.4f}", "plan_y": "" if point.plan_y is None else f"{point.plan_y:.4f}",
        "emergency_contact": point.emergency_contact, "reason": "", "expected_version": str(point.version),
    }


def _multi(form: Any, name: str) -> list[str]:
    chosen = form.getall(name, []) if hasattr(form, "getall") else []
    return [v.strip() for v in chosen if isinstance(v, str) and v.strip() and "\x00" not in v]


def read_values(form: Any) -> dict[str, Any]:
    """The posted form as the page keeps it (strings), control rows renumbered without blank ones."""
    rows: dict[int, dict[str, str]] = {}
    for key in form:
        match = _CONTROL_NAME.match(str(key))
        if match and match.group(2) in CONTROL_FIELDS:
            rows.setdefault(int(match.group(1)), blank_control())[match.group(2)] = forms.text(form, key)
    controls = [rows[i] for i in sorted(rows) if any(rows[i][f] for f in ("code", "text", "responsible_post", "responsible_person"))]
    method = forms.text(form, "assessment_method")  # not "method": it would hide form.method from scripts
    return {
        "name": forms.text(form, "name"), "kind": forms.text(form, "kind"), "location": forms.text(form, "location"),
        "posts": forms.text(form, "posts"), "hazard_factors": _multi(form, "hazard_factors"), "accident_types": _multi(form, "accident_types"),
        "method": method,
        "inputs": {m: {k: forms.text(form, f"{m}_{k}") for k in keys} for m, keys in FACTOR_INPUTS.items()},
        "direct": {rule: forms.text(form, f"dj_{rule}_note") for rule in DIRECT_RULE_LABELS if forms.text(form, f"dj_{rule}") == "1"},
        "controls": controls, "plan_x": forms.text(form, "plan_x"), "plan_y": forms.text(form, "plan_y"),
        "emergency_contact": forms.text(form, "emergency_contact"), "reason": forms.text(form, "reason"),
        "expected_version": forms.text(form, "expected_version"),
    }


def posts_of(text: str) -> list[str]:
    """Posts typed as one line, separated by commas or 、."""
    return list(dict.fromkeys(p.strip() for p in _POST_SPLIT.split(text) if p.strip()))


def _fraction(text: str) -> float | str:
    try:
        return float(text)
    except ValueError:
        return text  # msgspec names the field


def body_of(values: dict[str, Any], *, editing: bool) -> tuple[dict[str, Any], dict[str, str]]:
    """The API body of the form, and the blank required fields named in Chinese (keys as the API's paths)."""
    errors: dict[str, str] = {}
    for name in ("name", "kind"):
        if not values[name]:
            errors[name] = "必填，不能为空" if name == "name" else "请选择类型"
    if not values["hazard_factors"]:
        errors["hazard_factors"] = "至少选择一项危险有害因素"
    if not values["accident_types"]:
        errors["accident_types"] = "至少选择一种事故类型"
    method = values["method"]
    inputs: dict[str, Any] = {}
    if method not in FACTOR_INPUTS:
        errors["assessment.method"] = "请选择评价方法"
    else:
        for key in FACTOR_INPUTS[method]:
            text = values["inputs"][method].get(key, "")
            if not text:
                errors[f"assessment.inputs.{key}"] = f"请选择 {key.upper()} 的取值"
            else:
                inputs[key] = _fraction(text)
    direct = []
    for rule, note in values["direct"].items():
        if not note:
            errors[f"direct.{rule}"] = "勾选直接判定情形时须说明具体情况"
        direct.append({"rule": rule, "note": note})
    controls = []
    for index, row in enumerate(values["controls"]):
        for name in CONTROL_REQUIRED:
            if not row[name]:
                errors[f"controls[{index}].{name}"] = "必填" if name not in ("kind", "level") else "请选择"
        controls.append({name: row[name] for name in CONTROL_FIELDS if row[name]})
    if editing and not values["reason"]:
        errors["reason"] = "修改风险点须说明原因"
    body: dict[str, Any] = {
        "name": values["name"], "kind": values["kind"], "location": values["location"], "posts": posts_of(values["posts"]),
        "hazard_factors": values["hazard_factors"], "accident_types": values["accident_types"],
        "assessment": {"method": method, "inputs": inputs}, "direct_judgements": direct, "controls": controls,
        "emergency_contact": values["emergency_contact"],
    }
    if values["plan_x"] or values["plan_y"]:
        body["plan_x"], body["plan_y"] = _fraction(values["plan_x"] or ""), _fraction(values["plan_y"] or "")
        if not values["plan_x"] or not values["plan_y"]:
            errors["plan"] = "平面图位置需要同时给出横坐标和纵坐标"
    if values["reason"]:
        body["reason"] = values["reason"]
    if editing:
        body["expected_version"] = int(values["expected_version"]) if values["expected_version"].isdigit() else -1
    return body, errors


def form_key(field: str | None, values: dict[str, Any]) -> str:
    """Where the form shows a refusal of the API's ``field`` path."""
    if not field:
        return ""
    if match := re.match(r"^direct_judgements\[(\d+)\]", field):
        rules = list(values["direct"])
        index = int(match.group(1))
        return f"direct.{rules[index]}" if index < len(rules) else "direct_judgements"
    if match := re.match(r"^(controls\[\d+\]\.\w+)", field):
        return match.group(1)
    if field.startswith(("plan_x", "plan_y", "plan_area")):
        return "plan"
    if field.startswith("assessment.inputs."):
        return field
    return field.split("[")[0].split(".")[0] if not field.startswith("assessment.") else field


def explain(message: str) -> str:
    """A msgspec refusal in Chinese."""
    if "missing required field" in message:
        return "必填，不能为空"
    if match := re.search(r"`(str|array)` of length <= (\d+)", message):
        return f"最多 {match.group(2)} {'个字符' if match.group(1) == 'str' else '项'}"
    if "`str` of length >= 1" in message:
        return "不能为空"
    if re.search(r"`array` of length >= (\d+)", message):
        return "至少选择一项"
    if "Invalid enum value" in message:
        return "取值无效，请从列表中选择"
    if re.search(r"`(float|number)` >= 0|`(float|number)` <= 1", message):
        return "应为 0 到 1 之间的小数"
    if "regex" in message:
        return "格式不正确"
    if re.search(r"Expected `(float|int|number)", message):
        return "应为数字"
    return f"格式不正确（{message}）"


def refusal(message: str, values: dict[str, Any]) -> tuple[str, str]:
    """(form key, Chinese message) of a msgspec refusal."""
    return form_key(field_path_of(message), values), explain(message)


def error_list(errors: dict[str, str]) -> list[tuple[str, str]]:
    """The summary above the form: (where, what) in Chinese."""
    out = []
    for key, message in errors.items():
        if match := _CONTROL_NAME.match(key):
            where = f"管控措施第 {int(match.group(1)) + 1} 行 · {CONTROL_LABELS.get(match.group(2), match.group(2))}"
        elif key.startswith("assessment.inputs."):
            where = f"评价取值 {key.rsplit('.', 1)[1].upper()}"
        elif key.startswith("direct."):
            where = f"直接判定 · {DIRECT_RULE_LABELS.get(key[7:], key[7:])}"
        else:
            where = LABELS.get(key, key or "风险点")
        out.append((where, message))
    return out
