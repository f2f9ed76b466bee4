"""Publishing checklist versions: immutable, ever-increasing, retired but never deleted.

Rules (a published version is pinned by tablets and submissions, so it can never change):

* the stored content is the canonical JSON and its sha256 (``checklists.canonical``);
* publishing an existing id + version again with the same content is harmless (idempotent);
  with different content it is refused (409);
* a new version must be greater than every published version of that id;
* every version of one id has the same industry and the same origin (one plugin, or the API), so
  nobody can take over another industry's or a plugin's checklist by publishing a higher version;
* retiring keeps the version readable but takes it out of bundles and new inspections;
* ids under ``self_check.`` belong to the risk register (source ``register``, ``checklists.generated``):
  nobody else may publish under them and the register publishes under no other. Such a version has
  an owner enterprise and is seen only by whoever sees that enterprise (lists, reads, bundles, pulls).

Every publish and retire is audited and appended to the change sequence tablets pull from.
"""

from __future__ import annotations

from typing import Literal

from sqlalchemy import and_, or_
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
from core.enterprises.records import Enterprise
from core.errors import Conflict, Forbidden, InvalidInput, not_found
from core.storage.audit_log import Actor, append_audit
from core.storage.changes import record_change

Origin = Literal["api", "plugin", "register"]
ENTITY = "checklist_version"
# Ids of the check lists generated from an enterprise's risk register (隐患排查清单).
REGISTER_ID_PREFIX = "self_check."


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
    if row.source == "register":
        return "an enterprise's risk register"
    return f"plugin {row.plugin!r}" if row.source == "plugin" else "the API"


def _origin_label_zh(row: ChecklistVersion) -> str:
    if row.source == "register":
        return "企业风险清单生成"
    return f"插件 {row.plugin}" if row.source == "plugin" else "接口发布方"


def _owned_by_another(checklist_id: str) -> Conflict:
    return Conflict(
        f"checklist ids under {REGISTER_ID_PREFIX} are generated from an enterprise's risk register; publish under an id of your own",
        f"以 {REGISTER_ID_PREFIX} 开头的检查表编号由企业风险清单生成（{checklist_id}），请使用自己的检查表编号",
        field="id",
        code="checklist_owned",
    )


def _check_origin(checklist: Checklist, source: Origin, owner: str | None) -> None:
    """The register publishes exactly its own ids, each for its one enterprise; nobody else
    publishes under them or names enterprises in ``applies_to``."""
    register_id = checklist.id.startswith(REGISTER_ID_PREFIX)
    if source == "register":
        if not register_id or owner is None or checklist.applies_to.enterprises != [owner]:
            raise Conflict(
                f"the risk register publishes only {REGISTER_ID_PREFIX}* ids applying to their owner enterprise (got {checklist.id})",
                f"风险清单只能以 {REGISTER_ID_PREFIX} 开头的编号发布本企业的检查表（{checklist.id}）",
                field="id",
                code="checklist_owned",
            )
        return
    if register_id:
        raise _owned_by_another(checklist.id)
    if checklist.applies_to.enterprises:
        raise InvalidInput(
            "applies_to.enterprises is set only on check lists generated from an enterprise's risk register",
            "applies_to.enterprises 仅用于由企业风险清单生成的隐患排查清单",
            field="applies_to.enterprises",
        )


async def _change_scope(session: AsyncSession, row: ChecklistVersion) -> dict[str, object]:
    """What a pull's relevance test needs of a change to this version: its industry, or, for an
    enterprise's own version, that enterprise's scope (``sync.pull.relevance.enterprise_scoped``)."""
    if row.owner_enterprise_id is None:
        return {"industries": [row.industry]}
    enterprise = await session.get(Enterprise, row.owner_enterprise_id)
    return {
        "industries": list(enterprise.industries) if enterprise else [row.industry],
        "region_code": enterprise.region_code if enterprise else None,
        "enterprise_id": row.owner_enterprise_id,
    }


def owned_visible(principal: Principal):  # noqa: ANN201 - a SQLAlchemy condition
    """SQL: versions owned by an enterprise the caller sees (``Principal.enterprise_conditions``)."""
    visible = select(Enterprise.id).where(*principal.enterprise_conditions())
    return col(ChecklistVersion.owner_enterprise_id).in_(visible)


def visible_condition(principal: Principal, industries: list[str] | None):  # noqa: ANN201 - a SQLAlchemy condition
    """SQL: a shared version of one of ``industries`` (None: any), or the caller's enterprises' own."""
    shared = col(ChecklistVersion.owner_enterprise_id).is_(None)
    if industries is not None:
        shared = and_(shared, col(ChecklistVersion.industry).in_(industries))
    return or_(shared, owned_visible(principal))


async def publish_version(
    ctx: Context,
    checklist: Checklist,
    *,
    actor: Actor,
    source: Origin,
    plugin: str | None = None,
    owner_enterprise_id: str | None = None,
) -> tuple[ChecklistVersion, bool]:
    """Store ``checklist`` (already validated) as a new version; ``(row, created)``.

    ``created`` is False when the identical version was already published. Raises ``Conflict``
    when the version exists with other content, is not greater than the latest, or the id
    belongs to another industry or origin (``owner_enterprise_id``: the enterprise whose register
    generated it, source ``register`` only).
    """
    _check_origin(checklist, source, owner_enterprise_id)
    for attempt in (1, 2):
        try:
            return await _publish_once(ctx, checklist, actor=actor, source=source, plugin=plugin, owner=owner_enterprise_id)
        except IntegrityError:
            # A concurrent publish of the same id + version won the race (PostgreSQL); look again.
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


