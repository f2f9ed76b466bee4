"""Bringing a database to life: migrations, then the shipped reference data (regions). Idempotent."""

from __future__ import annotations

from core import migrate
from core.database import Database
from core.regions import load_shipped_regions


async def prepare_database(db: Database) -> int:
    """Migrate to the newest schema and load shipped regions; returns how many regions were added."""
    await migrate.upgrade(db)
    async with db.write() as session:
        return await load_shipped_regions(session)
