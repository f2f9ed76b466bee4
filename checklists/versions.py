"""Publishing checklist versions: immutable, ever-increasing, retired but never deleted.

Rules (a published version is pinned by tablets and submissions, so it can never change):

* the stored content is the canonical JSON and its sha256 (``checklists.canonical``);
* publishing an existing id + version again with the same content is harmless (idempotent);
  with different content it is refused (409);
* a new version must be greater than every published version of that id;
* every version of one id has the same industry and the same origin (one plugin, or the API), so
  nobody can take over another industry's or a plugin's checklist by publishing a higher version;
* retiring keeps the version readable but takes it out of bundles and new inspections.

Every publish and retire is audited and appended to the change sequence tablets pull from.
"""

from __future__ import annotations

from typing import Literal

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import defer
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from checklists.canonical import canonical_bytes, content_hash
from checklists.schema import Checklist
from checklists.semver import parse_version
from checklists.tables import ChecklistVersion
from core.access.permissions import require
from core.access.scope import Principal
from core.context import Context
from core.errors import Conflict, Forbidden, not_found
from core.storage.audit_log import Actor, append_audit
from core.storage.changes import record_change

Origin = Literal["api", "plugin"]
ENTITY = "checklist_version"


def version_key(row: ChecklistVersion) -> tuple[int, int, int]:
    return (row.major, row.minor, row.patch)


def require_publisher(principal: Principal, industry: str) -> None:
    """403 unless the caller may publish or retire checklists of ``industry``.

    A department admin publishes only for the industries listed on their account (an account with
    none listed may publish for none); an admin publishes for any.
    """
    require(principal.role, "checklist.publish")
    if principal.role == "department_admin" and industry not in principal.industries:
        raise Forbidden(
            f"department admins publish only for their own industries ({', '.join(principal.industries) or 'none'}); "
            f"this checklist is for {industry!r}",
            f"行业主管部门只能发布本行业的检查表（本账号行业：{'、'.join(principal.industries) or '无'}），该检查表行业为 {industry}",
            field="industry",
        )


def _origin_label(row: ChecklistVersion) -> str:
    return f"plugin {row.plugin!r}" if row.source == "plugin" else "the API"


async def publish_version(
    ctx: Context,
    checklist: Checklist,
    *,
    actor: Actor,
    source: Origin,
    plugin: str | None = None,
) -> tuple[ChecklistVersion, bool]:
    """Store ``checklist`` (already validated) as a new version; ``(row, created)``.

    ``created`` is False when the identical version was already published. Raises ``Conflict``
    when the version exists with other content, is not greater than the latest, or the id
    belongs to another industry or origin.
    """
    for attempt in (1, 2):
        try:
            return await _publish_once(ctx, checklist, actor=actor, source=source, plugin=plugin)
        except IntegrityError:
            # A concurrent publish of the same id + version won the race (PostgreSQL); look again.
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


async def _publish_once(
    ctx: Context, checklist: Checklist, *, actor: Actor, source: Origin, plugin: str | None
) -> tuple[ChecklistVersion, bool]:
    digest = content_hash(checklist)
    key = f"{checklist.id}@{checklist.version}"
    async with ctx.db.write() as session:
        rows = list(
            (await session.exec(select(ChecklistVersion).where(col(ChecklistVersion.checklist_id) == checklist.id))).all()
        )
        for row in rows:
            if row.version != checklist.version:
                continue
            if row.content_hash == digest:
                return row, False
            raise Conflict(
                f"{key} is already published with different content (sha256 {row.content_hash}); "
                "a published version never changes: publish it under a greater version",
                f"{key} 已发布且内容不同（sha256 {row.content_hash}）；已发布的版本不可修改，请使用更高的版本号发布",
                field="version",
                code="version_exists",
                extra={"content_hash": row.content_hash, "submitted_hash": digest},
            )
        if rows:
            first = rows[0]
            if first.industry != checklist.industry:
                raise Conflict(
                    f"checklist {checklist.id} belongs to industry {first.industry!r}, not {checklist.industry!r}",
                    f"检查表 {checklist.id} 属于行业 {first.industry}，不能改为 {checklist.industry}",
                    field="industry",
                    code="industry_mismatch",
                )
            if (first.source, first.plugin) != (source, plugin if source == "plugin" else None):
                raise Conflict(
                    f"checklist {checklist.id} is maintained by {_origin_label(first)}; publish under an id of your own",
                    f"检查表 {checklist.id} 由{'插件 ' + str(first.plugin) if first.source == 'plugin' else '接口发布方'}维护，请使用自己的检查表编号",
                    field="id",
                    code="checklist_owned",
                )
            latest = max(rows, key=version_key)
            if parse_version(checklist.version) <= version_key(latest):
                raise Conflict(
                    f"version {checklist.version} of {checklist.id} must be greater than the latest published "
                    f"version {latest.version}",
                    f"{checklist.id} 的新版本号 {checklist.version} 必须大于已发布的最新版本 {latest.version}",
                    field="version",
                    code="version_not_greater",
                    extra={"latest_version": latest.version},
                )
        major, minor, patch = parse_version(checklist.version)
        now = ctx.clock.now()
        row = ChecklistVersion(
            checklist_id=checklist.id,
            version=checklist.version,
            major=major,
            minor=minor,
            patch=patch,
            title=checklist.title,
            industry=checklist.industry,
            content=canonical_bytes(checklist).decode("utf-8"),
            content_hash=digest,
            source=source,
            plugin=plugin if source == "plugin" else None,
            published_at=now,
            published_by=actor.id,
        )
        session.add(row)
        await session.flush()
        await append_audit(
            session,
            actor=actor,
            action="checklist.publish",
            entity=ENTITY,
            entity_id=key,
            at=now,
            after={"checklist_id": checklist.id, "version": checklist.version, "industry": checklist.industry,
                   "content_hash": digest, "source": source, "plugin": row.plugin},
        )
        await record_change(session, entity=ENTITY, entity_id=key, at=now, industries=[checklist.industry])
        return row, True