async def _publish_once(
    ctx: Context, checklist: Checklist, *, actor: Actor, source: Origin, plugin: str | None, owner: str | None
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
            if (first.source, first.plugin, first.owner_enterprise_id) != (source, plugin if source == "plugin" else None, owner):
                raise Conflict(
                    f"checklist {checklist.id} is maintained by {_origin_label(first)}; publish under an id of your own",
                    f"检查表 {checklist.id} 由{_origin_label_zh(first)}维护，请使用自己的检查表编号",
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
            owner_enterprise_id=owner,
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
                   "content_hash": digest, "source": source, "plugin": row.plugin, "owner_enterprise_id": owner},
        )
        await record_change(session, entity=ENTITY, entity_id=key, at=now, **await _change_scope(session, row))
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


async def _hide_outside_scope(session: AsyncSession, principal: Principal, row: ChecklistVersion) -> ChecklistVersion:
    """404 for a version of an industry outside the caller's, or owned by an enterprise the caller
    does not see (the rule ``list_versions`` applies)."""
    if row.owner_enterprise_id is not None:
        owner = await session.get(Enterprise, row.owner_enterprise_id)
        visible = owner is not None and principal.sees_enterprise(owner)
    else:
        visible = principal.covers_industry(row.industry)
    if not visible:
        raise not_found(f"checklist {row.checklist_id} version {row.version}", f"检查表 {row.checklist_id} 版本 {row.version} ")
    return row


async def get_visible_version(ctx: Context, principal: Principal, checklist_id: str, version: str) -> ChecklistVersion:
    """One version the caller may read: 404 when absent, of an industry outside the caller's, or
    owned by an enterprise outside the caller's scope."""
    async with ctx.db.read() as session:
        return await _hide_outside_scope(session, principal, await _find_version(session, checklist_id, version))


async def get_version(ctx: Context, checklist_id: str, version: str) -> ChecklistVersion:
    """One published version (retired ones included: they stay readable forever); 404 if absent."""
    async with ctx.db.read() as session:
        return await _find_version(session, checklist_id, version)


async def retire_version(ctx: Context, principal: Principal, checklist_id: str, version: str) -> ChecklistVersion:
    """Stop a version being used for new inspections; it stays readable. Retiring twice is harmless."""
    key = f"{checklist_id}@{version}"
    require(principal.role, "checklist.publish")  # before the lookup, so a role that may not retire learns nothing
    async with ctx.db.write() as session:
        row = await _hide_outside_scope(session, principal, await _find_version(session, checklist_id, version))
        require_publisher(principal, row.industry)
        if row.source == "register":
            raise Conflict(
                f"{key} is generated from the enterprise's risk register: generate its check lists again instead",
                f"{key} 由企业风险清单生成，请修改风险清单后重新生成隐患排查清单",
                field="checklist_id",
                code="checklist_owned",
            )
        return await _retire_row(session, ctx, row, principal.actor)


async def retire_generated(ctx: Context, checklist_id: str, version: str, *, actor: Actor) -> ChecklistVersion:
    """Retire a version the risk register generated (``checklists.generated``: superseded, or its
    level and frequency have no controls left); retiring twice is harmless."""
    async with ctx.db.write() as session:
        row = await _find_version(session, checklist_id, version)
        if row.source != "register":
            raise _owned_by_another(checklist_id)
        return await _retire_row(session, ctx, row, actor)


async def _retire_row(session: AsyncSession, ctx: Context, row: ChecklistVersion, actor: Actor) -> ChecklistVersion:
    """Set ``retired_at`` with its audit entry and change row (nothing when already retired)."""
    if row.retired_at is not None:
        return row
    key = f"{row.checklist_id}@{row.version}"
    now = ctx.clock.now()
    row.retired_at = now
    row.retired_by = actor.id
    session.add(row)
    await append_audit(
        session,
        actor=actor,
        action="checklist.retire",
        entity=ENTITY,
        entity_id=key,
        at=now,
        before={"retired_at": None},
        after={"retired_at": now.isoformat()},
    )
    await record_change(session, entity=ENTITY, entity_id=key, at=now, **await _change_scope(session, row))
    return row


async def list_versions(
    ctx: Context, principal: Principal, *, industry: str | None = None, include_retired: bool = True
) -> list[ChecklistVersion]:
    """Versions visible to the caller, ordered by id then version (oldest first).

    Admins and accounts without industries see every industry; others see their own. A version
    owned by an enterprise (generated from its risk register) is listed only to whoever sees that
    enterprise.
    """
    statement = select(ChecklistVersion).options(defer(ChecklistVersion.content))  # type: ignore[arg-type]
    if industry is not None:
        statement = statement.where(col(ChecklistVersion.industry) == industry)
    own_industries = None if principal.is_admin or not principal.industries else list(principal.industries)
    statement = statement.where(visible_condition(principal, own_industries))
    if not include_retired:
        statement = statement.where(col(ChecklistVersion.retired_at).is_(None))
    statement = statement.order_by(
        col(ChecklistVersion.checklist_id), col(ChecklistVersion.major), col(ChecklistVersion.minor), col(ChecklistVersion.patch)
    )
    async with ctx.db.read() as session:
        return list((await session.exec(statement)).all())
