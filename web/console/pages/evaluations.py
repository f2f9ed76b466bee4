"""评估: running an evaluator for an enterprise, its explanation, batch re-evaluation."""

from __future__ import annotations

from typing import Any

ROUTES: list[Any] = []
