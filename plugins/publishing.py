"""Publishing the checklists plugins ship, at every start, idempotently.

A shipped file that is already published unchanged costs a read; a new version is published;
a changed file under an already-published version is refused like any other republish and
reported against its plugin (status ``degraded``), while the server starts with the rest.
"""

from __future__ import annotations

from sqlmodel import select

from checklists.semver import parse_version
from checklists.tables import ChecklistVersion
from checklists.versions import publish_version
from core.context import Context
from core.errors import AppError
from core.storage.audit_log import SYSTEM
from plugins.registry import PluginRegistry


async def publish_plugin_checklists(ctx: Context, registry: PluginRegistry) -> int:
    """Publish every contributed checklist not yet published; returns how many were new."""
    async with ctx.db.read() as session:
        rows = (
            await session.exec(select(ChecklistVersion.checklist_id, ChecklistVersion.version, ChecklistVersion.content_hash))
        ).all()
    published = {(row[0], row[1]): row[2] for row in rows}
    created = 0
    # Oldest first, so a plugin shipping 1.0.0 and 1.1.0 publishes both in order.
    contributions = sorted(registry.checklists, key=lambda c: (c.checklist.id, parse_version(c.checklist.version)))
    for contributed in contributions:
        key = (contributed.checklist.id, contributed.checklist.version)
        if published.get(key) == contributed.content_hash:
            continue
        try:
            _, was_created = await publish_version(
                ctx, contributed.checklist, actor=SYSTEM, source="plugin", plugin=contributed.plugin
            )
        except AppError as exc:
            registry.fail(contributed.plugin, "publish", f"{contributed.source}: {exc.message} / {exc.message_zh}")
            continue
        created += int(was_created)
    return created
