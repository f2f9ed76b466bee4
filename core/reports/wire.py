"""Request and response bodies of the report API that are not report tables."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

from core.reports.snapshot_service import SnapshotInfo
from core.wire import In

SnapshotKind = Literal["monthly_dispatch", "quarterly_bulletin"]


class SnapshotRebuildIn(In):
    """Rebuild the stored 月调度 (``period`` ``2026-11``) or 季通报 (``2026-Q4``) of a closed period."""

    kind: SnapshotKind
    period: Annotated[str, msgspec.Meta(min_length=1, max_length=16, description="2026-11（月调度）或 2026-Q4（季通报）")]


class SnapshotRebuildOut(msgspec.Struct, kw_only=True):
    """``created``: there was none, one was stored; ``changed``: the stored figures were replaced."""

    kind: str
    period: str
    created: bool
    changed: bool
    snapshot: SnapshotInfo
