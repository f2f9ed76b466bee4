"""计划 / 双随机: plans, their generation and coverage; random draws and their verification."""

from __future__ import annotations

from typing import Any

ROUTES: list[Any] = []
