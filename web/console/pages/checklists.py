"""检查表: plugins, checklist versions as an inspector sees them, publishing from YAML, diffs, retiring."""

from __future__ import annotations

from typing import Any

ROUTES: list[Any] = []