async def _find_version(session: AsyncSession, checklist_id: str, version: str) -> ChecklistVersion:
    """The stored row of one version; 404 if it was never published."""
    row = (
        await session.exec(
            select(ChecklistVersion).where(
                col(ChecklistVersion.checklist_id) == checklist_id, col(ChecklistVersion.version) == version
            )
        )
    ).first()
    if row is None:
        raise not_found(f"checklist {checklist_id} version {version}", f"检查表 {checklist_id} 版本 {version} ")
    return row


def _hide_outside_industries(principal: Principal, row: ChecklistVersion) -> ChecklistVersion:
    """404 for a version of an industry outside the caller's (the rule ``list_versions`` applies)."""
    if not principal.covers_industry(row.industry):
        raise not_found(f"checklist {row.checklist_id} version {row.version}", f"检查表 {row.checklist_id} 版本 {row.version} ")
    return row


async def get_visible_version(ctx: Context, principal: Principal, checklist_id: str, version: str) -> ChecklistVersion:
    """One version the caller may read: 404 when absent or of an industry outside the caller's."""
    return _hide_outside_industries(principal, await get_version(ctx, checklist_id, version))


async def get_version(ctx: Context, checklist_id: str, version: str) -> ChecklistVersion:
    """One published version (retired ones included: they stay readable forever); 404 if absent."""
    async with ctx.db.read() as session:
        return await _find_version(session, checklist_id, version)


async def retire_version(ctx: Context, principal: Principal, checklist_id: str, version: str) -> ChecklistVersion:
    """Stop a version being used for new inspections; it stays readable. Retiring twice is harmless."""
    key = f"{checklist_id}@{version}"
    require(principal.role, "checklist.publish")  # before the lookup, so a role that may not retire learns nothing
    async with ctx.db.write() as session:
        row = _hide_outside_industries(principal, await _find_version(session, checklist_id, version))
        require_publisher(principal, row.industry)
        if row.retired_at is not None:
            return row
        now = ctx.clock.now()
        row.retired_at = now
        row.retired_by = principal.user_id
        session.add(row)
        await append_audit(
            session,
            actor=principal.actor,
            action="checklist.retire",
            entity=ENTITY,
            entity_id=key,
            at=now,
            before={"retired_at": None},
            after={"retired_at": now.isoformat()},
        )
        await record_change(session, entity=ENTITY, entity_id=key, at=now, industries=[row.industry])
        return row


async def list_versions(
    ctx: Context, principal: Principal, *, industry: str | None = None, include_retired: bool = True
) -> list[ChecklistVersion]:
    """Versions visible to the caller, ordered by id then version (oldest first).

    Admins and accounts without industries see every industry; others see their own.
    """
    statement = select(ChecklistVersion).options(defer(ChecklistVersion.content))  # type: ignore[arg-type]
    if industry is not None:
        statement = statement.where(col(ChecklistVersion.industry) == industry)
    if not principal.is_admin and principal.industries:
        statement = statement.where(col(ChecklistVersion.industry).in_(list(principal.industries)))
    if not include_retired:
        statement = statement.where(col(ChecklistVersion.retired_at).is_(None))
    statement = statement.order_by(
        col(ChecklistVersion.checklist_id), col(ChecklistVersion.major), col(ChecklistVersion.minor), col(ChecklistVersion.patch)
    )
    async with ctx.db.read() as session:
        return list((await session.exec(statement)).all())
