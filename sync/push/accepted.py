"""Telling plugins of an accepted submission (``anjian_submission_accepted``), after commit."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

import msgspec

log = logging.getLogger("anjian.sync")


async def notify_plugins(plugins: Any, row: dict[str, Any]) -> None:
    """Tell plugins after commit; a failing plugin is recorded by the registry, never surfaces here.
    With no plugin listening (the built-in ones don't), the plugin view is not even built."""
    if plugins is None or not plugins.listens("anjian_submission_accepted"):
        return
    try:
        await plugins.submission_accepted(accepted_submission(row))
    except Exception:  # noqa: BLE001 - the submission is stored; plugin trouble must not change the answer
        log.exception("notifying plugins of submission %s failed", row.get("id"))


class AcceptedSubmission(msgspec.Struct, frozen=True, kw_only=True):
    """What plugins are told about an accepted submission (``anjian_submission_accepted``)."""

    id: str
    enterprise_id: str
    checklist_id: str
    checklist_version: str
    checklist_hash: str
    inspector_id: str
    device_id: str | None
    started_at: datetime
    finished_at: datetime
    received_at: datetime
    answers: dict[str, Any]
    failed_items: list[str]
    hazard_ids: list[str]
    replaces: str | None


def accepted_submission(row: dict[str, Any]) -> AcceptedSubmission:
    """The immutable plugin view of a stored submission (its column values)."""
    return AcceptedSubmission(
        id=row["id"], enterprise_id=row["enterprise_id"], checklist_id=row["checklist_id"], checklist_version=row["checklist_version"],
        checklist_hash=row["checklist_hash"], inspector_id=row["inspector_id"], device_id=row["device_id"], started_at=row["started_at"],
        finished_at=row["finished_at"], received_at=row["received_at"], answers=msgspec.to_builtins(row["answers"]), failed_items=list(row["failed_items"]),
        hazard_ids=list(row["hazard_ids"]), replaces=row["replaces_id"],
    )
