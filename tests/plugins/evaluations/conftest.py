"""Inputs for every built-in evaluator, and the example plugin's installer (from the plugin tests)."""

from __future__ import annotations

from typing import Any

import pytest

from plugins.dual_prevention import builtin_standard
from tests.conftest import Api
from tests.plugins.conftest import EXAMPLE, Installer, installer  # noqa: F401  (the fixture, reused)

LEC_HIGH = {"l": 6, "e": 6, "c": 7}  # D = 252 -> high (160 ≤ D ≤ 320)
MATRIX_MAJOR = {"l": 5, "s": 4}  # R = 20 -> major

EFFICIENCY_FAIR = {
    "values": {
        "rectification_on_time_rate": 85,
        "self_inspection_rate": 100,
        "training_coverage": 80,
        "checklist_score_rate": 70,
        "accidents": 1,
        "fatal_accidents": 0,
    }
}

BASIS = [{"document": "工贸企业重大事故隐患判定标准", "article": "第四条"}]
CHECKLIST = {
    "id": "industrial_trade.dust",
    "version": "1.2.0",
    "title": "粉尘涉爆企业检查表",
    "industry": "industrial_trade",
    "sections": [
        {
            "code": "S1",
            "title": "除尘系统",
            "items": [
                {"code": "A1", "text": "不同类别粉尘未共用除尘系统", "basis": BASIS, "points": 10, "major_hazard": True},
                {"code": "A2", "text": "除尘器设置泄爆装置", "basis": BASIS, "points": 20},
                {"code": "A3", "text": "风管风速（m/s）", "basis": BASIS, "points": 5,
                 "answer": {"kind": "number", "min": 23, "max": 30, "unit": "m/s"}},
            ],
        }
    ],
}
CHECKLIST_ANSWERS = {"A1": {"status": "pass"}, "A2": {"status": "fail", "text": "未设泄爆片"}, "A3": {"value": 25}}

GAS_OK = {"oxygen_percent": 20.9, "flammable_percent_lel": 0, "hydrogen_sulphide_mg_m3": 0, "carbon_monoxide_mg_m3": 2}


def dual_prevention_input(standard: str, **items: Any) -> dict[str, Any]:
    """Every item of the shipped standard assessed without deductions, except ``items``."""
    findings: dict[str, Any] = {item.code: {"finding": "符合要求"} for item in builtin_standard(standard).items()}
    findings.update(items)
    return {"items": findings}


async def evaluate(api: Api, headers: dict[str, str], enterprise_id: str, evaluator: str, data: dict[str, Any]) -> Any:
    """POST /api/v1/evaluations and return the response."""
    return await api.client.post(
        "/api/v1/evaluations", json={"enterprise_id": enterprise_id, "evaluator": evaluator, "input": data}, headers=headers
    )


@pytest.fixture
async def firm(api: Api, admin: dict[str, str]) -> dict[str, Any]:
    """A hazchem enterprise in 广汉市 (510681)."""
    return await api.enterprise(admin, name="广汉测试化工有限公司")
