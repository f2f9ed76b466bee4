"""Which posts a register names, and which risk points each post faces."""

from __future__ import annotations

from core.risk_register.grading import LEVEL_ORDER
from core.risk_register.records import RiskPoint


def posts_of(point: RiskPoint) -> list[str]:
    """The posts working at a point and the posts carrying its post-level controls."""
    named = list(point.posts) + [c["responsible_post"] for c in point.controls if c["level"] == "post"]
    return list(dict.fromkeys(named))


def points_by_post(points: list[RiskPoint]) -> dict[str, list[RiskPoint]]:
    """Each post (in order of first mention) → its points, most severe first."""
    out: dict[str, list[RiskPoint]] = {}
    for point in sorted(points, key=lambda p: p.code):
        for post in posts_of(point):
            out.setdefault(post, []).append(point)
    for post in out:
        out[post].sort(key=lambda p: (LEVEL_ORDER.index(p.risk_level), p.code))
    return out
