"""Response bodies of the checklist API (msgspec Structs; table rows are converted explicitly)."""

from __future__ import annotations

from datetime import datetime

import msgspec

from checklists.canonical import from_canonical
from checklists.schema import Checklist
from checklists.tables import ChecklistVersion


class VersionInfo(msgspec.Struct, kw_only=True):
    """A published version without its content."""

    checklist_id: str
    version: str
    title: str
    industry: str
    content_hash: str
    source: str
    plugin: str | None
    published_at: datetime
    retired_at: datetime | None
    active: bool
    # The enterprise whose risk register generated this version (隐患排查清单); null for shared checklists.
    owner_enterprise_id: str | None = None


class VersionOut(VersionInfo, kw_only=True):
    """A published version with its content, exactly as hashed."""

    checklist: Checklist


class PublishOut(VersionOut, kw_only=True):
    """The result of a publish: ``created`` is false when the identical version already existed."""

    created: bool


class ChecklistSummary(msgspec.Struct, kw_only=True):
    """One checklist id and its versions, newest first."""

    checklist_id: str
    title: str
    industry: str
    latest_version: str
    latest_active_version: str | None
    versions: list[VersionInfo]


class BundleEntry(msgspec.Struct, kw_only=True):
    """One active version in a tablet's offline bundle."""

    checklist_id: str
    version: str
    content_hash: str
    checklist: Checklist


class Bundle(msgspec.Struct, kw_only=True):
    """Every active version for the caller's industries; ``etag`` identifies exactly this set."""

    etag: str
    industries: list[str]
    checklists: list[BundleEntry]


def version_info(row: ChecklistVersion) -> VersionInfo:
    return VersionInfo(**_info_fields(row))


def version_out(row: ChecklistVersion) -> VersionOut:
    return VersionOut(**_info_fields(row), checklist=from_canonical(row.content.encode("utf-8")))


def publish_out(row: ChecklistVersion, created: bool) -> PublishOut:
    return PublishOut(**_info_fields(row), checklist=from_canonical(row.content.encode("utf-8")), created=created)


def _info_fields(row: ChecklistVersion) -> dict:
    return dict(
        checklist_id=row.checklist_id,
        version=row.version,
        title=row.title,
        industry=row.industry,
        content_hash=row.content_hash,
        source=row.source,
        plugin=row.plugin,
        published_at=row.published_at,
        retired_at=row.retired_at,
        active=row.retired_at is None,
        owner_enterprise_id=row.owner_enterprise_id,
    )
