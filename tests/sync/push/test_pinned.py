"""The pinned checklist version: read once per database, never mixed up between databases, and a
version published after a miss is found."""

from __future__ import annotations

import shutil

from sqlalchemy import event

from checklists.canonical import content_hash
from checklists.versions import publish_version
from core.storage.audit_log import SYSTEM
from server import build_context
from sync.push.pinned import find_pinned
from tests.conftest import make_settings
from tests.sync.conftest import checklist_v


def _context(tmp_path, template: str, name: str):  # type: ignore[no-untyped-def]
    target = tmp_path / f"{name}.db"
    shutil.copyfile(template, target)
    return build_context(make_settings(f"sqlite+aiosqlite:///{target}", str(tmp_path / name)))


def _count_statements(ctx) -> list[str]:  # type: ignore[no-untyped-def]
    seen: list[str] = []
    event.listen(ctx.db.engine.sync_engine, "before_cursor_execute", lambda conn, cursor, statement, *rest: seen.append(statement))
    return seen


async def test_a_version_is_read_once_per_database_and_each_database_keeps_its_own(tmp_path, sqlite_template) -> None:  # type: ignore[no-untyped-def]
    first, second = _context(tmp_path, sqlite_template, "first"), _context(tmp_path, sqlite_template, "second")
    try:
        # The same id and version with different content in two databases (two deployments, or
        # test databases in one process): neither may be answered with the other's definition.
        plain, extended = checklist_v("1.0.0"), checklist_v("1.0.0", extra_item=True)
        await publish_version(first, plain, actor=SYSTEM, source="api")
        await publish_version(second, extended, actor=SYSTEM, source="api")
        statements = _count_statements(first)

        async with first.db.read() as session:
            pinned = await find_pinned(session, "hazchem.storage", "1.0.0")
        assert pinned is not None and pinned.content_hash == content_hash(plain) and "CC-5" not in pinned.items
        read_once = len(statements)
        assert read_once > 0
        async with first.db.read() as session:  # another transaction: no read at all
            assert await find_pinned(session, "hazchem.storage", "1.0.0") is pinned
        assert len(statements) == read_once

        async with second.db.read() as session:
            other = await find_pinned(session, "hazchem.storage", "1.0.0")
        assert other is not None and other.content_hash == content_hash(extended) and "CC-5" in other.items
    finally:
        await first.db.dispose()
        await second.db.dispose()


async def test_a_version_missing_once_is_found_once_published(tmp_path, sqlite_template) -> None:  # type: ignore[no-untyped-def]
    ctx = _context(tmp_path, sqlite_template, "db")
    try:
        async with ctx.db.read() as session:
            assert await find_pinned(session, "hazchem.storage", "2.0.0") is None
        await publish_version(ctx, checklist_v("2.0.0"), actor=SYSTEM, source="api")
        async with ctx.db.read() as session:
            found = await find_pinned(session, "hazchem.storage", "2.0.0")
        assert found is not None and found.content_hash == content_hash(checklist_v("2.0.0"))
    finally:
        await ctx.db.dispose()
