"""Helpers to write small definitions to files for the loader tests."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml


def minimal_definition() -> dict[str, Any]:
    """A small valid checklist: two sections, three items, consistent points."""
    return {
        "id": "coal.ventilation",
        "version": "1.0.0",
        "title": "煤矿通风检查表",
        "industry": "coal",
        "total_points": 10,
        "sections": [
            {
                "code": "TF",
                "title": "通风管理",
                "points": 6,
                "items": [
                    {
                        "code": "TF-1",
                        "text": "矿井有完整独立的通风系统",
                        "basis": [{"document": "煤矿安全规程", "article": "第一百四十三条"}],
                        "points": 4,
                    },
                    {
                        "code": "TF-2",
                        "text": "回风巷甲烷浓度（%）",
                        "basis": [{"document": "煤矿重大事故隐患判定标准"}],
                        "answer": {"kind": "number", "min": 0, "max": 1.0, "unit": "%"},
                        "points": 2,
                    },
                ],
            },
            {
                "code": "JC",
                "title": "监测监控",
                "points": 4,
                "items": [
                    {
                        "code": "JC-1",
                        "text": "安全监控系统运行正常",
                        "basis": [{"document": "煤矿安全规程"}],
                        "points": 4,
                    }
                ],
            },
        ],
    }


@pytest.fixture
def definition() -> dict[str, Any]:
    return copy.deepcopy(minimal_definition())


@pytest.fixture
def write_yaml(tmp_path: Path):
    """Write a definition (dict or text) as YAML and return the path."""

    def write(data: Any, name: str = "checklist.yaml") -> Path:
        path = tmp_path / name
        text = data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        path.write_text(text, encoding="utf-8")
        return path

    return write
