"""文书 / 行政处罚: issuing, signing and voiding enforcement documents; penalty cases; case files."""

from __future__ import annotations

from typing import Any

ROUTES: list[Any] = []
