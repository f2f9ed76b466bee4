"""报表: 月调度 / 季通报 for a period with downloads, plan coverage."""

from __future__ import annotations

from typing import Any

ROUTES: list[Any] = []
