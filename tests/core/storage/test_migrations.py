"""Migrations from an empty database, on SQLite and PostgreSQL, reach every head and match the models."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import server  # noqa: F401  (imports every table module, as the running server does)
from core.bootstrap import prepare_database
from core.storage import migrate
from core.storage.database import Database


@pytest.mark.empty_database
async def test_migrations_run_from_empty_and_match_the_models(any_db_url):
    db = Database(any_db_url)
    try:
        assert await migrate.current_revisions(db) == set()
        await prepare_database(db)
        assert await migrate.current_revisions(db) == migrate.head_revisions()
        async with db.engine.connect() as conn:
            diff = await conn.run_sync(lambda c: compare_metadata(MigrationContext.configure(c, opts={"compare_type": False}), SQLModel.metadata))
        assert diff == [], f"models and migrations differ: {diff}"
        # Running again is harmless (every instance migrates on start).
        added = await prepare_database(db)
        assert added == 0
    finally:
        await db.dispose()
