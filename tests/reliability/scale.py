"""How big the reliability tests run: CI uses the bounded default, ``ANJIAN_RELIABILITY_SCALE=N``
multiplies the work (examples per operation, records …) for a longer run by hand or nightly."""

from __future__ import annotations

import os

SCALE_ENV = "ANJIAN_RELIABILITY_SCALE"


def reliability_scale() -> int:
    """The multiplier (>= 1); a bad value is an error, not a silent default."""
    raw = os.environ.get(SCALE_ENV, "").strip()
    if not raw:
        return 1
    try:
        value = int(raw)
    except ValueError as exc:
        raise ValueError(f"{SCALE_ENV} must be a positive integer, got {raw!r}") from exc
    if value < 1:
        raise ValueError(f"{SCALE_ENV} must be a positive integer, got {raw!r}")
    return value
