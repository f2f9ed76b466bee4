"""Migrations from an empty database, on SQLite and PostgreSQL, reach every head and match the models."""

from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import bindparam, text
from sqlmodel import SQLModel

import server  # noqa: F401  (imports every table module, as the running server does)
from core.bootstrap import prepare_database
from core.enterprises.records import Enterprise
from core.storage import migrate
from core.storage.database import Database
from core.storage.db_types import UTCDateTime


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


@pytest.mark.empty_database
async def test_dual_prevention_facts_reach_existing_enterprises_as_empty(any_db_url):
    db = Database(any_db_url)
    try:
        await migrate.upgrade(db, "0017_hazard_scope_indexes")
        async with db.engine.begin() as conn:
            await conn.execute(text("INSERT INTO region (code, name, parent_code, level) VALUES ('510681', '广汉市', NULL, 'county')"))
            await conn.execute(
                text(
                    "INSERT INTO enterprise (id, name, uscc, region_code, industries, scale, high_risk_flags, legal_representative,"
                    " safety_manager, safety_manager_phone, address, blacklisted, active, version, created_at, updated_at)"
                    " VALUES ('e1', '广汉市旧档案企业', '91510681MA00000001', '510681', '[\"industrial_trade\"]', 'small_micro', '[]',"
                    " '', '', '', '', false, true, 1, :now, :now)"
                ).bindparams(bindparam("now", datetime(2026, 3, 2, 9, tzinfo=UTC), type_=UTCDateTime())),
            )
        await prepare_database(db)
        async with db.read() as session:
            enterprise = await session.get(Enterprise, "e1")
        assert enterprise is not None and enterprise.name == "广汉市旧档案企业"
        facts = ("production_kind", "sectors", "safety_office", "safety_staff_full_time", "safety_staff_part_time", "liaison_user_id")
        assert {name: getattr(enterprise, name) for name in facts} == {
            "production_kind": None, "sectors": [], "safety_office": None, "safety_staff_full_time": None, "safety_staff_part_time": None, "liaison_user_id": None,
        }
    finally:
        await db.dispose()
